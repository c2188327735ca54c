import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../platform/db/database.ts';

/**
 * What other modules need from the register's tables, published through `registry/index.ts` so that
 * the SQL naming `person`, `person_id_number`, `membership`, `household` and `registration_event`
 * stays in this module (ARCHITECTURE.md, "Each table has one owning module"). Read-only: the
 * register's writes go through its services. Expressions (`…Of(personId)`) compose into another
 * module's statement, so a join across owners still costs one round trip.
 */

/** A person with the police station of their current hukou (null while in transit or without one). */
function personWithHukou(db: Db) {
  return db
    .selectFrom('person as p')
    .leftJoin('membership as m', (j) => j.onRef('m.person_id', '=', 'p.id').on('m.until', 'is', null))
    .leftJoin('household as h', 'h.id', 'm.household_id')
    .select(['p.id', 'p.id_number', 'p.name', 'p.birth_date', 'p.status', 'p.death_date', 'h.authority_id as hukou_authority_id']);
}

/**
 * The person who holds (or held) `idNumber`, with the police station of their current hukou (null
 * while in transit); with `visible`, only when that condition on the person's id holds (the
 * caller's `personVisibleTo`).
 */
export function findPersonWithHukou(db: Db, idNumber: string, visible?: (personId: Expression<number>) => Expression<SqlBool>) {
  let q = personWithHukou(db)
    .where((eb) =>
      eb.or([
        eb('p.id_number', '=', idNumber),
        eb('p.id', 'in', eb.selectFrom('person_id_number as n').select('n.person_id').where('n.id_number', '=', idNumber)),
      ]),
    )
    .orderBy(sql`p.id_number = ${idNumber}`, 'desc');
  if (visible) q = q.where(visible(sql.ref('p.id')));
  return q.executeTakeFirst();
}

export type PersonWithHukouRow = NonNullable<Awaited<ReturnType<typeof findPersonWithHukou>>>;

/** The same by internal id. */
export function findPersonWithHukouById(db: Db, personId: number) {
  return personWithHukou(db).where('p.id', '=', personId).executeTakeFirst();
}

/** The id of the person holding (or having held) an ID number, found by the key of person_id_number alone. */
export async function findPersonIdByIdNumber(db: Db, idNumber: string): Promise<number | null> {
  const row = await db.selectFrom('person_id_number').select('person_id').where('id_number', '=', idNumber).executeTakeFirst();
  return row?.person_id ?? null;
}

/** Every ID number the person has held, current one included. */
export async function idNumbersHeldBy(db: Db, personId: number): Promise<string[]> {
  const rows = await db.selectFrom('person_id_number').select('id_number').where('person_id', '=', personId).execute();
  return rows.map((r) => r.id_number);
}

/**
 * Locks the person's register row in key-share mode for the rest of the transaction: it blocks a
 * register write of the person (which locks FOR UPDATE) but no other key-share reader.
 */
export async function lockPersonKeyShare(db: Db, personId: number): Promise<void> {
  await db.selectFrom('person').select('id').where('id', '=', personId).forKeyShare().execute();
}

/** The first living person (by id) for whom `excluded` does not hold — e.g. "has no account". */
export async function firstActivePersonIdWhere(db: Db, excluded: (personId: Expression<number>) => Expression<SqlBool>): Promise<number | null> {
  const row = await db
    .selectFrom('person')
    .select('person.id')
    .where('person.status', '=', 'active')
    .where((eb) => eb.not(excluded(sql.ref('person.id'))))
    .orderBy('person.id')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** SQL condition: the person is alive and on the register (status active). */
export function personIsActive(personId: Expression<number>): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from person reg_p where reg_p.id = ${personId} and reg_p.status = 'active')`;
}

/** SQL condition: the person is active and `idNumber` is their current number (not a former one). */
export function personIsActiveUnder(personId: Expression<number>, idNumber: Expression<string>): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from person reg_p where reg_p.id = ${personId} and reg_p.status = 'active' and reg_p.id_number = ${idNumber})`;
}

/** SQL value: the person's register status (`active`, `deceased`, …). */
export function personStatusOf(personId: Expression<number>) {
  return sql<string>`(select reg_p.status from person reg_p where reg_p.id = ${personId})`;
}

/** SQL value: the person's registered name. */
export function personNameOf(personId: Expression<number>) {
  return sql<string>`(select reg_p.name from person reg_p where reg_p.id = ${personId})`;
}

/** SQL value: the person's current ID number. */
export function currentIdNumberOf(personId: Expression<number>) {
  return sql<string>`(select reg_p.id_number from person reg_p where reg_p.id = ${personId})`;
}

/**
 * Registration events of a person (who changed the register, for which authority), newest first:
 * what the citizen's "who looked at my data" trail shows of the register's own writes.
 */
export function registrationEventsAbout(db: Db, personId: number, limit: number) {
  return db
    .selectFrom('registration_event as e')
    .leftJoin('authority', 'authority.id', 'e.authority_id')
    .select(['e.id', 'e.kind', 'e.occurred_on', 'e.recorded_at', 'e.actor_id', 'e.authority_id', 'authority.name as authority_name', 'e.legal_basis', 'e.application_id'])
    .where('e.person_id', '=', personId)
    .orderBy('e.recorded_at', 'desc')
    .limit(limit)
    .execute();
}
