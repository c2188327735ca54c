import { sql, type Insertable, type Updateable } from 'kysely';
import { authorityInJurisdictionSql, type Actor } from '../access/index.ts';
import type { Db } from '../platform/db/database.ts';
import { currentIdNumberOf, personIsActive, personNameOf } from '../registry/index.ts';
import type { ResidenceEventTable, ResidencePermitEndorsementTable, ResidencePermitTable, ResidenceRegistrationTable } from './residence.tables.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const REGISTRATION_COLUMNS = [
  'id',
  'person_id',
  'city_code',
  'authority_id',
  'address',
  'registered_on',
  'ended_on',
  'end_reason',
] as const;

const PERMIT_COLUMNS = [
  'id',
  'person_id',
  'registration_id',
  'city_code',
  'authority_id',
  'issuing_authority_id',
  'basis',
  'basis_evidence',
  'applied_on',
  'due_on',
  'status',
  'issued_on',
  'decided_on',
  'decision_reason',
  'residence_counted_from',
  'endorsement_anchor',
  'endorsed_years',
  'endorsement_due_on',
  'version',
] as const;

export function findOpenRegistration(db: Db, personId: number) {
  return db.selectFrom('residence_registration').select(REGISTRATION_COLUMNS).where('person_id', '=', personId).where('ended_on', 'is', null).executeTakeFirst();
}

export type RegistrationRow = NonNullable<Awaited<ReturnType<typeof findOpenRegistration>>>;

/** The person a registration belongs to (to take the person lock before the row lock). */
export async function findRegistrationOwner(db: Db, id: string): Promise<number | undefined> {
  if (!UUID.test(id)) return undefined;
  const row = await db.selectFrom('residence_registration').select('person_id').where('id', '=', id).executeTakeFirst();
  return row?.person_id;
}

