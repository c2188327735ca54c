import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../platform/errors.ts';
import { readOrCreateKeyFile } from '../platform/key-file.ts';

/** The Ed25519 key that signs checkpoints; `keyId` names its public half in each checkpoint. */
export interface CheckpointSigner {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export const SIGNING_KEY_ENV = 'HUKOU_AUDIT_SIGNING_KEY';
export const SIGNING_KEY_FILE = 'audit-signing-key.pem';
export const PUBLIC_KEY_FILE = 'audit-signing-key.pub.pem';

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

function signerFrom(privateKey: KeyObject): CheckpointSigner {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new AppError('AUDIT_KEY_INVALID', `The audit signing key is ${privateKey.asymmetricKeyType ?? 'not asymmetric'}, not Ed25519.`);
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyIdOf(publicKey), privateKey, publicKey };
}

/** Parses a PKCS#8 Ed25519 private key given as PEM or as base64 DER. */
export function parseSigningKey(text: string): CheckpointSigner {
  try {
    const trimmed = text.trim();
    const key = trimmed.includes('-----BEGIN')
      ? createPrivateKey(trimmed)
      : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
    return signerFrom(key);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('AUDIT_KEY_INVALID', `${SIGNING_KEY_ENV} is not an Ed25519 private key (PKCS#8, PEM or base64 DER).`, { cause: e });
  }
}

export function generateSigner(): CheckpointSigner {
  return signerFrom(generateKeyPairSync('ed25519').privateKey);
}

/**
 * The checkpoint signing key: `HUKOU_AUDIT_SIGNING_KEY` when set; otherwise `<dataDir>/audit-signing-key.pem`,
 * generated (mode 0600, with its public half beside it) on first start. The key never reaches a log.
 */
export function loadSigningKey(opts: { dataDir: string; env?: NodeJS.ProcessEnv; create: boolean }): CheckpointSigner | null {
  const text = readOrCreateKeyFile({
    dataDir: opts.dataDir,
    file: SIGNING_KEY_FILE,
    env: SIGNING_KEY_ENV,
    environment: opts.env,
    create: opts.create,
    generate: () => {
      const signer = generateSigner();
      return {
        text: signer.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
        written: () => writeFileSync(join(opts.dataDir, PUBLIC_KEY_FILE), signer.publicKey.export({ type: 'spki', format: 'pem' })),
      };
    },
  });
  return text === null ? null : parseSigningKey(text);
}

/** Public keys a verifier trusts, by key id: from a PEM file of SPKI public keys, or derived from a signer. */
export function publicKeysFromPem(text: string): Map<string, KeyObject> {
  const out = new Map<string, KeyObject>();
  for (const block of text.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? []) {
    const key = createPublicKey(block);
    out.set(keyIdOf(key), key);
  }
  return out;
}

export function checkpointMessage(chain: string, seq: number, hash: Buffer, signedAt: Date): Buffer {
  return Buffer.from(`hukou-access-log-checkpoint/1\n${chain}\n${seq}\n${hash.toString('hex')}\n${signedAt.toISOString()}`);
}

export function signCheckpoint(signer: CheckpointSigner, chain: string, seq: number, hash: Buffer, signedAt: Date): Buffer {
  return sign(null, checkpointMessage(chain, seq, hash, signedAt), signer.privateKey);
}

export function verifyCheckpoint(publicKey: KeyObject, chain: string, seq: number, hash: Buffer, signedAt: Date, signature: Buffer): boolean {
  return verify(null, checkpointMessage(chain, seq, hash, signedAt), publicKey, signature);
}
