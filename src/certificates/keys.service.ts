import { openSecret, sealSecret } from '../access/index.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError, isAppError } from '../platform/errors.ts';
import * as q from './certificates.queries.ts';
import { configuredAlgorithm, generateKeyMaterial, keyIdOf, type Algorithm, type KeyMaterial } from './signature.ts';
import { buildTrustList, trustedKeyOf, type KeyRow, type TrustedKey, type TrustList } from './trust-list.ts';

/**
 * Certificate signing keys: one in use per algorithm, created on first need; rotation retires it
 * (it signs nothing more, but stays in the trust list so what it signed still verifies) and puts a
 * new one in use. Private keys are stored sealed with the secret box (AES-256-GCM under
 * HUKOU_SECRET_KEY or `<dataDir>/secret-box.key`), so every server and CLI sharing that key can sign
 * and a copy of the database alone cannot.
 */
export interface Signer {
  kid: string;
  key: KeyMaterial;
}

const opened = new Map<string, KeyMaterial>();

function unavailable(why: string, cause?: unknown): AppError {
  return new AppError('CERTIFICATE_KEY_UNAVAILABLE', `No certificate signing key can be used: ${why}.`, { cause });
}

function open(row: { key_id: string; algorithm: Algorithm; public_key: string; private_key: string }): KeyMaterial {
  const cached = opened.get(row.key_id);
  if (cached) return cached;
  let privateKey: string;
  try {
    privateKey = openSecret(row.private_key);
  } catch (e) {
    if (isAppError(e)) throw unavailable(`the private key of ${row.key_id} does not open with the configured secret key (HUKOU_SECRET_KEY or secret-box.key)`, e);
    throw e;
  }
  const key = { algorithm: row.algorithm, publicKey: row.public_key, privateKey };
  opened.set(row.key_id, key);
  return key;
}

/** Keys take effect on a whole second: certificates are dated to the second (`iat`). */
function wholeSecond(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

async function createKey(db: Db, algorithm: Algorithm, actorId: string, at: Date): Promise<void> {
  const m = generateKeyMaterial(algorithm);
  at = wholeSecond(at);
  await q.insertKeyUnlessActive(db, { key_id: keyIdOf(algorithm, m.publicKey), algorithm, public_key: m.publicKey, private_key: sealSecret(m.privateKey), valid_from: at, created_by: actorId });
}

/** The key in use for `algorithm` (the configured one by default), created if there is none. */
export async function activeSigner(db: Db, opts: { actorId: string; at: Date; algorithm?: Algorithm }): Promise<Signer> {
  const algorithm = opts.algorithm ?? configuredAlgorithm();
  let row = await q.findActiveKey(db, algorithm, true);
  if (!row) {
    await createKey(db, algorithm, opts.actorId, opts.at);
    row = await q.findActiveKey(db, algorithm, true);
    if (!row) throw unavailable(`no ${algorithm} key could be created`);
  }
  return { kid: row.key_id, key: open(row) };
}

/** The key in use, or null when none exists yet (the public lists are then unsigned until the first certificate). */
export async function activeSignerIfAny(db: Db): Promise<Signer | null> {
  const row = await q.findActiveKey(db, configuredAlgorithm());
  return row ? { kid: row.key_id, key: open(row) } : null;
}

export interface KeyView {
  keyId: string;
  algorithm: Algorithm;
  publicKey: string;
  validFrom: string;
  retiredAt: string | null;
  createdBy: string;
}

export async function listSigningKeys(db: Db): Promise<KeyView[]> {
  return (await q.listKeys(db)).map((r) => ({
    keyId: r.key_id,
    algorithm: r.algorithm,
    publicKey: r.public_key,
    validFrom: r.valid_from.toISOString(),
    retiredAt: r.retired_at ? r.retired_at.toISOString() : null,
    createdBy: r.created_by,
  }));
}

/**
 * Retires the key in use for `algorithm` (the configured one by default) and puts a fresh one in
 * use, in one transaction: a certificate issued concurrently is signed by exactly one of them.
 */
export async function rotateSigningKey(ctx: ServiceContext, algorithm: Algorithm = configuredAlgorithm()): Promise<{ retired: string | null; active: KeyView }> {
  return ctx.db.transaction().execute(async (trx) => {
    const current = await q.lockActiveKey(trx, algorithm);
    // after the lock: every certificate signed with the old key has committed, dated before this
    const now = wholeSecond(ctx.clock.now());
    if (current) await q.retireKey(trx, current.key_id, now);
    await createKey(trx, algorithm, ctx.actor.id, now);
    const row = await q.findActiveKey(trx, algorithm);
    if (!row) throw unavailable(`no ${algorithm} key could be created`);
    return {
      retired: current?.key_id ?? null,
      active: { keyId: row.key_id, algorithm, publicKey: row.public_key, validFrom: row.valid_from.toISOString(), retiredAt: null, createdBy: ctx.actor.id },
    };
  });
}

/** The published trust list: every key ever used, signed by the key in use. */
export async function currentTrustList(db: Db, now: Date): Promise<TrustList> {
  const rows = (await q.listKeys(db)) as KeyRow[];
  return buildTrustList(rows, now, await activeSignerIfAny(db));
}

/**
 * Public keys for online verification by key id, cached in the process for a minute; an unknown key
 * id reloads the table at once (a key created by another process after a rotation is then found).
 */
const KEY_CACHE_MS = 60_000;
let keyCache: { keys: Map<string, TrustedKey>; loadedAt: number } = { keys: new Map(), loadedAt: 0 };

export async function trustedKeysFor(db: Db, kid: string): Promise<Map<string, TrustedKey>> {
  const now = Date.now();
  if (!keyCache.keys.has(kid) || now - keyCache.loadedAt > KEY_CACHE_MS) {
    keyCache = { keys: new Map((await q.listKeys(db)).map((r) => [r.key_id, trustedKeyOf(r as KeyRow)])), loadedAt: now };
  }
  return keyCache.keys;
}
