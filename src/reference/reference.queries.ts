import type { Db } from '../platform/db/database.ts';

const DIVISION_COLUMNS = ['code', 'level', 'parent_code', 'name', 'valid_from', 'valid_to', 'addressable'] as const;

export function findDivision(db: Db, code: string) {
  return db.selectFrom('division').select(DIVISION_COLUMNS).where('code', '=', code).executeTakeFirst();
}

export function listDivisionNames(db: Db, code: string) {
  return db
    .selectFrom('division_name')
    .select(['name', 'valid_from', 'valid_to', 'source'])
    .where('code', '=', code)
    .orderBy('valid_from')
    .execute();
}

/** Children of `parentCode` (provinces when null); only those in force on `at` unless `at` is null. */
export function listDivisionChildren(db: Db, parentCode: string | null, at: string | null) {
  let q = db.selectFrom('division').select(DIVISION_COLUMNS);
  q = parentCode === null ? q.where('level', '=', 'province') : q.where('parent_code', '=', parentCode);
  if (at !== null) {
    q = q.where('valid_from', '<=', at).where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', at)]));
  }
  return q.orderBy('code').execute();
}

export function listTownships(db: Db, countyCode: string) {
  return db.selectFrom('township').select(['code', 'name']).where('county_code', '=', countyCode).orderBy('code').execute();
}

export function listCodeTables(db: Db) {
  return db.selectFrom('code_table').select(['name', 'standard', 'source', 'effective_from', 'verified_at']).orderBy('name').execute();
}

export function findCodeTable(db: Db, name: string) {
  return db
    .selectFrom('code_table')
    .select(['name', 'standard', 'source', 'effective_from', 'verified_at'])
    .where('name', '=', name)
    .executeTakeFirst();
}

export function listCodeEntries(db: Db, table: string) {
  return db.selectFrom('code_entry').select(['code', 'name', 'name_en', 'abbr']).where('table_name', '=', table).orderBy('code').execute();
}
