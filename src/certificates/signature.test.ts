import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sm2 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { generateKeyMaterial, keyIdOf, publicKeyPem, signBytes, sm2SignatureDer, verifyBytes, type KeyMaterial } from './signature.ts';

/**
 * The signature example of GM/T 0003.5-2012 Annex A (the same as GB/T 32918.5-2017 Annex A): curve
 * sm2p256v1, user ID 1234567812345678, message "message digest".
 */
const VECTOR = {
  privateKey: '3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8',
  publicKeyX: '09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020',
  publicKeyY: 'CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13',
  message: 'message digest',
  /** e = SM3(Z_A ‖ M) */
  e: 'F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640',
  k: '59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21',
  r: 'F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3',
  s: 'B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA',
};
const publicKey = `04${VECTOR.publicKeyX}${VECTOR.publicKeyY}`.toLowerCase();
const key: KeyMaterial = { algorithm: 'SM2-SM3', privateKey: VECTOR.privateKey.toLowerCase(), publicKey };
const message = Buffer.from(VECTOR.message, 'ascii');
const published = Buffer.from(VECTOR.r + VECTOR.s, 'hex');

function opensslSupportsSm2(): boolean {
  const r = spawnSync('openssl', ['list', '-digest-algorithms'], { encoding: 'utf8' });
  return r.status === 0 && /SM3/.test(r.stdout);
}

describe('SM2 over SM3 against the GM/T 0003.5 example', () => {
  it('the public key is the private key times G', () => {
    expect(sm2.getPublicKeyFromPrivateKey(key.privateKey)).toBe(publicKey);
  });

  it('e = SM3(Z_A ‖ M) with the default user ID is the published value', () => {
    expect(sm2.getHash(message, publicKey, '1234567812345678').toUpperCase()).toBe(VECTOR.e);
  });

  it('the published (r, s) verifies with the published public key', () => {
    expect(verifyBytes('SM2-SM3', publicKey, message, published)).toBe(true);
  });

  it('signing with the published k gives exactly the published (r, s)', () => {
    const x1 = BigInt(`0x${sm2.getPublicKeyFromPrivateKey(VECTOR.k.toLowerCase()).slice(2, 66)}`);
    const hex = sm2.doSignature(message, key.privateKey, { hash: true, publicKey, userId: '1234567812345678', pointPool: [{ k: BigInt(`0x${VECTOR.k}`), x1 }] });
    expect(hex.toUpperCase()).toBe(VECTOR.r + VECTOR.s);
  });

  it('our signatures verify, and fail for another message, a changed signature, another key or r, s out of range', () => {
    const sig = signBytes(key, message);
    expect(sig).toHaveLength(64);
    expect(verifyBytes('SM2-SM3', publicKey, message, sig)).toBe(true);
    expect(verifyBytes('SM2-SM3', publicKey, Buffer.from('message digesT'), sig)).toBe(false);
    const flipped = Buffer.from(sig);
    flipped[10]! ^= 1;
    expect(verifyBytes('SM2-SM3', publicKey, message, flipped)).toBe(false);
    expect(verifyBytes('SM2-SM3', generateKeyMaterial('SM2-SM3').publicKey, message, sig)).toBe(false);
    expect(verifyBytes('SM2-SM3', publicKey, message, Buffer.alloc(64))).toBe(false);
    expect(verifyBytes('SM2-SM3', publicKey, message, Buffer.alloc(64, 0xff))).toBe(false);
    expect(verifyBytes('SM2-SM3', 'zz', message, sig)).toBe(false);
  });

  it('interoperates with OpenSSL: the published and our signatures verify with `openssl pkeyutl -verify … distid:1234567812345678`', (ctx) => {
    if (!opensslSupportsSm2()) {
      ctx.skip(); // openssl with SM2/SM3 is missing on this machine (Debian's openssl 3 has them)
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'hukou-sm2-'));
    try {
      writeFileSync(join(dir, 'pub.pem'), publicKeyPem('SM2-SM3', publicKey));
      writeFileSync(join(dir, 'msg'), message);
      const verify = (sig: Buffer, msg: Buffer = message) => {
        writeFileSync(join(dir, 'sig.der'), sm2SignatureDer(sig));
        writeFileSync(join(dir, 'msg'), msg);
        return spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'pub.pem'), '-rawin', '-in', join(dir, 'msg'), '-sigfile', join(dir, 'sig.der'), '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678'], { encoding: 'utf8' });
      };
      expect(verify(published).stdout).toContain('Signature Verified Successfully');
      for (let i = 0; i < 3; i++) expect(verify(signBytes(key, message)).status).toBe(0);
      const fresh = generateKeyMaterial('SM2-SM3');
      writeFileSync(join(dir, 'pub.pem'), publicKeyPem('SM2-SM3', fresh.publicKey));
      const payload = Buffer.from('{"no":"ZM0000000000000000X","sub":{"name":"张三"}}');
      expect(verify(signBytes(fresh, payload), payload).status).toBe(0);
      expect(verify(signBytes(fresh, payload), Buffer.concat([payload, Buffer.from(' ')])).status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the DER form of (r, s) is the SEQUENCE of two INTEGERs', () => {
    const der = sm2SignatureDer(published);
    expect(der.toString('hex').toUpperCase()).toBe(`3046022100${VECTOR.r}022100${VECTOR.s}`);
  });
});

describe('Ed25519', () => {
  it('signs and verifies through Node crypto; a changed byte fails', () => {
    const k = generateKeyMaterial('Ed25519');
    expect(k.publicKey).toMatch(/^[0-9a-f]{64}$/);
    const sig = signBytes(k, message);
    expect(verifyBytes('Ed25519', k.publicKey, message, sig)).toBe(true);
    expect(verifyBytes('Ed25519', k.publicKey, Buffer.from('message digesT'), sig)).toBe(false);
    expect(verifyBytes('SM2-SM3', k.publicKey, message, sig)).toBe(false);
  });
});

describe('key ids', () => {
  it('are 16 hex digits, distinct per key and algorithm', () => {
    const a = generateKeyMaterial('SM2-SM3');
    expect(keyIdOf('SM2-SM3', a.publicKey)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyIdOf('SM2-SM3', a.publicKey)).not.toBe(keyIdOf('Ed25519', a.publicKey));
  });
});
