import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';

/**
 * The 户口簿 of a household as the API shows it (db/migrations/0003_views.sql), or undefined.
 * One round trip; PL/pgSQL keeps the plans of the function's statements per connection.
 */
export async function findHouseholdBooklet(db: Db, householdNumber: string): Promise<unknown> {
  const { rows } = await sql<{ booklet: unknown }>`
    select registry_household_booklet(h.id) as booklet from household h where h.household_number = ${householdNumber}`.execute(db);
  return rows[0]?.booklet;
}

/** The full record of the holder (now or formerly) of `idNumber` as the API shows it, or null. */
export async function findPersonView(db: Db, idNumber: string, timelineLimit: number): Promise<unknown> {
  const { rows } = await sql<{ view: unknown }>`select registry_person_view(${idNumber}, ${timelineLimit}) as view`.execute(db);
  return rows[0]?.view ?? null;
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
 * Persons matching all given criteria, in id order after `afterId` (keyset pagination). Chinese
 * names go through the trigram index on name_trgm_key(name) (hex of the UTF-8 bytes) and are
 * re-checked on the name; pinyin through the trigram index on name_pinyin.
 */
export function searchPersons(db: Db, c: SearchCriteria) {
  let q = db
    .selectFrom('person as p')
    .leftJoin('membership as m', (j) => j.onRef('m.person_id', '=', 'p.id').on('m.until', 'is', null))
    .leftJoin('household as h', 'h.id', 'm.household_id')
    .select(['p.id', 'p.id_number', 'p.name', 'p.sex', 'p.birth_date', 'p.status', 'h.county_code']);
  if (c.nameText) {
    const hex = Buffer.from(c.nameText, 'utf8').toString('hex');
    q = q
      .where(sql<boolean>`name_trgm_key(p.name) like ${`%${hex}%`}`)
      .where(sql<boolean>`p.name like ${`%${likeEscape(c.nameText)}%`}`);
  }
  if (c.pinyinText) q = q.where('p.name_pinyin', 'like', `%${likeEscape(c.pinyinText)}%`);
  if (c.birthDateFrom) q = q.where('p.birth_date', '>=', c.birthDateFrom);
  if (c.birthDateTo) q = q.where('p.birth_date', '<=', c.birthDateTo);
  if (c.divisionPrefix) q = q.where('h.county_code', 'like', `${c.divisionPrefix}%`);
  if (c.afterId !== undefined) q = q.where('p.id', '>', c.afterId);
  return q.orderBy('p.id').limit(c.limit + 1).execute();
}
