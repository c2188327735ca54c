import { sql, type RawBuilder } from 'kysely';
import { personVisibleTo, placeInJurisdiction, type Actor, type Purpose } from '../access/index.ts';
import type { Db } from '../platform/db/database.ts';
import { PREPARED } from '../platform/db/prepared.ts';

/** Internal ids of what a read returned, for the access log (`noteReturnedRecords`). */
export interface ReturnedIds {
  personIds: number[];
  householdIds: number[];
}

const ids = (xs: (number | string)[] | null): number[] => (xs ?? []).map(Number);

/** The ids of the current members of household `householdId` (a column), for the access log. */
function currentMemberIds(householdId: RawBuilder<unknown>) {
  return sql<string[]>`array(select cm.person_id from membership cm where cm.household_id = ${householdId} and cm.until is null order by cm.person_id)`;
}

interface BookletRow {
  booklet: unknown;
  household_id: number;
  member_ids: string[];
}

/** The 户口簿 of household `householdId` (a column, db/migrations/0003_views.sql), its id and its members' ids. */
function bookletColumns(householdId: RawBuilder<unknown>) {
  return sql`registry_household_booklet(${householdId}) as booklet, ${householdId} as household_id, ${currentMemberIds(householdId)} as member_ids`;
}

function bookletOf(rows: BookletRow[]): { booklet: unknown; returned: ReturnedIds } | undefined {
  const row = rows[0];
  if (!row?.booklet) return undefined;
  return { booklet: row.booklet, returned: { personIds: ids(row.member_ids), householdIds: [row.household_id] } };
}

/**
 * The 户口簿 of a household in the actor's jurisdiction as the API shows it, with the ids of the
 * household and its current members; undefined when there is no such household or it lies outside
 * the jurisdiction. One round trip, a prepared statement (src/platform/db/prepared.ts); PL/pgSQL
 * keeps the plans of the function's statements per connection.
 */
export async function findHouseholdBooklet(db: Db, actor: Actor, householdNumber: string): Promise<{ booklet: unknown; returned: ReturnedIds } | undefined> {
  const { rows } = await sql<BookletRow>`${sql.raw(PREPARED)}
    select ${bookletColumns(sql.ref('h.id'))}
      from household h
     where h.household_number = ${householdNumber}
       and ${placeInJurisdiction(actor, sql.ref('h.county_code'), sql.ref('h.township_code'))}`.execute(db);
  return bookletOf(rows);
}

/**
 * The 户口簿 of the household `personId` is currently registered in (a citizen's own), with the ids
 * of the household and its members; undefined without a current household.
 */
export async function findOwnHouseholdBooklet(db: Db, personId: number): Promise<{ booklet: unknown; returned: ReturnedIds } | undefined> {
  const { rows } = await sql<BookletRow>`${sql.raw(PREPARED)}
    select ${bookletColumns(sql.ref('m.household_id'))}
      from membership m
     where m.person_id = ${personId} and m.until is null`.execute(db);
  return bookletOf(rows);
}

/**
 * The full record of the holder (now or formerly) of `idNumber` when the actor may see them for
 * `purpose` (db/migrations/0010_scoped_views.sql), or null: in one round trip, the person is found
 * through `personVisibleTo`, and their household (with its members) is shown only when it lies in
 * the actor's jurisdiction. Returns the ids of every person and household whose data is in it.
 */
export async function findPersonView(db: Db, actor: Actor, purpose: Purpose | null, idNumber: string, timelineLimit: number): Promise<{ view: unknown; returned: ReturnedIds } | null> {
  const { rows } = await sql<{ view: unknown; person_id: number; household_id: number | null; member_ids: string[] | null }>`${sql.raw(PREPARED)}
    select registry_person_record(pin.person_id, pin.id_number, ${timelineLimit}, hh.household_id is not null) as view,
           pin.person_id, hh.household_id, hh.member_ids
      from person_id_number pin
      left join lateral (
        select m.household_id,
               ${currentMemberIds(sql.ref('m.household_id'))} as member_ids
          from membership m join household h on h.id = m.household_id
         where m.person_id = pin.person_id and m.until is null
           and ${placeInJurisdiction(actor, sql.ref('h.county_code'), sql.ref('h.township_code'))}
      ) hh on true
     where pin.id_number = ${idNumber}
       and ${personVisibleTo(actor, sql.ref('pin.person_id'), purpose)}`.execute(db);
  const row = rows[0];
  if (!row?.view) return null;
  const personIds = [...new Set([row.person_id, ...ids(row.member_ids)])];
  return { view: row.view, returned: { personIds, householdIds: row.household_id === null ? [] : [row.household_id] } };
}

