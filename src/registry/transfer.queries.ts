import { sql, type Expression, type Insertable, type SqlBool, type Updateable } from 'kysely';
import { authorityInJurisdictionSql, jurisdictionOf, placeInJurisdiction, type Actor } from '../access/index.ts';
import type { Db } from '../platform/db/database.ts';
import type { TransferState, TransferTable } from './registry.tables.ts';

export const OPEN_TRANSFER_STATES: readonly TransferState[] = ['applied', 'destination_approved', 'origin_moved_out'];

const TRANSFER_COLUMNS = [
  't.id',
  't.person_id',
  't.origin_household_id',
  't.destination_household_id',
  't.origin_authority_id',
  't.destination_authority_id',
  't.relationship',
  't.category',
  't.state',
  't.reason',
  't.decision_reason',
  't.applied_on',
  't.deadline',
  't.origin_membership_id',
  't.destination_membership_id',
  't.applied_by',
  't.approved_at',
  't.moved_out_at',
  't.moved_in_at',
  't.closed_at',
  't.version',
  't.created_at',
] as const;

/** The same columns unqualified, for INSERT … RETURNING. */
const TRANSFER_FIELDS = [
  'id',
  'person_id',
  'origin_household_id',
  'destination_household_id',
  'origin_authority_id',
  'destination_authority_id',
  'relationship',
  'category',
  'state',
  'reason',
  'decision_reason',
  'applied_on',
  'deadline',
  'origin_membership_id',
  'destination_membership_id',
  'applied_by',
  'approved_at',
  'moved_out_at',
  'moved_in_at',
  'closed_at',
  'version',
  'created_at',
] as const;

export function insertTransfer(db: Db, row: Insertable<TransferTable>) {
  return db.insertInto('transfer').values(row).returning(TRANSFER_FIELDS).executeTakeFirstOrThrow();
}

/** The transfer row, locked: saga steps on one transfer run one at a time. */
export function lockTransfer(db: Db, id: string) {
  return db.selectFrom('transfer as t').select(TRANSFER_COLUMNS).where('t.id', '=', id).forUpdate().executeTakeFirst();
}

export type TransferRow = NonNullable<Awaited<ReturnType<typeof lockTransfer>>>;

export function updateTransfer(db: Db, id: string, changes: Updateable<TransferTable>) {
  return db
    .updateTable('transfer as t')
    .set({ ...changes, version: sql`t.version + 1`, updated_at: sql`now()` })
    .where('t.id', '=', id)
    .returning(TRANSFER_COLUMNS)
    .executeTakeFirstOrThrow();
}

export function findOpenTransferOfPerson(db: Db, personId: number) {
  return db
    .selectFrom('transfer as t')
    .select(['t.id', 't.state'])
    .where('t.person_id', '=', personId)
    .where('t.state', 'in', OPEN_TRANSFER_STATES)
    .executeTakeFirst();
}

/**
 * Kysely condition on a transfer `t` joined with its origin household `o` and destination household
 * `d`: both ends see a transfer (either household in the actor's area); a citizen sees their own.
 */
export function transferVisibleTo(actor: Actor): Expression<SqlBool> {
  const j = jurisdictionOf(actor);
  if (j.kind === 'self') return j.personId === null ? sql<SqlBool>`false` : sql<SqlBool>`t.person_id = ${j.personId}`;
  return sql<SqlBool>`(${placeInJurisdiction(actor, sql.ref('o.county_code'), sql.ref('o.township_code'))}
    or ${placeInJurisdiction(actor, sql.ref('d.county_code'), sql.ref('d.township_code'))})`;
}

/** A transfer with what both ends show (person, households, authorities), if the actor sees it (`transferVisibleTo`). */
export function findTransferView(db: Db, actor: Actor, id: string) {
  return db
    .selectFrom('transfer as t')
    .innerJoin('person as p', 'p.id', 't.person_id')
    .innerJoin('household as o', 'o.id', 't.origin_household_id')
    .innerJoin('household as d', 'd.id', 't.destination_household_id')
    .innerJoin('authority as oa', 'oa.id', 't.origin_authority_id')
    .innerJoin('authority as da', 'da.id', 't.destination_authority_id')
    .select([
      ...TRANSFER_COLUMNS,
      'p.id_number',
      'p.name',
      'o.household_number as origin_household_number',
      'd.household_number as destination_household_number',
      'oa.name as origin_authority_name',
      'da.name as destination_authority_name',
    ])
    .where('t.id', '=', id)
    .where(transferVisibleTo(actor))
    .executeTakeFirst();
}

export type TransferViewRow = NonNullable<Awaited<ReturnType<typeof findTransferView>>>;

/** Ids of open transfers whose deadline has passed at `now` and that the actor sees, oldest first. */
export function listOverdueTransferIds(db: Db, actor: Actor, now: Date, limit: number) {
  return db
    .selectFrom('transfer as t')
    .innerJoin('household as o', 'o.id', 't.origin_household_id')
    .innerJoin('household as d', 'd.id', 't.destination_household_id')
    .select('t.id')
    .where(transferVisibleTo(actor))
    .where('t.state', 'in', OPEN_TRANSFER_STATES)
    .where('t.deadline', '<', now)
    .orderBy('t.deadline')
    .limit(limit)
    .execute();
}

/**
 * Open transfers waiting for the actor's end, most urgent first: the destination decides an applied
 * one and moves in after the move-out; the origin moves out after the approval (the work queue).
 */
export function listPendingTransfers(db: Db, actor: Actor, limit: number) {
  return db
    .selectFrom('transfer as t')
    .innerJoin('person as p', 'p.id', 't.person_id')
    .select(['t.id', 't.person_id', 'p.id_number', 'p.name', 't.state', 't.applied_on', 't.deadline', 't.origin_authority_id', 't.destination_authority_id'])
    .where((eb) =>
      eb.or([
        eb.and([eb('t.state', 'in', ['applied', 'origin_moved_out']), authorityInJurisdictionSql(actor, sql.ref('t.destination_authority_id'))]),
        eb.and([eb('t.state', '=', 'destination_approved'), authorityInJurisdictionSql(actor, sql.ref('t.origin_authority_id'))]),
      ]),
    )
    .orderBy('t.deadline')
    .orderBy('t.applied_on')
    .orderBy('t.id')
    .limit(limit)
    .execute();
}

/** The person a transfer concerns, or undefined (a purpose `application:<id>` is checked against it). */
export async function personOfTransfer(db: Db, id: string): Promise<number | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  return (await db.selectFrom('transfer').select('person_id').where('id', '=', id).executeTakeFirst())?.person_id;
}
