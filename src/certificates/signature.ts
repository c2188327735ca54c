import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify, createHash, type KeyObject } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';

/**
 * The two signature algorithms of certificates:
 * - `SM2-SM3`: SM2 digital signature over SM3 (GB/T 32918.2-2016, GM/T 0003.2-2012) on the curve
 *   sm2p256v1 (GM/T 0003.5-2012), e = SM3(Z_A ‖ M) with Z_A from the default user ID
 *   1234567812345678 (GM/T 0009-2012 §10); signature r ‖ s, 32 bytes each. Through `sm-crypto-v2`
 *   (Node's crypto cannot set the SM2 user ID).
 * - `Ed25519` (RFC 8032), through Node's crypto, when HUKOU_CERT_ALGORITHM=ed25519.
 * Public keys are hex: SM2 the uncompressed point 04 ‖ x ‖ y, Ed25519 the raw 32 bytes.
 */
export type Algorithm = 'SM2-SM3' | 'Ed25519';
export const SM2_DEFAULT_USER_ID = '1234567812345678';
/** Order n of the base point of sm2p256v1 (GM/T 0003.5-2012 §3). */
const SM2_ORDER = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
export const ALGORITHM_ENV = 'HUKOU_CERT_ALGORITHM';

export interface KeyMaterial {
  algorithm: Algorithm;
  /** hex, see above */
  publicKey: string;
  /** SM2: the 32-byte private scalar in hex; Ed25519: PKCS#8 DER in base64. Never logged. */
  privateKey: string;
}

/** The algorithm new keys use: `HUKOU_CERT_ALGORITHM` (`sm2`, the default, or `ed25519`). */
export function configuredAlgorithm(env: NodeJS.ProcessEnv = process.env): Algorithm {
  const v = (env[ALGORITHM_ENV] ?? 'sm2').trim().toLowerCase();
  if (v === 'sm2' || v === 'sm2-sm3' || v === '') return 'SM2-SM3';
  if (v === 'ed25519') return 'Ed25519';
  throw new Error(`${ALGORITHM_ENV} must be sm2 or ed25519, got "${env[ALGORITHM_ENV]}"`);
}

export function generateKeyMaterial(algorithm: Algorithm): KeyMaterial {
  if (algorithm === 'SM2-SM3') {
    const { privateKey, publicKey } = sm2.generateKeyPairHex();
    return { algorithm, privateKey, publicKey };
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    algorithm,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
    publicKey: Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex'),
  };
}

/** Key id: the first 8 bytes of SHA-256 of the algorithm name and the public key, in hex. */
export function keyIdOf(algorithm: Algorithm, publicKeyHex: string): string {
  return createHash('sha256').update(`${algorithm}:${publicKeyHex.toLowerCase()}`).digest('hex').slice(0, 16);
}

const ed25519Private = new Map<string, KeyObject>();
const ed25519Public = new Map<string, KeyObject>();

function edPrivate(pkcs8: string): KeyObject {
  let k = ed25519Private.get(pkcs8);
  if (!k) {
    k = createPrivateKey({ key: Buffer.from(pkcs8, 'base64'), format: 'der', type: 'pkcs8' });
    ed25519Private.set(pkcs8, k);
  }
  return k;
}

function edPublic(hex: string): KeyObject {
  let k = ed25519Public.get(hex);
  if (!k) {
    k = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }, format: 'jwk' });
    ed25519Public.set(hex, k);
  }
  return k;
}

export function signBytes(key: KeyMaterial, message: Uint8Array): Buffer {
  if (key.algorithm === 'SM2-SM3') {
    const hex = sm2.doSignature(message, key.privateKey, { hash: true, publicKey: key.publicKey, userId: SM2_DEFAULT_USER_ID });
    return Buffer.from(hex.padStart(128, '0'), 'hex');
  }
  return nodeSign(null, message, edPrivate(key.privateKey));
}

/** Points precomputed per SM2 public key (verification then costs a sixth). */
const sm2Points = new Map<string, ReturnType<typeof sm2.precomputePublicKey>>();

export function verifyBytes(algorithm: Algorithm, publicKeyHex: string, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    if (algorithm === 'SM2-SM3') {
      // GB/T 32918.2 §7.1 B1–B2: r and s must lie in [1, n-1]; the library does not check it.
      const hex = Buffer.from(signature).toString('hex');
      const r = BigInt(`0x${hex.slice(0, 64)}`);
      const s = BigInt(`0x${hex.slice(64)}`);
      if (r < 1n || r >= SM2_ORDER || s < 1n || s >= SM2_ORDER) return false;
      let point = sm2Points.get(publicKeyHex);
      if (!point) {
        if (!sm2.verifyPublicKey(publicKeyHex)) return false;
        point = sm2.precomputePublicKey(publicKeyHex);
        if (sm2Points.size > 1000) sm2Points.clear();
        sm2Points.set(publicKeyHex, point);
      }
      return sm2.doVerifySignature(message, hex, point, { hash: true, userId: SM2_DEFAULT_USER_ID });
    }
    return nodeVerify(null, message, edPublic(publicKeyHex), signature);
  } catch {
    return false;
  }
}

/** DER SEQUENCE { INTEGER r, INTEGER s } of a 64-byte r ‖ s (what OpenSSL reads and writes). */
export function sm2SignatureDer(rs: Uint8Array): Buffer {
  const int = (b: Buffer) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    let v = b.subarray(i);
    if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
    return Buffer.concat([Buffer.from([0x02, v.length]), v]);
  };
  const body = Buffer.concat([int(Buffer.from(rs.subarray(0, 32))), int(Buffer.from(rs.subarray(32, 64)))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

const SM2_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The public key as a PEM SubjectPublicKeyInfo (id-ecPublicKey with the SM2 curve OID 1.2.156.10197.1.301, or Ed25519), for OpenSSL and other tools. */
export function publicKeyPem(algorithm: Algorithm, publicKeyHex: string): string {
  const der = Buffer.concat([algorithm === 'SM2-SM3' ? SM2_SPKI_PREFIX : ED25519_SPKI_PREFIX, Buffer.from(publicKeyHex, 'hex')]);
  const b64 = der.toString('base64').match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN PUBLIC KEY-----\n${b64}\n-----END PUBLIC KEY-----\n`;
}
