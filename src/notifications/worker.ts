import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '../access/index.ts';
import { expireCards } from '../idcards/index.ts';
import { systemClock, type Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import type { Logger } from '../platform/logger.ts';
import { logAdapter, type NotificationAdapter } from './adapters.ts';
import { messageFor } from './messages.ts';
import { claimNextNotification, markDelivered, recordFailure } from './outbox.queries.ts';
import { enqueueDueNotifications } from './scan.service.ts';

export interface DeliveryOptions {
  db: Db;
  adapters: NotificationAdapter[];
  workerId: string;
  logger?: Logger;
}

/** Back-off after a failed attempt: 30 s, 1 min, 2 min … capped at 1 hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export type DeliveryOutcome = { delivered: string } | { failed: string; error: string } | null;

/**
 * Delivers one notification: claim (FOR UPDATE SKIP LOCKED), send through its channel's adapter,
 * mark delivered — one transaction. A crash before commit leaves the notification undelivered and
 * unlocked for the next worker; a send error is recorded and retried later. Returns null when
 * nothing is deliverable.
 */
export async function deliverOne(opts: DeliveryOptions): Promise<DeliveryOutcome> {
  const byChannel = new Map(opts.adapters.map((a) => [a.channel, a]));
  let claimed: { id: string; attempts: number } | null = null;
  try {
    const done = await opts.db.transaction().execute(async (trx) => {
      const row = await claimNextNotification(trx, [...byChannel.keys()]);
      if (!row) return null;
      claimed = { id: row.id, attempts: row.attempts };
      const adapter = byChannel.get(row.channel) as NotificationAdapter;
      const message = messageFor(row.kind, row.payload);
      await adapter.send(trx, { id: row.id, personId: row.person_id, kind: row.kind, payload: row.payload, channel: row.channel, message }, opts.workerId);
      await markDelivered(trx, row.id, opts.workerId);
      return { id: row.id, kind: row.kind, channel: row.channel, message };
    });
    if (!done) return null;
    opts.logger?.info({ notificationId: done.id, kind: done.kind, channel: done.channel, workerId: opts.workerId, message: done.message }, 'notification delivered');
    return { delivered: done.id };
  } catch (e) {
    const failed = claimed as { id: string; attempts: number } | null;
    if (!failed) throw e;
    const error = (e as Error).message;
    await recordFailure(opts.db, failed.id, error, retryDelayMs(failed.attempts + 1));
    opts.logger?.warn({ notificationId: failed.id, workerId: opts.workerId, err: e }, 'notification delivery failed; will retry');
    return { failed: failed.id, error };
  }
}

/** Delivers until nothing is deliverable (failed ones wait for their back-off). */
export async function deliverPending(opts: DeliveryOptions & { max?: number }): Promise<{ delivered: number; failed: number }> {
  let delivered = 0;
  let failed = 0;
  const max = opts.max ?? Number.POSITIVE_INFINITY;
  while (delivered + failed < max) {
    const outcome = await deliverOne(opts);
    if (!outcome) break;
    if ('delivered' in outcome) delivered++;
    else failed++;
  }
  return { delivered, failed };
}

export interface RunSummary {
  cardsExpired: number;
  enqueued: { cardsExpiring: number; endorsementsDue: number };
  delivered: number;
  failed: number;
}

export interface NotificationWorkerOptions {
  db: Db;
  clock?: Clock;
  logger?: Logger;
  /** Channels this worker delivers (default: the log channel). */
  adapters?: NotificationAdapter[];
  /** Stable name in delivery records and logs (default host:pid:random). */
  workerId?: string;
  /** Pause between runs (default 60 s). */
  intervalMs?: number;
}

/** One run: expire cards past their last day, enqueue what is due today, deliver the outbox. */
export async function runNotificationsOnce(opts: NotificationWorkerOptions): Promise<RunSummary> {
  const clock = opts.clock ?? systemClock;
  const ctx = { db: opts.db, clock, actor: SYSTEM_ACTOR };
  const cardsExpired = await expireCards(ctx);
  const enqueued = await enqueueDueNotifications(ctx);
  const { delivered, failed } = await deliverPending({
    db: opts.db,
    adapters: opts.adapters ?? [logAdapter()],
    workerId: opts.workerId ?? defaultWorkerId(),
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  return { cardsExpired, enqueued, delivered, failed };
}

function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

export interface NotificationWorker {
  readonly workerId: string;
  /** Stops after the run in progress (if any) finishes; no new run starts. */
  stop(): Promise<void>;
}

/**
 * Starts the background worker (for `serve`): a run now, then one every `intervalMs`. Several
 * workers, in one process or many, share the outbox safely (SKIP LOCKED, dedupe keys).
 */
export function startNotificationWorker(opts: NotificationWorkerOptions): NotificationWorker {
  const workerId = opts.workerId ?? defaultWorkerId();
  const intervalMs = opts.intervalMs ?? 60_000;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  const tick = () => {
    running = runNotificationsOnce({ ...opts, workerId })
      .then((summary) => {
        if (summary.delivered || summary.failed || summary.cardsExpired) opts.logger?.info({ workerId, ...summary }, 'notification run');
      })
      .catch((e: unknown) => {
        opts.logger?.error({ err: e, workerId }, 'notification run failed');
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();
  return {
    workerId,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
