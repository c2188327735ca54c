import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { NotificationChannel, NotificationKind } from './notifications.tables.ts';

export interface NewNotification {
  personId: number;
  kind: NotificationKind;
  /** One notification per fact: a second enqueue with the same key is a no-op. */
  dedupeKey: string;
  payload: Record<string, unknown>;
  channel?: NotificationChannel;
}

/** Adds notifications to the outbox (in the caller's transaction); returns how many were new. */
export async function insertNotifications(db: Db, items: NewNotification[]): Promise<number> {
  if (items.length === 0) return 0;
  const rows = await db
    .insertInto('notification')
    .values(items.map((n) => ({ person_id: n.personId, kind: n.kind, dedupe_key: n.dedupeKey, payload: JSON.stringify(n.payload), channel: n.channel ?? 'log' })))
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute();
  return rows.length;
}

/**
 * Claims the next deliverable notification for the rest of the transaction: row-locked, and
 * skipped by every other worker (SKIP LOCKED) until this transaction ends. Delivery scheduling runs
 * on the database's clock (the service Clock decides what is due, not when a row may be retried).
 */
export function claimNextNotification(db: Db, channels: NotificationChannel[]) {
  return db
    .selectFrom('notification')
    .select(['id', 'person_id', 'kind', 'payload', 'channel', 'attempts'])
    .where('delivered_at', 'is', null)
    .where('channel', 'in', channels)
    .where('available_at', '<=', sql<Date>`now()`)
    .orderBy('available_at')
    .orderBy('id')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

export type ClaimedRow = NonNullable<Awaited<ReturnType<typeof claimNextNotification>>>;

export async function markDelivered(db: Db, id: string, workerId: string): Promise<void> {
  const r = await db
    .updateTable('notification')
    .set({ delivered_at: sql`now()`, delivered_by: workerId, attempts: sql`attempts + 1` })
    .where('id', '=', id)
    .where('delivered_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new Error(`notification ${id} was not claimable when marked delivered`);
}

/** A failed attempt: counted, with the error, and retried `retryInMs` later. */
export async function recordFailure(db: Db, id: string, error: string, retryInMs: number): Promise<void> {
  await db
    .updateTable('notification')
    .set({ attempts: sql`attempts + 1`, last_error: error.slice(0, 1000), available_at: sql`now() + make_interval(secs => ${retryInMs / 1000})` })
    .where('id', '=', id)
    .where('delivered_at', 'is', null)
    .execute();
}

/** The log channel's effect: one row per notification (the primary key is the idempotency key). */
export async function insertDelivery(db: Db, row: { notificationId: string; channel: NotificationChannel; workerId: string; message: string }): Promise<boolean> {
  const r = await db
    .insertInto('notification_delivery')
    .values({ notification_id: row.notificationId, channel: row.channel, worker_id: row.workerId, message: row.message })
    .onConflict((oc) => oc.column('notification_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function outboxCounts(db: Db): Promise<{ pending: number; delivered: number; failing: number }> {
  const row = await db
    .selectFrom('notification')
    .select([
      sql<number>`count(*) filter (where delivered_at is null)::int`.as('pending'),
      sql<number>`count(*) filter (where delivered_at is not null)::int`.as('delivered'),
      sql<number>`count(*) filter (where delivered_at is null and attempts > 0)::int`.as('failing'),
    ])
    .executeTakeFirstOrThrow();
  return row;
}
