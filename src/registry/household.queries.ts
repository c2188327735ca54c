import { sql, type Insertable, type Updateable } from 'kysely';
import { placeInJurisdiction, type Actor } from '../access/index.ts';
import type { Db } from '../platform/db/database.ts';
import type { HouseholdTable } from './registry.tables.ts';

export const HOUSEHOLD_COLUMNS = [
  'h.id',
  'h.household_number',
  'h.kind',
  'h.county_code',
  'h.township_code',
  'h.address',
  'h.authority_id',
  'h.head_person_id',
  'h.status',
  'h.version',
] as const;

/** The same columns unqualified, for INSERT … RETURNING. */
const HOUSEHOLD_FIELDS = [
  'id',
  'household_number',
  'kind',
  'county_code',
  'township_code',
  'address',
  'authority_id',
  'head_person_id',
  'status',
  'version',
] as const;

/** Condition: household `h` lies in the actor's jurisdiction (a registration officer changes only households of their area). */
function inJurisdiction(actor: Actor) {
  return placeInJurisdiction(actor, sql.ref('h.county_code'), sql.ref('h.township_code'));
}

/** The household with this number, if it lies in the actor's jurisdiction. */
export function findHouseholdByNumber(db: Db, householdNumber: string, actor: Actor) {
  return db.selectFrom('household as h').select(HOUSEHOLD_COLUMNS).where('h.household_number', '=', householdNumber).where(inJurisdiction(actor)).executeTakeFirst();
}

export type HouseholdRow = NonNullable<Awaited<ReturnType<typeof findHouseholdByNumber>>>;

/** The household with this number, if it lies in the actor's jurisdiction, row-locked. */
export function lockHouseholdByNumber(db: Db, householdNumber: string, actor: Actor) {
  return db.selectFrom('household as h').select(HOUSEHOLD_COLUMNS).where('h.household_number', '=', householdNumber).where(inJurisdiction(actor)).forUpdate().executeTakeFirst();
}

export function findHouseholdById(db: Db, id: number) {
  return db.selectFrom('household as h').select(HOUSEHOLD_COLUMNS).where('h.id', '=', id).executeTakeFirstOrThrow();
}

