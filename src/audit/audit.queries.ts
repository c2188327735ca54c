import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { PREPARED } from '../platform/db/prepared.ts';
import type { AccessEntry, ChainedEntry } from './chain.ts';

export async function lockHead(db: Db, chain: string): Promise<{ seq: number; hash: Buffer }> {
  const head = await db.selectFrom('access_log_head').select(['seq', 'hash']).where('chain', '=', chain).forUpdate().executeTakeFirst();
  if (head) return head;
  // A new chain (a new writer node): create its head, then lock it.
  await db.insertInto('access_log_head').values({ chain, seq: 0, hash: Buffer.alloc(32) }).onConflict((oc) => oc.column('chain').doNothing()).execute();
  return db.selectFrom('access_log_head').select(['seq', 'hash']).where('chain', '=', chain).forUpdate().executeTakeFirstOrThrow();
}

/** Inserts a batch of chained entries and moves the head to the last one, in one statement. */
export async function appendEntries(db: Db, chain: string, entries: ChainedEntry[]): Promise<void> {
  const last = entries[entries.length - 1];
  if (!last) return;
  await db
    .with('inserted', (qb) =>
      qb
        .insertInto('access_log')
        .values(
          entries.map((e) => ({
            chain: e.chain,
            seq: e.seq,
            at: e.at,
            actor_id: e.actorId,
            account_id: e.accountId,
            role: e.role,
            authority_id: e.authorityId,
            purpose: e.purpose,
            action: e.action,
            subject_kind: e.subjectKind,
            subject_ref: e.subjectRef,
            person_ids: e.personIds,
            household_ids: e.householdIds,
            fields: e.fields,
            outcome: e.outcome,
            request_id: e.requestId,
            prev_hash: e.prevHash,
            hash: e.hash,
          })),
        )
        .returning('seq'),
    )
    .updateTable('access_log_head')
    .set({ seq: last.seq, hash: last.hash })
    .where('chain', '=', chain)
    .execute();
}

/**
 * The one-round-trip append: inserts entries chained onto the head this writer last saw and moves
 * the head, in one statement (autocommit: durable when it returns) — but only if the head is still
 * at `expected`. Another writer that moved it in between makes the guarded update match no row, so
 * nothing is inserted and the caller falls back to the locking path. The head row is the single
 * point of order either way: no gap, no fork. Returns false when nothing was written.
 */
export async function appendAtHead(db: Db, chain: string, expected: { seq: number; hash: Buffer }, entries: ChainedEntry[]): Promise<boolean> {
  const last = entries[entries.length - 1];
  if (!last) return true;
  const rows = entries.map((e) => ({
    chain: e.chain, seq: e.seq, at: e.at.toISOString(), actor_id: e.actorId, account_id: e.accountId, role: e.role, authority_id: e.authorityId,
    purpose: e.purpose, action: e.action, subject_kind: e.subjectKind, subject_ref: e.subjectRef, person_ids: e.personIds, household_ids: e.householdIds,
    fields: e.fields, outcome: e.outcome, request_id: e.requestId, prev_hash: `\\x${e.prevHash.toString('hex')}`, hash: `\\x${e.hash.toString('hex')}`,
  }));
  const result = await sql`${sql.raw(PREPARED)}with head as (
      update access_log_head set seq = ${last.seq}, hash = ${last.hash}
       where chain = ${chain} and seq = ${expected.seq} and hash = ${expected.hash}
      returning chain)
    insert into access_log (${sql.raw(ENTRY_COLUMNS.join(', '))})
    select ${sql.raw(ENTRY_COLUMNS.map((c) => `r.${c}`).join(', '))}
      from jsonb_populate_recordset(null::access_log, ${JSON.stringify(rows)}::jsonb) r
     where exists (select from head)`.execute(db);
  return Number(result.numAffectedRows ?? 0) === entries.length;
}

