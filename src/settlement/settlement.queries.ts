import type { Insertable } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { SettlementFactTable } from './settlement.tables.ts';

const FACT_COLUMNS = ['id', 'person_id', 'kind', 'city_code', 'period_from', 'period_to', 'value', 'source', 'received_on', 'evidence', 'recorded_by'] as const;

export type FactRow = Awaited<ReturnType<typeof factsOfPerson>>[number];

export function factsOfPerson(db: Db, personId: number) {
  return db.selectFrom('settlement_fact').select(FACT_COLUMNS).where('person_id', '=', personId).orderBy('id', 'desc').execute();
}

export function factsById(db: Db, ids: number[]) {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('settlement_fact').select(FACT_COLUMNS).where('id', 'in', ids).orderBy('id').execute();
}

export function findFactByKey(db: Db, key: string) {
  return db.selectFrom('settlement_fact').select(FACT_COLUMNS).where('idempotency_key', '=', key).executeTakeFirst();
}

export function insertFact(db: Db, row: Insertable<SettlementFactTable>) {
  return db.insertInto('settlement_fact').values(row).returning(FACT_COLUMNS).executeTakeFirstOrThrow();
}
