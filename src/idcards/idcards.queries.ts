import { sql, type Insertable, type Updateable } from 'kysely';
import { authorityInJurisdictionSql, type Actor } from '../access/index.ts';
import type { Db } from '../platform/db/database.ts';
import { PREPARED } from '../platform/db/prepared.ts';
import { currentIdNumberOf, personIsActiveUnder, personStatusOf } from '../registry/index.ts';
import type { CardStatus, IdCardApplicationTable, IdCardCheckTable, IdCardEventTable, IdCardTable } from './idcards.tables.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const APPLICATION_COLUMNS = [
  'id',
  'person_id',
  'kind',
  'reason',
  'applied_on',
  'id_number',
  'name',
  'age_on_application',
  'late',
  'validity_months',
  'previous_card_id',
  'accepting_authority_id',
  'hukou_authority_id',
  'issuing_authority_id',
  'scope',
  'residence_permit_id',
  'legal_basis',
  'fee_standard_yuan',
  'fee_due_yuan',
  'fee_waiver',
  'fee_source',
  'due_on',
  'state',
  'decision_reason',
  'card_id',
  'confirmed_on',
  'delivered_on',
] as const;

const CARD_COLUMNS = [
  'id',
  'person_id',
  'kind',
  'id_number',
  'name',
  'valid_from',
  'valid_until',
  'status',
  'status_changed_on',
  'issuing_authority_id',
  'application_id',
  'delivered_on',
] as const;

// ---- applications -----------------------------------------------------------------------------

