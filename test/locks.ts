import { sql } from 'kysely';
import type { Db } from '../src/platform/db/database.ts';

/**
 * Deterministic concurrency in tests: hold a lock in one transaction, start the racing requests,
 * wait until they are queued on it, then let go — no sleeps, no timing assumptions.
 */

/** Waits until `n` sessions of this database wait for a lock (any kind, or only advisory locks). */
export async function waitForLockWaiters(db: Db, n: number, opts: { advisoryOnly?: boolean } = {}): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const { rows } = await sql<{ waiting: number }>`select count(*)::int as waiting from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and (${!opts.advisoryOnly} or wait_event = 'advisory')`.execute(db);
    if (rows[0]!.waiting >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`fewer than ${n} sessions waited for a${opts.advisoryOnly ? 'n advisory' : ''} lock`);
}

/**
 * Runs `hold` in a transaction that stays open until the returned `release` is called (then it
 * commits; `rollback` rolls it back instead): a concurrent writer caught mid-flight.
 */
export async function holdOpen(db: Db, hold: (trx: Db) => Promise<unknown>): Promise<{ release: () => Promise<void>; rollback: () => Promise<void> }> {
  let finish!: (commit: boolean) => void;
  const finished = new Promise<boolean>((resolve) => (finish = resolve));
  let ready!: () => void;
  const held = new Promise<void>((resolve) => (ready = resolve));
  const done = db
    .transaction()
    .execute(async (trx) => {
      await hold(trx);
      ready();
      if (!(await finished)) throw new RolledBack();
    })
    .catch((e: unknown) => {
      if (!(e instanceof RolledBack)) throw e;
    });
  await Promise.race([held, done]);
  return {
    release: async () => {
      finish(true);
      await done;
    },
    rollback: async () => {
      finish(false);
      await done;
    },
  };
}

class RolledBack extends Error {}
