import type { Db } from '../platform/db/database.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import { SYSTEM_ACTOR } from '../access/index.ts';
import { startNotificationWorker } from '../notifications/index.ts';
import { expireTransfers } from '../registry/index.ts';

export interface BackgroundJobs {
  stop(): Promise<void>;
}

/**
 * The server's periodic work: the notification worker (card expiry, endorsement reminders, outbox
 * delivery) and the transfer-saga timeout (compensates transfers whose destination move-in is
 * overdue). Each run is its own transaction(s); a failed run is logged and retried next interval.
 */
export function startBackgroundJobs(opts: { db: Db; clock: Clock; logger: Logger; intervalMs?: number }): BackgroundJobs {
  const intervalMs = opts.intervalMs ?? 60_000;
  const notifications = startNotificationWorker({ db: opts.db, clock: opts.clock, logger: opts.logger, intervalMs });
  let running: Promise<void> = Promise.resolve();
  const expire = () => {
    running = expireTransfers({ db: opts.db, clock: opts.clock, actor: SYSTEM_ACTOR }).then(
      ({ expired }) => {
        if (expired.length) opts.logger.info({ expired }, 'overdue transfers compensated');
      },
      (e: unknown) => opts.logger.error({ err: e }, 'transfer expiry run failed; retrying next interval'),
    );
  };
  expire();
  const timer = setInterval(expire, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all([notifications.stop(), running]);
    },
  };
}