export function findApplication(db: Db, id: string) {
  if (!UUID.test(id)) return Promise.resolve(undefined);
  return db.selectFrom('id_card_application').select(APPLICATION_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export type ApplicationRow = NonNullable<Awaited<ReturnType<typeof findApplication>>>;

export function lockApplication(db: Db, id: string) {
  return db.selectFrom('id_card_application').select(APPLICATION_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The open (accepted or confirmed) resident-card or temporary-card application of a person. */
export function findOpenApplication(db: Db, personId: number, temporary: boolean) {
  return db
    .selectFrom('id_card_application')
    .select(APPLICATION_COLUMNS)
    .where('person_id', '=', personId)
    .where('state', 'in', ['accepted', 'confirmed'])
    .where('kind', temporary ? '=' : '<>', 'temporary')
    .executeTakeFirst();
}

export function listApplications(db: Db, personId: number) {
  return db.selectFrom('id_card_application').select(APPLICATION_COLUMNS).where('person_id', '=', personId).orderBy('applied_on', 'desc').orderBy('created_at', 'desc').execute();
}

/** Open applications (accepted or confirmed) whose hukou place (or accepting authority) lies in the actor's area, oldest deadline first. */
export function listOpenApplicationsFor(db: Db, actor: Actor, side: 'hukou' | 'accepting', limit: number) {
  const column = side === 'hukou' ? sql.ref<string>('hukou_authority_id') : sql.ref<string>('accepting_authority_id');
  return db
    .selectFrom('id_card_application')
    .select(APPLICATION_COLUMNS)
    .where('state', 'in', ['accepted', 'confirmed'])
    .where(authorityInJurisdictionSql(actor, column))
    .orderBy('due_on')
    .limit(limit)
    .execute();
}

export function insertApplication(db: Db, row: Insertable<IdCardApplicationTable>) {
  return db.insertInto('id_card_application').values(row).returning(APPLICATION_COLUMNS).executeTakeFirstOrThrow();
}

/** Moves an application from `fromState` (the caller holds its row lock). */
export function updateApplication(db: Db, id: string, fromState: ApplicationRow['state'], changes: Updateable<IdCardApplicationTable>) {
  return db
    .updateTable('id_card_application')
    .set({ ...changes, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('state', '=', fromState)
    .returning(APPLICATION_COLUMNS)
    .executeTakeFirstOrThrow();
}

// ---- cards ------------------------------------------------------------------------------------

export function listCards(db: Db, personId: number) {
  return db.selectFrom('id_card').select(CARD_COLUMNS).where('person_id', '=', personId).orderBy('valid_from', 'desc').orderBy('created_at', 'desc').execute();
}

export type CardRow = Awaited<ReturnType<typeof listCards>>[number];

/**
 * The person's cards, locked, for a writer that changes their status (confirmation, loss report).
 * The expiry sweep takes no person lock, only these rows: a writer that waited for it reads the
 * card as the sweep left it instead of updating a row that is no longer valid.
 */
export function lockCards(db: Db, personId: number) {
  return db.selectFrom('id_card').select(CARD_COLUMNS).where('person_id', '=', personId).orderBy('valid_from', 'desc').orderBy('created_at', 'desc').forUpdate().execute();
}

export function findCard(db: Db, id: string) {
  return db.selectFrom('id_card').select(CARD_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export function insertCard(db: Db, row: Insertable<IdCardTable>) {
  return db.insertInto('id_card').values(row).returning(CARD_COLUMNS).executeTakeFirstOrThrow();
}

export function setCardStatus(db: Db, id: string, fromStatus: CardRow['status'], status: CardRow['status'], on: string) {
  return db
    .updateTable('id_card')
    .set({ status, status_changed_on: on })
    .where('id', '=', id)
    .where('status', '=', fromStatus)
    .returning(CARD_COLUMNS)
    .executeTakeFirstOrThrow();
}

export function setCardDelivered(db: Db, id: string, on: string) {
  return db.updateTable('id_card').set({ delivered_on: on }).where('id', '=', id).returning(CARD_COLUMNS).executeTakeFirstOrThrow();
}

/** The card a checker holds: its printed number and validity start, with the holder's current number and status. */
export async function findCardForCheck(db: Db, idNumber: string, validFrom: string) {
  // a prepared statement (src/platform/db/prepared.ts): the card check is the most frequent call
  const { rows } = await sql<{ id: string; kind: 'resident' | 'temporary'; id_number: string; status: CardStatus; valid_until: string | null; person_status: string; person_id_number: string }>`${sql.raw(PREPARED)}
    select c.id, c.kind, c.id_number, c.status, c.valid_until,
           ${personStatusOf(sql.ref('c.person_id'))} as person_status, ${currentIdNumberOf(sql.ref('c.person_id'))} as person_id_number
      from id_card c
     where c.id_number = ${idNumber} and c.valid_from = ${validFrom}
     order by c.status = 'valid' desc
     limit 1`.execute(db);
  return rows[0];
}

/** Valid cards past their last day (the expiry sweep), oldest first, locked and skipped if another sweep holds them. */
export function lockExpiredValidCards(db: Db, today: string, limit: number) {
  return db
    .selectFrom('id_card')
    .select(CARD_COLUMNS)
    .where('status', '=', 'valid')
    .where('valid_until', '<', today)
    .orderBy('valid_until')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Valid resident cards whose last day falls in [from, to], in (valid_until, id) order after `after` (the notifier's scan). */
export function listCardsExpiringBetween(db: Db, from: string, to: string, after: { validUntil: string; id: string } | null, limit: number) {
  let query = db
    .selectFrom('id_card as c')
    .select(['c.id', 'c.person_id', 'c.valid_until'])
    .where('c.status', '=', 'valid')
    .where('c.kind', '=', 'resident')
    .where(personIsActiveUnder(sql.ref('c.person_id'), sql.ref('c.id_number')))
    .where('c.valid_until', '>=', from)
    .where('c.valid_until', '<=', to);
  if (after) query = query.where(sql<boolean>`(c.valid_until, c.id) > (${after.validUntil}::date, ${after.id}::uuid)`);
  return query.orderBy('c.valid_until').orderBy('c.id').limit(limit).execute();
}

// ---- events and checks ------------------------------------------------------------------------

export async function insertCardEvents(db: Db, rows: (Omit<Insertable<IdCardEventTable>, 'data'> & { data?: Record<string, unknown> })[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('id_card_event')
    .values(rows.map((r) => ({ ...r, data: JSON.stringify(r.data ?? {}) })))
    .execute();
}

export function listCardEvents(db: Db, personId: number) {
  return db
    .selectFrom('id_card_event')
    .select(['id', 'kind', 'occurred_on', 'application_id', 'card_id', 'accepting_authority_id', 'hukou_authority_id', 'scope', 'legal_basis', 'actor_id'])
    .where('person_id', '=', personId)
    .orderBy('id', 'desc')
    .execute();
}

export type CardEventRow = Awaited<ReturnType<typeof listCardEvents>>[number];

export async function insertCheck(db: Db, row: Pick<Insertable<IdCardCheckTable>, 'checked_on' | 'actor_id' | 'id_number' | 'valid_from' | 'card_id' | 'valid'>) {
  const { rows } = await sql<{ id: string; valid: boolean }>`${sql.raw(PREPARED)}
    insert into id_card_check (checked_on, actor_id, id_number, valid_from, card_id, valid)
    values (${row.checked_on}, ${row.actor_id}, ${row.id_number}, ${row.valid_from}, ${row.card_id}, ${row.valid})
    returning id, valid`.execute(db);
  return rows[0]!;
}

/** Card checks (`POST /id-cards/check`) of any of these numbers, newest first: the citizen's trail. */
export function cardChecksOfNumbers(db: Db, idNumbers: readonly string[], limit: number) {
  return db
    .selectFrom('id_card_check as c')
    .select(['c.id', 'c.checked_at', 'c.actor_id'])
    .where('c.id_number', 'in', idNumbers.length ? [...idNumbers] : [''])
    .orderBy('c.checked_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Applications waiting for the actor's authority, most urgent first: accepted ones to confirm at the
 * hukou place, confirmed ones to deliver at the accepting counter — both steps for the work queue
 * (issue #12 §5), one for the workbench's ID card queues.
 */
export function listPendingApplications(db: Db, actor: Actor, limit: number, steps: readonly ('confirm' | 'deliver')[] = ['confirm', 'deliver']) {
  return db
    .selectFrom('id_card_application')
    .select(APPLICATION_COLUMNS)
    .where((eb) =>
      eb.or([
        ...(steps.includes('confirm') ? [eb.and([eb('state', '=', 'accepted'), authorityInJurisdictionSql(actor, sql.ref('hukou_authority_id'))])] : []),
        ...(steps.includes('deliver') ? [eb.and([eb('state', '=', 'confirmed'), authorityInJurisdictionSql(actor, sql.ref('accepting_authority_id'))])] : []),
      ]),
    )
    .orderBy('due_on')
    .orderBy('applied_on')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** The person an ID card application concerns, or undefined (a purpose `application:<id>` is checked against it). */
export async function personOfApplication(db: Db, id: string): Promise<number | undefined> {
  if (!UUID.test(id)) return undefined;
  return (await db.selectFrom('id_card_application').select('person_id').where('id', '=', id).executeTakeFirst())?.person_id;
}

/** ID card events of a person (application accepted, confirmed, card delivered, loss reported…), newest first: the citizen's trail. */
export function cardEventsAbout(db: Db, personId: number, limit: number) {
  return db
    .selectFrom('id_card_event as e')
    .leftJoin('authority', 'authority.id', 'e.accepting_authority_id')
    .select(['e.id', 'e.kind', 'e.recorded_at', 'e.actor_id', 'authority.name as authority_name', 'e.legal_basis', 'e.application_id'])
    .where('e.person_id', '=', personId)
    .orderBy('e.recorded_at', 'desc')
    .limit(limit)
    .execute();
}

