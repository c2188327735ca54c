import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../platform/errors.ts';
import { readOrCreateKeyFile } from '../platform/key-file.ts';

/**
 * Secrets the server must read back in clear — today the TOTP seeds of officers' second factor —
 * are stored sealed with AES-256-GCM (authenticated: a changed byte fails to open), so a copy of the
 * database (a backup, a replica, a SQL injection elsewhere) does not hand out second factors.
 * Sealed values read `sealed:v1:<base64 of iv‖tag‖ciphertext>`; anything else is a value written
 * before sealing existed and is read as it is (`sealStoredSecrets` seals those at start).
 *
 * The key: `HUKOU_SECRET_KEY` (32 bytes, base64 or hex) when set — give every server and CLI the same
 * one — otherwise `<dataDir>/secret-box.key`, generated (mode 0600) on first start. Without a key
 * (tests that do not set one) values are stored as given.
 */
export const SECRET_KEY_ENV = 'HUKOU_SECRET_KEY';
export const SECRET_KEY_FILE = 'secret-box.key';
const PREFIX = 'sealed:v1:';

let key: Buffer | null = null;

/** Sets the process's key (null: store secrets as given). Called once at start by `serve` and the CLI. */
export function useSecretKey(k: Buffer | null): void {
  if (k !== null && k.length !== 32) throw invalidKey('the key must be 32 bytes');
  key = k;
}

/** A 32-byte key for another purpose derived from the configured key (HKDF-SHA256, `info` names the purpose), or null without one. */
export function derivedKey(info: string): Buffer | null {
  return key === null ? null : Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32));
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

export function sealSecret(plain: string): string {
  if (key === null) return plain;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export function openSecret(stored: string): string {
  if (!isSealed(stored)) return stored;
  if (key === null) throw new AppError('SECRET_KEY_INVALID', `Stored secrets are sealed but no key is configured: set ${SECRET_KEY_ENV} (or keep ${SECRET_KEY_FILE} in the data directory).`);
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new AppError('SECRET_KEY_INVALID', `A stored secret does not open with the configured key: ${SECRET_KEY_ENV} (or ${SECRET_KEY_FILE}) is not the key it was sealed with.`);
  }
}

function invalidKey(why: string): AppError {
  return new AppError('SECRET_KEY_INVALID', `${SECRET_KEY_ENV} (or ${SECRET_KEY_FILE} in the data directory) is not usable: ${why}. Give 32 random bytes in base64 or hex, e.g. \`openssl rand -base64 32\`.`);
}

function parseKey(text: string): Buffer {
  const t = text.trim();
  const k = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (k.length !== 32) throw invalidKey(`it decodes to ${k.length} bytes, not 32`);
  return k;
}

/** The key from the environment, else the data directory's key file (created when `create`). The key never reaches a log. */
export function loadSecretKey(opts: { dataDir: string; env?: NodeJS.ProcessEnv; create: boolean }): Buffer | null {
  const text = readOrCreateKeyFile({
    dataDir: opts.dataDir,
    file: SECRET_KEY_FILE,
    env: SECRET_KEY_ENV,
    environment: opts.env,
    create: opts.create,
    generate: () => ({ text: `${randomBytes(32).toString('base64')}\n` }),
  });
  return text === null ? null : parseKey(text);
}

/** Loads (creating if need be) the data directory's key and makes it this process's: what `serve` and the CLI do at start. */
export function useSecretKeyOf(dataDir: string): void {
  useSecretKey(loadSecretKey({ dataDir, create: true }));
}
