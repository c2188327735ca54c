import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import { publicKeyPem, signBytes, verifyBytes, type Algorithm, type KeyMaterial } from './signature.ts';

/**
 * The published trust list: every certificate signing key ever used (retired ones too, so old
 * certificates stay verifiable), with its validity. `digest` is the SHA-256 of the canonical JSON of
 * `keys`: a verifier pins it (or the key that signed it) out of band. `proof` is a signature over the
 * canonical JSON of the list without `proof`, by the current signing key (a list signed by a key the
 * verifier already trusts can introduce the next key after a rotation).
 */
export interface TrustedKey {
  kid: string;
  alg: Algorithm;
  /** SM2: sm2p256v1 with user ID 1234567812345678 */
  curve: 'sm2p256v1' | 'ed25519';
  userId?: string;
  /** hex: SM2 04 ‖ x ‖ y; Ed25519 raw 32 bytes */
  publicKey: string;
  publicKeyPem: string;
  /** certificates issued from this instant on are signed with it */
  validFrom: string;
  /** no certificate is signed with it after this instant (null: in use) */
  retiredAt: string | null;
}

export interface Proof {
  kid: string;
  alg: Algorithm;
  /** base64url */
  signature: string;
}

export interface TrustList {
  type: 'HukouCertificateTrustList';
  version: 1;
  issuer: string;
  issuedAt: string;
  keys: TrustedKey[];
  digest: string;
  proof: Proof | null;
}

export interface KeyRow {
  key_id: string;
  algorithm: Algorithm;
  public_key: string;
  valid_from: Date;
  retired_at: Date | null;
}

export function trustedKeyOf(row: KeyRow): TrustedKey {
  return {
    kid: row.key_id,
    alg: row.algorithm,
    curve: row.algorithm === 'SM2-SM3' ? 'sm2p256v1' : 'ed25519',
    ...(row.algorithm === 'SM2-SM3' ? { userId: '1234567812345678' } : {}),
    publicKey: row.public_key,
    publicKeyPem: publicKeyPem(row.algorithm, row.public_key),
    validFrom: row.valid_from.toISOString(),
    retiredAt: row.retired_at ? row.retired_at.toISOString() : null,
  };
}

export function keysDigest(keys: TrustedKey[]): string {
  return `sha256:${createHash('sha256').update(canonicalJson(keys)).digest('hex')}`;
}

export function signedDocument<T extends { proof: Proof | null }>(doc: Omit<T, 'proof'>, signer: { kid: string; key: KeyMaterial } | null): T {
  if (!signer) return { ...doc, proof: null } as T;
  const signature = signBytes(signer.key, Buffer.from(canonicalJson(doc), 'utf8')).toString('base64url');
  return { ...doc, proof: { kid: signer.kid, alg: signer.key.algorithm, signature } } as T;
}

/** Whether `doc.proof` is a valid signature over the rest of `doc` by a key of `keys`. */
export function proofVerifies(doc: { proof?: Proof | null }, keys: Map<string, TrustedKey>): boolean {
  const proof = doc.proof;
  if (!proof || typeof proof.kid !== 'string' || typeof proof.signature !== 'string') return false;
  const key = keys.get(proof.kid);
  if (!key || key.alg !== proof.alg) return false;
  const { proof: _omitted, ...rest } = doc;
  return verifyBytes(key.alg, key.publicKey, Buffer.from(canonicalJson(rest), 'utf8'), Buffer.from(proof.signature, 'base64url'));
}

export function buildTrustList(rows: KeyRow[], issuedAt: Date, signer: { kid: string; key: KeyMaterial } | null): TrustList {
  const keys = rows.map(trustedKeyOf).sort((a, b) => a.validFrom.localeCompare(b.validFrom) || a.kid.localeCompare(b.kid));
  return signedDocument<TrustList>({ type: 'HukouCertificateTrustList', version: 1, issuer: 'mps', issuedAt: issuedAt.toISOString(), keys, digest: keysDigest(keys) }, signer);
}

const parsedKeys = new WeakMap<object, Map<string, TrustedKey> | null>();

/**
 * The keys of a trust list by key id, or null when the list is not one (wrong shape, or its digest
 * does not match its keys). Cached per list object.
 */
export function trustedKeys(list: unknown): Map<string, TrustedKey> | null {
  if (typeof list !== 'object' || list === null) return null;
  const cached = parsedKeys.get(list);
  if (cached !== undefined) return cached;
  const l = list as Partial<TrustList>;
  let out: Map<string, TrustedKey> | null = null;
  if (l.type === 'HukouCertificateTrustList' && Array.isArray(l.keys) && typeof l.digest === 'string') {
    const wellFormed = l.keys.every(
      (k) => typeof k?.kid === 'string' && (k.alg === 'SM2-SM3' || k.alg === 'Ed25519') && typeof k.publicKey === 'string' && /^[0-9a-f]+$/i.test(k.publicKey) && typeof k.validFrom === 'string' && (k.retiredAt === null || typeof k.retiredAt === 'string'),
    );
    if (wellFormed && keysDigest(l.keys) === l.digest) out = new Map(l.keys.map((k) => [k.kid, k]));
  }
  parsedKeys.set(list, out);
  return out;
}