export interface SearchCriteria {
  /** Chinese characters, matched as a substring of the name. */
  nameText?: string | undefined;
  /** Pinyin letters, matched as a substring of name_pinyin. */
  pinyinText?: string | undefined;
  birthDateFrom?: string | undefined;
  birthDateTo?: string | undefined;
  /** Province, prefecture or county code prefix (2, 4 or 6 digits) of the current household's county. */
  divisionPrefix?: string | undefined;
  afterId?: number | undefined;
  limit: number;
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Persons visible to the actor (`personVisibleTo`, without a purpose: hukou or residence in the
 * area) matching all given criteria, in id order after `afterId` (keyset pagination). Chinese
 * names go through the GIN index on the name's characters (names holding every character of the
 * query, db/migrations/0012_name_characters.sql) and are re-checked with LIKE for their order;
 * pinyin through the trigram index on name_pinyin.
 */
export function searchPersons(db: Db, actor: Actor, c: SearchCriteria) {
  const hukouInArea = placeInJurisdiction(actor, sql.ref('h.county_code'), sql.ref('h.township_code'));
  let q = db
    .selectFrom('person as p')
    .leftJoin('membership as m', (j) => j.onRef('m.person_id', '=', 'p.id').on('m.until', 'is', null))
    .leftJoin('household as h', 'h.id', 'm.household_id')
    .select(['p.id', 'p.id_number', 'p.name', 'p.sex', 'p.birth_date', 'p.status'])
    // the hukou county only when that household is in the actor's area: someone seen through their
    // residence is found, but where their hukou lies is not shown, nor searchable by division
    .select(sql<string | null>`case when ${hukouInArea} then h.county_code end`.as('county_code'))
    .where(personVisibleTo(actor, sql.ref('p.id'), null));
  if (c.nameText) {
    const characters = [...new Set(c.nameText)];
    q = q
      .where(sql<boolean>`string_to_array(p.name, null::text) @> ${characters}::text[]`)
      .where(sql<boolean>`p.name like ${`%${likeEscape(c.nameText)}%`}`);
  }
  if (c.pinyinText) q = q.where('p.name_pinyin', 'like', `%${likeEscape(c.pinyinText)}%`);
  if (c.birthDateFrom) q = q.where('p.birth_date', '>=', c.birthDateFrom);
  if (c.birthDateTo) q = q.where('p.birth_date', '<=', c.birthDateTo);
  if (c.divisionPrefix) q = q.where('h.county_code', 'like', `${c.divisionPrefix}%`).where(hukouInArea);
  if (c.afterId !== undefined) q = q.where('p.id', '>', c.afterId);
  return q.orderBy('p.id').limit(c.limit + 1).execute();
}

/** The current ID number of a person (to open a search handle), or undefined. */
export async function currentIdNumberOf(db: Db, personId: number): Promise<string | undefined> {
  return (await db.selectFrom('person').select('id_number').where('id', '=', personId).executeTakeFirst())?.id_number;
}
/** What the birth registrations of these persons recorded (birth_record, migration 0025), with the linked parents' current ID numbers. */
export function findBirthRecords(db: Db, personIds: number[]) {
  if (personIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('birth_record as b')
    .innerJoin('person as c', 'c.id', 'b.person_id')
    .leftJoin('person as m', 'm.id', 'b.mother_person_id')
    .leftJoin('person as f', 'f.id', 'b.father_person_id')
    .select(['c.id_number', 'b.certificate_number', 'b.mother_name', 'm.id_number as mother_id_number', 'b.father_name', 'f.id_number as father_id_number'])
    .where('b.person_id', 'in', personIds)
    .execute();
}

export type BirthRecordRow = Awaited<ReturnType<typeof findBirthRecords>>[number];