export function lockRegistration(db: Db, id: string) {
  return db.selectFrom('residence_registration').select(REGISTRATION_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listRegistrations(db: Db, personId: number) {
  return db.selectFrom('residence_registration').select(REGISTRATION_COLUMNS).where('person_id', '=', personId).orderBy('registered_on', 'desc').orderBy('created_at', 'desc').execute();
}

export function insertRegistration(db: Db, row: Insertable<ResidenceRegistrationTable>) {
  return db.insertInto('residence_registration').values(row).returning(REGISTRATION_COLUMNS).executeTakeFirstOrThrow();
}

export function endRegistration(db: Db, id: string, endedOn: string, reason: string) {
  return db
    .updateTable('residence_registration')
    .set({ ended_on: endedOn, end_reason: reason })
    .where('id', '=', id)
    .where('ended_on', 'is', null)
    .returning(REGISTRATION_COLUMNS)
    .executeTakeFirst();
}

/** The permit in force or being applied for (at most one, by the partial unique index). */
export function findOpenPermit(db: Db, personId: number) {
  return db.selectFrom('residence_permit').select(PERMIT_COLUMNS).where('person_id', '=', personId).where('status', 'in', ['applied', 'issued']).executeTakeFirst();
}

export type PermitRow = NonNullable<Awaited<ReturnType<typeof findOpenPermit>>>;

export async function findPermitOwner(db: Db, id: string): Promise<number | undefined> {
  if (!UUID.test(id)) return undefined;
  const row = await db.selectFrom('residence_permit').select('person_id').where('id', '=', id).executeTakeFirst();
  return row?.person_id;
}

export function lockPermit(db: Db, id: string) {
  return db.selectFrom('residence_permit').select(PERMIT_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listPermits(db: Db, personId: number) {
  return db.selectFrom('residence_permit').select(PERMIT_COLUMNS).where('person_id', '=', personId).orderBy('applied_on', 'desc').orderBy('created_at', 'desc').execute();
}

export function insertPermit(db: Db, row: Insertable<ResidencePermitTable>) {
  return db.insertInto('residence_permit').values(row).returning(PERMIT_COLUMNS).executeTakeFirstOrThrow();
}

/** Applies `changes` to a permit still at `version` (the caller holds its row lock). */
export function updatePermit(db: Db, id: string, version: number, changes: Updateable<ResidencePermitTable>) {
  return db
    .updateTable('residence_permit')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(PERMIT_COLUMNS)
    .executeTakeFirstOrThrow();
}

export function insertEndorsement(db: Db, row: Insertable<ResidencePermitEndorsementTable>) {
  return db
    .insertInto('residence_permit_endorsement')
    .values(row)
    .returning(['id', 'permit_id', 'endorsed_on', 'anniversary', 'late', 'authority_id'])
    .executeTakeFirstOrThrow();
}

export function listEndorsements(db: Db, permitIds: string[]) {
  if (permitIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('residence_permit_endorsement as e')
    .select(['e.id', 'e.permit_id', 'e.endorsed_on', 'e.anniversary', 'e.late', 'e.authority_id'])
    .where('e.permit_id', 'in', permitIds)
    .orderBy('e.endorsed_on')
    .orderBy('e.id')
    .execute();
}

export type EndorsementRow = Awaited<ReturnType<typeof listEndorsements>>[number];

export async function insertResidenceEvent(db: Db, row: Omit<Insertable<ResidenceEventTable>, 'data'> & { data?: Record<string, unknown> }): Promise<void> {
  await db
    .insertInto('residence_event')
    .values({ ...row, data: JSON.stringify(row.data ?? {}) })
    .execute();
}

/** Issued permits whose endorsement anniversary falls in [from, to], in (anniversary, id) order after `after` (the notifier's scan, by index). */
export function listPermitsWithAnniversaryBetween(db: Db, from: string, to: string, after: { anniversary: string; id: string } | null, limit: number) {
  let query = db
    .selectFrom('residence_permit as p')
    .select(['p.id', 'p.person_id', 'p.endorsement_due_on', 'p.city_code'])
    .where('p.status', '=', 'issued')
    .where(personIsActive(sql.ref('p.person_id')))
    .where('p.endorsement_due_on', '>=', from)
    .where('p.endorsement_due_on', '<=', to);
  if (after) query = query.where(sql<boolean>`(p.endorsement_due_on, p.id) > (${after.anniversary}::date, ${after.id}::uuid)`);
  return query.orderBy('p.endorsement_due_on').orderBy('p.id').limit(limit).execute();
}

export function findRegistration(db: Db, id: string) {
  if (!UUID.test(id)) return Promise.resolve(undefined);
  return db.selectFrom('residence_registration').select(REGISTRATION_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export function findPermit(db: Db, id: string) {
  if (!UUID.test(id)) return Promise.resolve(undefined);
  return db.selectFrom('residence_permit').select(PERMIT_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** Permit applications waiting for a decision where they were accepted (in the actor's area), most urgent first. */
export function listPendingPermits(db: Db, actor: Actor, limit: number) {
  return db
    .selectFrom('residence_permit as rp')
    .select(['rp.id', 'rp.person_id', 'rp.applied_on', 'rp.due_on', 'rp.authority_id'])
    .select([currentIdNumberOf(sql.ref('rp.person_id')).as('id_number'), personNameOf(sql.ref('rp.person_id')).as('name')])
    .where('rp.status', '=', 'applied')
    .where(authorityInJurisdictionSql(actor, sql.ref('rp.authority_id')))
    .orderBy('rp.due_on')
    .orderBy('rp.applied_on')
    .orderBy('rp.id')
    .limit(limit)
    .execute();
}

/** Residence events of a person (registered, permit applied, issued, endorsed…), newest first: the citizen's trail. */
export function residenceEventsAbout(db: Db, personId: number, limit: number) {
  return db
    .selectFrom('residence_event as e')
    .leftJoin('authority', 'authority.id', 'e.authority_id')
    .select(['e.id', 'e.kind', 'e.recorded_at', 'e.actor_id', 'authority.name as authority_name', 'e.legal_basis', 'e.permit_id', 'e.registration_id'])
    .where('e.person_id', '=', personId)
    .orderBy('e.recorded_at', 'desc')
    .limit(limit)
    .execute();
}
