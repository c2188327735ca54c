import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isSealed, loadSecretKey, openSecret, sealSecret, SECRET_KEY_FILE, useSecretKey } from './secret-box.ts';

const SECRET = 'HUKOUDEMOREGISTRATIONOFFICERAAAA';

describe('secret box (AES-256-GCM for stored TOTP secrets)', () => {
  afterEach(() => useSecretKey(null));

  it('seals so the stored value shows nothing of the secret, and opens it again', () => {
    useSecretKey(randomBytes(32));
    const a = sealSecret(SECRET);
    const b = sealSecret(SECRET);
    expect(isSealed(a)).toBe(true);
    expect(a).not.toContain(SECRET);
    expect(a).not.toBe(b); // a fresh IV each time
    expect(openSecret(a)).toBe(SECRET);
    expect(openSecret(b)).toBe(SECRET);
  });

  it('refuses a changed byte or another key with SECRET_KEY_INVALID', () => {
    useSecretKey(randomBytes(32));
    const sealed = sealSecret(SECRET);
    const raw = Buffer.from(sealed.slice('sealed:v1:'.length), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => openSecret(`sealed:v1:${raw.toString('base64')}`)).toThrow(expect.objectContaining({ code: 'SECRET_KEY_INVALID' }));
    useSecretKey(randomBytes(32));
    expect(() => openSecret(sealed)).toThrow(expect.objectContaining({ code: 'SECRET_KEY_INVALID' }));
    useSecretKey(null);
    expect(() => openSecret(sealed)).toThrow(expect.objectContaining({ code: 'SECRET_KEY_INVALID' }));
  });

  it('reads values stored before sealing as they are, and stores as given without a key', () => {
    useSecretKey(randomBytes(32));
    expect(openSecret(SECRET)).toBe(SECRET);
    useSecretKey(null);
    expect(sealSecret(SECRET)).toBe(SECRET);
  });

  it('takes the key from HUKOU_SECRET_KEY (base64 or hex), else creates one 0600 file in the data dir and keeps it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hukou-secret-'));
    try {
      const k = randomBytes(32);
      expect(loadSecretKey({ dataDir: dir, env: { HUKOU_SECRET_KEY: k.toString('base64') }, create: true })).toEqual(k);
      expect(loadSecretKey({ dataDir: dir, env: { HUKOU_SECRET_KEY: k.toString('hex') }, create: true })).toEqual(k);
      expect(() => loadSecretKey({ dataDir: dir, env: { HUKOU_SECRET_KEY: 'too-short' }, create: true })).toThrow(expect.objectContaining({ code: 'SECRET_KEY_INVALID' }));
      expect(loadSecretKey({ dataDir: dir, env: {}, create: false })).toBeNull();
      const made = loadSecretKey({ dataDir: dir, env: {}, create: true })!;
      expect(made).toHaveLength(32);
      const file = join(dir, SECRET_KEY_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(loadSecretKey({ dataDir: dir, env: {}, create: true })).toEqual(made);
      expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toEqual(made);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
