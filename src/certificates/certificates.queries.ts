import { sql } from 'kysely';
import { authorityInJurisdictionSql, personVisibleTo, type Actor } from '../access/index.ts';
import type { Db } from '../platform/db/database.ts';
import type { Algorithm } from './signature.ts';
import type { CertificateTable } from './certificates.tables.ts';
import type { Insertable } from 'kysely';

const KEY_COLUMNS = ['key_id', 'algorithm', 'public_key', 'valid_from', 'retired_at'] as const;

export function listKeys(db: Db) {
  return db.selectFrom('certificate_signing_key').select([...KEY_COLUMNS, 'created_by']).orderBy('valid_from').orderBy('key_id').execute();
}

/**
 * The key in use; with `share`, row-locked in share mode for the rest of the transaction, so a
 * rotation (FOR UPDATE) waits for certificates being signed with it, and they for the rotation.
 */
export function findActiveKey(db: Db, algorithm: Algorithm, share = false) {
  const q = db.selectFrom('certificate_signing_key').select([...KEY_COLUMNS, 'private_key']).where('algorithm', '=', algorithm).where('retired_at', 'is', null);
  return (share ? q.forShare() : q).executeTakeFirst();
}

export function lockActiveKey(db: Db, algorithm: Algorithm) {
  return db.selectFrom('certificate_signing_key').select([...KEY_COLUMNS]).where('algorithm', '=', algorithm).where('retired_at', 'is', null).forUpdate().executeTakeFirst();
}

/** Inserts a key unless one of the algorithm is in use (concurrent first issues: one key wins). */
export function insertKeyUnlessActive(db: Db, row: { key_id: string; algorithm: Algorithm; public_key: string; private_key: string; valid_from: Date; created_by: string }) {
  return db
    .insertInto('certificate_signing_key')
    .values(row)
    .onConflict((oc) => oc.column('algorithm').where('retired_at', 'is', null).doNothing())
    .execute();
}

export function retireKey(db: Db, keyId: string, at: Date) {
  return db.updateTable('certificate_signing_key').set({ retired_at: at }).where('key_id', '=', keyId).where('retired_at', 'is', null).execute();
}

export async function nextStatusIndex(db: Db): Promise<number> {
  const r = await sql<{ i: number }>`select nextval('certificate_status_index_seq')::integer as i`.execute(db);
  return r.rows[0]!.i;
}

const CERTIFICATE_COLUMNS = [
  'c.number',
  'c.kind',
  'c.person_id',
  'c.subject_id_number',
  'c.application_id',
  'c.issuing_authority_id',
  'c.facts',
  'c.payload',
  'c.key_id',
  'c.qr_text',
  'c.status_index',
  'c.issued_at',
  'c.valid_until',
  'c.revoked_at',
  'c.revoked_by',
  'c.revocation_reason',
  'c.issued_by',
] as const;

export function insertCertificate(db: Db, row: Insertable<CertificateTable>) {
  return db.insertInto('certificate').values(row).execute();
}

export function findByApplication(db: Db, applicationId: string, kind: string) {
  return db.selectFrom('certificate as c').select(CERTIFICATE_COLUMNS).where('c.application_id', '=', applicationId).where('c.kind', '=', kind as CertificateTable['kind']).executeTakeFirst();
}

/**
 * A certificate the actor may see: the subject themselves (a citizen's jurisdiction is their own
 * record), or an officer whose area holds the issuing authority or the person (`personVisibleTo`).
 */
export function findVisible(db: Db, actor: Actor, number: string, lock = false) {
  let q = db
    .selectFrom('certificate as c')
    .select(CERTIFICATE_COLUMNS)
    .where('c.number', '=', number)
    .where((eb) => eb.or([personVisibleTo(actor, sql.ref('c.person_id')), ...(actor.role === 'citizen' ? [] : [authorityInJurisdictionSql(actor, sql.ref('c.issuing_authority_id'))])]));
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export type CertificateRow = NonNullable<Awaited<ReturnType<typeof findVisible>>>;

/** What public verification reads of a certificate (no person id, no full ID number). */
export function findForVerification(db: Db, number: string) {
  return db
    .selectFrom('certificate as c')
    .select(['c.number', 'c.kind', 'c.issuing_authority_id', 'c.payload', 'c.key_id', 'c.issued_at', 'c.valid_until', 'c.revoked_at', 'c.facts'])
    .where('c.number', '=', number)
    .executeTakeFirst();
}

export function revoke(db: Db, number: string, actorId: string, reason: string, at: Date) {
  return db.updateTable('certificate').set({ revoked_at: at, revoked_by: actorId, revocation_reason: reason }).where('number', '=', number).where('revoked_at', 'is', null).execute();
}

export function insertEvent(db: Db, e: { certificate_number: string; kind: 'issued' | 'revoked'; actor: string; authority_id: string; reason: string | null; at: Date }) {
  return db.insertInto('certificate_event').values(e).execute();
}

export function listEvents(db: Db, number: string) {
  return db.selectFrom('certificate_event').select(['kind', 'actor', 'authority_id', 'reason', 'at']).where('certificate_number', '=', number).orderBy('id').execute();
}

export function revokedIndexes(db: Db) {
  return db.selectFrom('certificate').select('status_index').where('revoked_at', 'is not', null).execute();
}

export async function highestStatusIndex(db: Db): Promise<number> {
  const r = await db.selectFrom('certificate').select((eb) => eb.fn.max('status_index').as('m')).executeTakeFirst();
  return r?.m ?? -1;
}