export async function insertCheckpoint(db: Db, c: { chain: string; seq: number; hash: Buffer; signedAt: Date; keyId: string; signature: Buffer }): Promise<void> {
  await db
    .insertInto('access_log_checkpoint')
    .values({ chain: c.chain, seq: c.seq, hash: c.hash, signed_at: c.signedAt, key_id: c.keyId, signature: c.signature })
    .onConflict((oc) => oc.columns(['chain', 'seq']).doNothing())
    .execute();
}

export function listHeads(db: Db) {
  return db.selectFrom('access_log_head').select(['chain', 'seq', 'hash']).orderBy('chain').execute();
}

/**
 * Every chain that has a head, an entry or a checkpoint: a chain whose head row was deleted still
 * has entries to verify. Entries' chains by a skip scan of the primary key (one probe per chain).
 */
export async function listChains(db: Db): Promise<string[]> {
  const { rows } = await sql<{ chain: string }>`with recursive entry_chain(chain) as (
      (select chain from access_log order by chain limit 1)
      union all
      select (select l.chain from access_log l where l.chain > e.chain order by l.chain limit 1) from entry_chain e where e.chain is not null)
    select chain from entry_chain where chain is not null
    union select chain from access_log_head
    union select chain from access_log_checkpoint
    order by chain`.execute(db);
  return rows.map((r) => r.chain);
}

export function listCheckpoints(db: Db, chain: string) {
  return db.selectFrom('access_log_checkpoint').select(['chain', 'seq', 'hash', 'signed_at', 'key_id', 'signature']).where('chain', '=', chain).orderBy('seq').execute();
}

const ENTRY_COLUMNS = [
  'chain',
  'seq',
  'at',
  'actor_id',
  'account_id',
  'role',
  'authority_id',
  'purpose',
  'action',
  'subject_kind',
  'subject_ref',
  'person_ids',
  'household_ids',
  'fields',
  'outcome',
  'request_id',
  'prev_hash',
  'hash',
] as const;

