import { gunzipSync, gzipSync } from 'node:zlib';
import { proofVerifies, signedDocument, type Proof, type TrustedKey } from './trust-list.ts';
import type { KeyMaterial } from './signature.ts';

/**
 * The revocation status list, modelled on W3C Bitstring Status List v1.0: one bit per certificate
 * at its status index (bit 0 is the most significant bit of the first byte), 1 = revoked; at least
 * 16 KiB (131,072 entries) so a list says nothing about how many certificates exist; GZIP, then
 * multibase base64url (`u` prefix). Signed like the trust list (`proof`), valid for a day.
 */
export const MIN_BITS = 131_072;
export const STATUS_LIST_TTL_MS = 24 * 3600_000;

export interface StatusList {
  '@context': string[];
  type: string[];
  id: string;
  issuer: string;
  validFrom: string;
  validUntil: string;
  credentialSubject: { id: string; type: 'BitstringStatusList'; statusPurpose: 'revocation'; encodedList: string };
  proof: Proof | null;
}

export function encodeBits(setIndexes: Iterable<number>, highestIndex: number): string {
  const bits = Math.max(MIN_BITS, Math.ceil((highestIndex + 1) / 8) * 8);
  const bytes = Buffer.alloc(bits / 8);
  for (const i of setIndexes) bytes[i >> 3]! |= 0x80 >> (i & 7);
  return `u${gzipSync(bytes).toString('base64url')}`;
}

const decoded = new WeakMap<object, Buffer | null>();

/** The bitstring of a status list, or null when the list is not one. */
export function decodeBits(list: StatusList): Buffer | null {
  const cached = decoded.get(list);
  if (cached !== undefined) return cached;
  let out: Buffer | null = null;
  const enc = list?.credentialSubject?.encodedList;
  if (typeof enc === 'string' && enc.startsWith('u')) {
    try {
      out = gunzipSync(Buffer.from(enc.slice(1), 'base64url'), { maxOutputLength: 64 * 1024 * 1024 });
    } catch {
      out = null;
    }
  }
  decoded.set(list, out);
  return out;
}

export function bitAt(bits: Buffer, index: number): boolean | null {
  if (index >> 3 >= bits.length) return null;
  return (bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}

export function buildStatusList(opts: { revoked: number[]; highestIndex: number; now: Date; url: string; signer: { kid: string; key: KeyMaterial } | null }): StatusList {
  return signedDocument<StatusList>(
    {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      id: opts.url,
      issuer: 'mps',
      validFrom: opts.now.toISOString(),
      validUntil: new Date(opts.now.getTime() + STATUS_LIST_TTL_MS).toISOString(),
      credentialSubject: { id: `${opts.url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: encodeBits(opts.revoked, opts.highestIndex) },
    },
    opts.signer,
  );
}

const verifiedLists = new WeakMap<object, WeakMap<object, boolean>>();

/** Whether the list is a revocation list signed by a key of `keys` (cached per list and key set). */
export function statusListVerifies(list: StatusList, keys: Map<string, TrustedKey>): boolean {
  if (typeof list !== 'object' || list === null) return false;
  let byKeys = verifiedLists.get(list);
  if (!byKeys) verifiedLists.set(list, (byKeys = new WeakMap()));
  const cached = byKeys.get(keys);
  if (cached !== undefined) return cached;
  const ok = list.credentialSubject?.statusPurpose === 'revocation' && proofVerifies(list, keys);
  byKeys.set(keys, ok);
  return ok;
}
