import { sql, type Insertable, type Updateable } from 'kysely';
import type { Actor } from '../access/index.ts';
import { personHukouIn } from './hukou.visibility.ts';
import type { Db } from '../platform/db/database.ts';
import type { BirthRecordTable, PersonTable } from './registry.tables.ts';

export const PERSON_COLUMNS = [
  'p.id',
  'p.id_number',
  'p.name',
  'p.name_pinyin',
  'p.former_names',
  'p.sex',
  'p.birth_date',
  'p.ethnicity',
  'p.birthplace_code',
  'p.native_place_code',
  'p.education',
  'p.marital_status',
  'p.occupation',
  'p.employer',
  'p.status',
  'p.death_date',
  'p.version',
] as const;

/** The same columns unqualified, for INSERT … RETURNING. */
const PERSON_FIELDS = [
  'id',
  'id_number',
  'name',
  'name_pinyin',
  'former_names',
  'sex',
  'birth_date',
  'ethnicity',
  'birthplace_code',
  'native_place_code',
  'education',
  'marital_status',
  'occupation',
  'employer',
  'status',
  'death_date',
  'version',
] as const;

/** The person who holds or held `idNumber`, with whether it is their current number. */
export function findPersonByAnyIdNumber(db: Db, idNumber: string) {
  return db
    .selectFrom('person_id_number as n')
    .innerJoin('person as p', 'p.id', 'n.person_id')
    .select([...PERSON_COLUMNS, 'n.valid_to as matched_valid_to'])
    .where('n.id_number', '=', idNumber)
    .executeTakeFirst();
}

export type PersonRow = Omit<NonNullable<Awaited<ReturnType<typeof findPersonByAnyIdNumber>>>, 'matched_valid_to'>;

/**
 * The person currently holding `idNumber`, row-locked for the rest of the transaction; with an
 * actor, only if their current hukou is in the actor's area (`personHukouIn`).
 */
export function lockPersonByIdNumber(db: Db, idNumber: string, actor: Actor | null) {
  let q = db.selectFrom('person as p').select(PERSON_COLUMNS).where('p.id_number', '=', idNumber);
  if (actor) q = q.where(personHukouIn(actor, sql.ref('p.id')));
  return q.forUpdate().executeTakeFirst();
}

export function lockPersonById(db: Db, id: number) {
  return db.selectFrom('person as p').select(PERSON_COLUMNS).where('p.id', '=', id).forUpdate().executeTakeFirst();
}

/** Locks the persons of `ids` in ascending id order (the register's lock order: persons, then households). */
export function lockPersonsByIdNumbers(db: Db, idNumbers: string[]) {
  return db.selectFrom('person as p').select(PERSON_COLUMNS).where('p.id_number', 'in', idNumbers).orderBy('p.id').forUpdate().execute();
}

export function insertPerson(db: Db, row: Insertable<PersonTable>) {
  return db.insertInto('person').values(row).returning(PERSON_FIELDS).executeTakeFirstOrThrow();
}

/** Applies `changes` and bumps the version; no row when the person is not at `expectedVersion`. */
export function updatePersonAtVersion(db: Db, id: number, expectedVersion: number, changes: Updateable<PersonTable>) {
  return db
    .updateTable('person as p')
    .set({ ...changes, version: sql`p.version + 1`, updated_at: sql`now()` })
    .where('p.id', '=', id)
    .where('p.version', '=', expectedVersion)
    .returning(PERSON_COLUMNS)
    .executeTakeFirst();
}

/** Bumps the version of a person whose registration changed as a side effect of another operation. */
export function touchPerson(db: Db, id: number) {
  return db
    .updateTable('person as p')
    .set({ version: sql`p.version + 1`, updated_at: sql`now()` })
    .where('p.id', '=', id)
    .returning(['p.id', 'p.version'])
    .executeTakeFirstOrThrow();
}

export function insertIdNumber(db: Db, row: { id_number: string; person_id: number; valid_from: string; reason: string }) {
  return db.insertInto('person_id_number').values({ ...row, valid_to: null }).execute();
}

export function closeIdNumber(db: Db, idNumber: string, validTo: string) {
  return db.updateTable('person_id_number').set({ valid_to: validTo }).where('id_number', '=', idNumber).execute();
}

/** True when any person holds or held `idNumber` (current numbers are also in person_id_number). */
export async function idNumberTaken(db: Db, idNumber: string): Promise<boolean> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.or([
        eb.exists(eb.selectFrom('person_id_number').select('id_number').where('id_number', '=', idNumber)),
        eb.exists(eb.selectFrom('person').select('id').where('id_number', '=', idNumber)),
      ]).as('taken'),
    ])
    .executeTakeFirstOrThrow();
  return Boolean(row.taken);
}

/** Whether a birth was already registered with this 出生医学证明 number (unique: birth_record). */
export async function birthCertificateRegistered(db: Db, certificateNumber: string): Promise<boolean> {
  return (await db.selectFrom('birth_record').select('person_id').where('certificate_number', '=', certificateNumber).executeTakeFirst()) !== undefined;
}

export function insertBirthRecord(db: Db, row: Insertable<BirthRecordTable>) {
  return db.insertInto('birth_record').values(row).execute();
}