export function lockHouseholdById(db: Db, id: number) {
  return db.selectFrom('household as h').select(HOUSEHOLD_COLUMNS).where('h.id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

/** Locks households in ascending id order, so two operations on the same pair cannot deadlock. */
export function lockHouseholdsById(db: Db, ids: number[]) {
  return db.selectFrom('household as h').select(HOUSEHOLD_COLUMNS).where('h.id', 'in', ids).orderBy('h.id').forUpdate().execute();
}

export async function nextHouseholdSequence(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`select nextval('household_number_seq') as n`.execute(db);
  return rows[0]!.n;
}

export function insertHousehold(db: Db, row: Insertable<HouseholdTable>) {
  return db.insertInto('household').values(row).returning(HOUSEHOLD_FIELDS).executeTakeFirstOrThrow();
}

/** An update of one household that applies `changes` and bumps its version. */
function bumpHousehold(db: Db, id: number, changes: Updateable<HouseholdTable>) {
  return db
    .updateTable('household as h')
    .set({ ...changes, version: sql`h.version + 1`, updated_at: sql`now()` })
    .where('h.id', '=', id)
    .returning(HOUSEHOLD_COLUMNS);
}

/** Applies `changes` and bumps the version; no row when the household is not at `expectedVersion`. */
export function updateHouseholdAtVersion(db: Db, id: number, expectedVersion: number, changes: Updateable<HouseholdTable>) {
  return bumpHousehold(db, id, changes).where('h.version', '=', expectedVersion).executeTakeFirst();
}

/** Applies `changes` and bumps the version of a household changed as a side effect (a member moved in or out). */
export function updateHousehold(db: Db, id: number, changes: Updateable<HouseholdTable>) {
  return bumpHousehold(db, id, changes).executeTakeFirstOrThrow();
}

export function findTownship(db: Db, code: string) {
  return db.selectFrom('township').select(['code', 'county_code', 'name']).where('code', '=', code).executeTakeFirst();
}

export function findAuthority(db: Db, id: string) {
  return db.selectFrom('authority').select(['id', 'kind', 'name', 'division_code', 'township_code']).where('id', '=', id).executeTakeFirst();
}

// ---- memberships -------------------------------------------------------------------------------

const MEMBERSHIP_COLUMNS = ['m.id', 'm.person_id', 'm.household_id', 'm.relationship', 'm.since', 'm.until'] as const;

/** The person's current membership (at most one: membership_one_current_idx). */
export function findCurrentMembership(db: Db, personId: number) {
  return db.selectFrom('membership as m').select(MEMBERSHIP_COLUMNS).where('m.person_id', '=', personId).where('m.until', 'is', null).executeTakeFirst();
}

export type MembershipRow = NonNullable<Awaited<ReturnType<typeof findCurrentMembership>>>;

export function openMembership(db: Db, row: { person_id: number; household_id: number; relationship: string; since: string }) {
  return db.insertInto('membership').values({ ...row, until: null }).returning(['id', 'person_id', 'household_id', 'relationship', 'since', 'until']).executeTakeFirstOrThrow();
}

export function closeMembership(db: Db, id: number, until: string) {
  return db.updateTable('membership').set({ until }).where('id', '=', id).execute();
}

/** Undoes a closing (transfer compensation): the membership is current again as if never closed. */
export function reopenMembership(db: Db, id: number) {
  return db.updateTable('membership').set({ until: null }).where('id', '=', id).execute();
}

export function setRelationship(db: Db, membershipId: number, relationship: string) {
  return db.updateTable('membership').set({ relationship }).where('id', '=', membershipId).execute();
}

/** Current members with the particulars the 户口簿 member page shows, head first (add the household filter). */
export function membersQuery(db: Db) {
  return db
    .selectFrom('membership as m')
    .innerJoin('person as p', 'p.id', 'm.person_id')
    .leftJoin('code_entry as r', (j) => j.on('r.table_name', '=', 'relationship').onRef('r.code', '=', 'm.relationship'))
    .leftJoin('code_entry as s', (j) => j.on('s.table_name', '=', 'sex').onRef('s.code', '=', 'p.sex'))
    .leftJoin('code_entry as n', (j) => j.on('n.table_name', '=', 'ethnicity').onRef('n.code', '=', 'p.ethnicity'))
    .select([
      'm.id as membership_id',
      'm.relationship',
      'r.name as relationship_name',
      'm.since',
      'p.id',
      'p.id_number',
      'p.name',
      'p.former_names',
      'p.sex',
      's.name as sex_name',
      'p.birth_date',
      'p.ethnicity',
      'n.name as ethnicity_name',
      'p.birthplace_code',
      'p.native_place_code',
      'p.education',
      'p.marital_status',
      'p.occupation',
      'p.employer',
      'p.status',
      'p.version',
    ])
    .where('m.until', 'is', null)
    .orderBy(sql`m.relationship <> '02'`)
    .orderBy('m.relationship')
    .orderBy('p.birth_date');
}

/** Current members of a household, head first. */
export function listMembers(db: Db, householdId: number) {
  return membersQuery(db).where('m.household_id', '=', householdId).execute();
}

export type MemberRow = Awaited<ReturnType<typeof listMembers>>[number];

/** Current memberships of `household` for the given persons (to check they are members). */
export function findMemberships(db: Db, householdId: number, personIds: number[]) {
  return db
    .selectFrom('membership as m')
    .select(MEMBERSHIP_COLUMNS)
    .where('m.household_id', '=', householdId)
    .where('m.person_id', 'in', personIds)
    .where('m.until', 'is', null)
    .execute();
}

export async function countMembers(db: Db, householdId: number): Promise<number> {
  const row = await db
    .selectFrom('membership')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('household_id', '=', householdId)
    .where('until', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Open transfers whose destination is this household (it cannot close while one may move in). */
export async function countOpenTransfersInto(db: Db, householdId: number): Promise<number> {
  const row = await db
    .selectFrom('transfer')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('destination_household_id', '=', householdId)
    .where('state', 'in', ['applied', 'destination_approved', 'origin_moved_out'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
