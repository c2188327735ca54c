import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { derivedKey } from './secret-box.ts';

/**
 * Opaque handles for search hits (issue #12 §5): a masked result carries a handle that only the
 * officer who searched can open, for a short while, to read the full record (with a purpose, like
 * any full read). The handle is the person's internal id, the officer's actor id and an expiry,
 * sealed with AES-256-GCM: it names nobody to anyone else, and a changed byte does not open.
 * The key is derived from HUKOU_SECRET_KEY (so every node opens every node's handles) or, without
 * one, random per process (a restart voids outstanding handles — they are short-lived anyway).
 */
export const HANDLE_TTL_SECONDS = 15 * 60;
const INFO = 'hukou search handle v1';
let processKey: Buffer | null = null;

function handleKey(): Buffer {
  return derivedKey(INFO) ?? (processKey ??= randomBytes(32));
}

export function sealPersonHandle(actorId: string, personId: number, now: Date): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', handleKey(), iv);
  const plain = JSON.stringify({ p: personId, a: actorId, e: Math.floor(now.getTime() / 1000) + HANDLE_TTL_SECONDS });
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The person behind a handle, when it was issued to this actor and has not expired; otherwise null. */
export function openPersonHandle(actorId: string, handle: string, now: Date): number | null {
  const raw = Buffer.from(handle, 'base64url');
  if (raw.length < 29) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', handleKey(), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as { p: unknown; a: unknown; e: unknown };
    if (plain.a !== actorId || typeof plain.p !== 'number' || typeof plain.e !== 'number') return null;
    return plain.e * 1000 > now.getTime() ? plain.p : null;
  } catch {
    return null;
  }
}