/** One page of a chain in sequence order, from `afterSeq` (keyset pagination, no OFFSET). */
export async function pageOfChain(db: Db, chain: string, afterSeq: number, limit: number): Promise<ChainedEntry[]> {
  const rows = await db.selectFrom('access_log').select(ENTRY_COLUMNS).where('chain', '=', chain).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({
    chain: r.chain,
    seq: r.seq,
    at: r.at,
    actorId: r.actor_id,
    accountId: r.account_id,
    role: r.role,
    authorityId: r.authority_id,
    purpose: r.purpose,
    action: r.action,
    subjectKind: r.subject_kind,
    subjectRef: r.subject_ref,
    personIds: r.person_ids.map(Number),
    householdIds: r.household_ids.map(Number),
    fields: r.fields,
    outcome: r.outcome,
    requestId: r.request_id,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
}

/** Entries that concern a person: their data was returned, or their ID numbers were asked for. */
export function accessEntriesAbout(db: Db, personId: number, idNumbers: string[], limit: number) {
  return db
    .selectFrom('access_log')
    .leftJoin('authority', 'authority.id', 'access_log.authority_id')
    .select([
      'access_log.chain',
      'access_log.seq',
      'access_log.at',
      'access_log.actor_id',
      'access_log.role',
      'access_log.authority_id',
      'authority.name as authority_name',
      'access_log.purpose',
      'access_log.action',
      'access_log.fields',
      'access_log.outcome',
    ])
    .where((eb) =>
      eb.or([
        sql<boolean>`access_log.person_ids @> array[${personId}]::bigint[]`,
        ...(idNumbers.length ? [eb.and([eb('access_log.subject_kind', '=', 'person'), eb('access_log.subject_ref', 'in', idNumbers)])] : []),
      ]),
    )
    .orderBy('access_log.at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Registration events of a person (who changed the register, for which authority). Reads the
 * registry's append-only `registration_event` table directly (see docs/access.md, phase 2).
 */
export function registrationEventsOf(db: Db, personId: number, limit: number) {
  return db
    .selectFrom('registration_event as e')
    .leftJoin('authority', 'authority.id', 'e.authority_id')
    .select(['e.id', 'e.kind', 'e.occurred_on', 'e.recorded_at', 'e.actor_id', 'e.authority_id', 'authority.name as authority_name', 'e.legal_basis', 'e.application_id'])
    .where('e.person_id', '=', personId)
    .orderBy('e.recorded_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Card checks (`POST /id-cards/check`) of any number the person has held, with the role and
 * authority of the account that asked. Reads the idcards module's append-only `id_card_check` table
 * directly, as `registrationEventsOf` reads the register's: a check is logged there, not in the chain.
 */
export function cardChecksOf(db: Db, idNumbers: string[], limit: number) {
  return db
    .selectFrom('id_card_check as c')
    .leftJoin('account', (join) => join.on(sql<boolean>`account.id = case when c.actor_id ~ '^user:[0-9]{1,18}$' then substr(c.actor_id, 6)::bigint end`))
    .leftJoin('authority', 'authority.id', 'account.authority_id')
    .select(['c.id', 'c.checked_at', 'c.actor_id', 'account.role', 'account.authority_id', 'authority.name as authority_name'])
    .where('c.id_number', 'in', idNumbers.length ? idNumbers : [''])
    .orderBy('c.checked_at', 'desc')
    .limit(limit)
    .execute();
}

/** Every ID number the person has held (denied lookups name a number, not a person id). */
export async function idNumbersOf(db: Db, personId: number): Promise<string[]> {
  const rows = await db.selectFrom('person_id_number').select('id_number').where('person_id', '=', personId).execute();
  return rows.map((r) => r.id_number);
}

export type AccessEntryRow = Awaited<ReturnType<typeof accessEntriesAbout>>[number];
export type { AccessEntry };

/** The account role behind an actor id (`user:<id>`), for events that record only the actor. */
const ACCOUNT_OF_ACTOR = (column: string) =>
  sql<boolean>`account.id = case when ${sql.ref(column)} ~ '^user:[0-9]{1,18}$' then substr(${sql.ref(column)}, 6)::bigint end`;

/**
 * ID card events of a person (application accepted, confirmed, card delivered, loss reported…), with
 * the accepting authority's name and the role of the account that acted. Reads the idcards module's
 * append-only `id_card_event` table directly, as `registrationEventsOf` reads the register's.
 */
export function cardEventsOf(db: Db, personId: number, limit: number) {
  return db
    .selectFrom('id_card_event as e')
    .leftJoin('account', (join) => join.on(ACCOUNT_OF_ACTOR('e.actor_id')))
    .leftJoin('authority', 'authority.id', 'e.accepting_authority_id')
    .select(['e.id', 'e.kind', 'e.recorded_at', 'e.actor_id', 'account.role', 'authority.name as authority_name', 'e.legal_basis', 'e.application_id'])
    .where('e.person_id', '=', personId)
    .orderBy('e.recorded_at', 'desc')
    .limit(limit)
    .execute();
}

/** Residence events of a person (registered, permit applied, issued, endorsed…); the residence module's `residence_event`, read directly. */
export function residenceEventsOf(db: Db, personId: number, limit: number) {
  return db
    .selectFrom('residence_event as e')
    .leftJoin('account', (join) => join.on(ACCOUNT_OF_ACTOR('e.actor_id')))
    .leftJoin('authority', 'authority.id', 'e.authority_id')
    .select(['e.id', 'e.kind', 'e.recorded_at', 'e.actor_id', 'account.role', 'authority.name as authority_name', 'e.legal_basis', 'e.permit_id', 'e.registration_id'])
    .where('e.person_id', '=', personId)
    .orderBy('e.recorded_at', 'desc')
    .limit(limit)
    .execute();
}

/** Registration events of a person with the role of the account that acted. */
export function registrationEventRolesOf(db: Db, eventIds: number[]) {
  if (eventIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('registration_event as e')
    .innerJoin('account', (join) => join.on(ACCOUNT_OF_ACTOR('e.actor_id')))
    .select(['e.id', 'account.role'])
    .where('e.id', 'in', eventIds)
    .execute();
}
