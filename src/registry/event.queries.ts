import type { Insertable } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { RegistrationEventTable } from './registry.tables.ts';

const EVENT_COLUMNS = [
  'e.id',
  'e.person_id',
  'e.household_id',
  'e.kind',
  'e.occurred_on',
  'e.recorded_at',
  'e.actor_id',
  'e.authority_id',
  'e.reason',
  'e.legal_basis',
  'e.application_id',
  'e.data',
] as const;

export function insertEvents(db: Db, rows: Insertable<RegistrationEventTable>[]) {
  return rows.length === 0 ? Promise.resolve([]) : db.insertInto('registration_event').values(rows).execute();
}

export function findEventByIdempotencyKey(db: Db, key: string) {
  return db.selectFrom('registration_event as e').select([...EVENT_COLUMNS, 'e.response']).where('e.idempotency_key', '=', key).executeTakeFirst();
}

export type EventRow = NonNullable<Awaited<ReturnType<typeof findEventByIdempotencyKey>>>;

/** Events with their household number and authority name (add filter and order). */
export function eventsWithNames(db: Db) {
  return db
    .selectFrom('registration_event as e')
    .leftJoin('household as h', 'h.id', 'e.household_id')
    .innerJoin('authority as a', 'a.id', 'e.authority_id')
    .select([...EVENT_COLUMNS, 'h.household_number', 'a.name as authority_name']);
}

/** Every event written for one application (a transfer), in order. */
export function listApplicationEvents(db: Db, applicationId: string) {
  return eventsWithNames(db).where('e.application_id', '=', applicationId).orderBy('e.id').execute();
}

export type EventWithNamesRow = Awaited<ReturnType<typeof listApplicationEvents>>[number];
