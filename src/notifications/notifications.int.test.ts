import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { applyForCard, confirmApplication } from '../idcards/index.ts';
import { ctxOn, newPerson, PLACE, station } from '../../test/persons.ts';
import { createDb, type Db } from '../platform/db/database.ts';
import { fixedClock } from '../platform/clock.ts';
import { repoPath } from '../platform/paths.ts';
import { applyForPermit, issuePermit, registerResidence } from '../residence/index.ts';
import { logAdapter, type NotificationAdapter } from './adapters.ts';
import { insertNotifications } from './outbox.queries.ts';
import { enqueueDueNotifications } from './scan.service.ts';
import { deliverOne, deliverPending, runNotificationsOnce, startNotificationWorker } from './worker.ts';

let tdb: TestDatabase;
let db: Db;
let personId: number;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
  const p = await newPerson(db, { birthDate: '1990-01-01' });
  personId = (await db.selectFrom('person').select('id').where('id_number', '=', p.idNumber).executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await tdb?.close();
});

async function enqueueBatch(tag: string, n: number): Promise<string[]> {
  const keys = Array.from({ length: n }, (_, i) => `test:${tag}:${i}`);
  await insertNotifications(
    db,
    keys.map((dedupeKey) => ({ personId, kind: 'id_card_expiring' as const, dedupeKey, payload: { validUntil: '2027-01-01', renewableFrom: '2026-10-01' } })),
  );
  return (await db.selectFrom('notification').select('id').where('dedupe_key', 'in', keys).execute()).map((r) => r.id);
}

async function deliveries(ids: string[]) {
  return db.selectFrom('notification_delivery').select(['notification_id', 'worker_id']).where('notification_id', 'in', ids).execute();
}

async function undelivered(ids: string[]) {
  return db.selectFrom('notification').select('id').where('id', 'in', ids).where('delivered_at', 'is', null).execute();
}

describe('producing notifications', () => {
  it('cards entering their renewal window and permits due for endorsement, once each', async () => {
    const expiring = await newPerson(db, { birthDate: '2011-02-02' });
    const app = await applyForCard(ctxOn(db, '2021-03-01'), { idNumber: expiring.idNumber, kind: 'first', authorityId: station(PLACE.guangzhouLiwan) });
    await confirmApplication(ctxOn(db, '2021-03-01'), { applicationId: app.id }); // under 16: valid until 2026-03-01
    const later = await newPerson(db, { birthDate: '2011-03-03' });
    const app2 = await applyForCard(ctxOn(db, '2021-06-01'), { idNumber: later.idNumber, kind: 'first', authorityId: station(PLACE.guangzhouLiwan) });
    await confirmApplication(ctxOn(db, '2021-06-01'), { applicationId: app2.id }); // valid until 2026-06-01: not yet

    const resident = await newPerson(db, { birthDate: '1985-05-05' });
    await registerResidence(ctxOn(db, '2024-06-01'), { idNumber: resident.idNumber, authorityId: station(PLACE.beijingChaoyang), address: '朝阳路1号' });
    const permit = await applyForPermit(ctxOn(db, '2024-12-05'), { idNumber: resident.idNumber, authorityId: station(PLACE.beijingChaoyang), basis: 'study', basisEvidence: '学籍证明' });
    await issuePermit(ctxOn(db, '2025-01-20'), { permitId: permit.id }); // anniversary 2026-01-20, window from 2025-12-20

    const first = await enqueueDueNotifications(ctxOn(db, '2026-01-10'));
    expect(first).toEqual({ cardsExpiring: 1, endorsementsDue: 1 });
    expect(await enqueueDueNotifications(ctxOn(db, '2026-01-11'))).toEqual({ cardsExpiring: 0, endorsementsDue: 0 });

    const rows = await db.selectFrom('notification').select(['kind', 'dedupe_key', 'payload']).where('dedupe_key', 'not like', 'test:%').orderBy('kind').execute();
    expect(rows).toEqual([
      { kind: 'endorsement_due', dedupe_key: `endorsement_due:${permit.id}:2026-01-20`, payload: expect.objectContaining({ anniversary: '2026-01-20', windowOpensOn: '2025-12-20', lastOnTimeDay: '2026-01-19' }) },
      { kind: 'id_card_expiring', dedupe_key: `id_card_expiring:${await cardOf(app.id)}`, payload: expect.objectContaining({ validUntil: '2026-03-01', renewableFrom: '2025-12-01' }) },
    ]);

    const run = await runNotificationsOnce({ db, clock: fixedClock('2026-01-12T04:00:00Z'), workerId: 'run-once' });
    expect(run.enqueued).toEqual({ cardsExpiring: 0, endorsementsDue: 0 });
    const logged = await db.selectFrom('notification_delivery').select(['message']).where('worker_id', '=', 'run-once').execute();
    expect(logged.map((l) => l.message).sort()[0]).toContain('居住证');
  });
});

async function cardOf(applicationId: string): Promise<string> {
  return (await db.selectFrom('id_card').select('id').where('application_id', '=', applicationId).executeTakeFirstOrThrow()).id;
}

describe('delivering exactly once', () => {
  it('two workers draining the outbox together deliver each notification once', async () => {
    const ids = await enqueueBatch('concurrent', 40);
    const a = createDb(tdb.url, 3);
    const b = createDb(tdb.url, 3);
    try {
      const [ra, rb] = await Promise.all([
        deliverPending({ db: a.db, adapters: [logAdapter()], workerId: 'worker-1' }),
        deliverPending({ db: b.db, adapters: [logAdapter()], workerId: 'worker-2' }),
      ]);
      expect(ra.failed + rb.failed).toBe(0);
      expect(ra.delivered + rb.delivered).toBeGreaterThanOrEqual(40);
    } finally {
      await a.db.destroy();
      await b.db.destroy();
    }
    const rows = await deliveries(ids);
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.notification_id)).size).toBe(40);
    expect(await undelivered(ids)).toEqual([]);
  });

  it('a worker killed mid-delivery: its send rolls back, another worker delivers it, nothing twice', async () => {
    const ids = await enqueueBatch('restart', 8);
    // Worker A, in its own process, claims one notification, sends it inside its transaction, and stalls.
    const child: ChildProcess = spawn(process.execPath, [repoPath('bin', 'run-ts.js'), repoPath('src', 'notifications', 'test', 'stalling-worker.ts'), tdb.url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    let heldId = '';
    try {
      const lines = createInterface({ input: child.stdout! });
      for await (const line of lines) {
        const m = /^holding (\S+)$/.exec(line);
        if (m) {
          heldId = m[1]!;
          break;
        }
      }
      expect(ids).toContain(heldId);

      // Worker B runs meanwhile: it skips the locked row and delivers the rest.
      const b = await deliverPending({ db, adapters: [logAdapter()], workerId: 'worker-B' });
      expect(b).toEqual({ delivered: 7, failed: 0 });
      expect((await undelivered(ids)).map((r) => r.id)).toEqual([heldId]);
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');

    // Worker A restarts (a new worker on a new pool): the held notification is delivered, once.
    const restarted = createDb(tdb.url, 2);
    try {
      let outcome = await deliverOne({ db: restarted.db, adapters: [logAdapter()], workerId: 'worker-A-restarted' });
      for (let i = 0; outcome === null && i < 50; i++) {
        // PostgreSQL ends the killed worker's session (and releases its lock) as soon as it sees the socket close.
        await new Promise((r) => setTimeout(r, 100));
        outcome = await deliverOne({ db: restarted.db, adapters: [logAdapter()], workerId: 'worker-A-restarted' });
      }
      expect(outcome).toEqual({ delivered: heldId });
      expect(await deliverPending({ db: restarted.db, adapters: [logAdapter()], workerId: 'worker-A-restarted' })).toEqual({ delivered: 0, failed: 0 });
    } finally {
      await restarted.db.destroy();
    }
    const rows = await deliveries(ids);
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => r.notification_id)).size).toBe(8);
    expect(rows.find((r) => r.notification_id === heldId)?.worker_id).toBe('worker-A-restarted');
    expect(rows.some((r) => r.worker_id === 'worker-A')).toBe(false);
  }, 90_000);

  it('a failed send is counted, backs off, and is delivered once later', async () => {
    const [id] = await enqueueBatch('failing', 1);
    const failing: NotificationAdapter = {
      channel: 'log',
      async send() {
        throw new Error('mail relay unreachable');
      },
    };
    await db.updateTable('notification').set({ delivered_at: new Date(), delivered_by: 'parked' }).where('delivered_at', 'is', null).where('id', '<>', id!).execute();
    expect(await deliverOne({ db, adapters: [failing], workerId: 'w' })).toEqual({ failed: id, error: 'mail relay unreachable' });
    const row = await db.selectFrom('notification').select(['attempts', 'last_error', 'available_at', 'delivered_at']).where('id', '=', id!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attempts: 1, last_error: 'mail relay unreachable', delivered_at: null });
    const { rows: ahead } = await sql<{ ahead: boolean }>`select available_at > now() + interval '20 seconds' as ahead from notification where id = ${id!}`.execute(db);
    expect(ahead[0]?.ahead).toBe(true);
    expect(await deliverOne({ db, adapters: [logAdapter()], workerId: 'w' })).toBeNull();
    // The back-off passes.
    await db.updateTable('notification').set({ available_at: sql`now()` }).where('id', '=', id!).execute();
    expect(await deliverOne({ db, adapters: [logAdapter()], workerId: 'w' })).toEqual({ delivered: id });
    expect(await deliveries([id!])).toHaveLength(1);
  });

  it('startNotificationWorker runs at once and stops cleanly', async () => {
    const ids = await enqueueBatch('background', 3);
    const worker = startNotificationWorker({ db, intervalMs: 60_000, workerId: 'background' });
    for (let i = 0; i < 50 && (await undelivered(ids)).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    await worker.stop();
    expect(await undelivered(ids)).toEqual([]);
    expect((await deliveries(ids)).every((d) => d.worker_id === 'background')).toBe(true);
    const count = await sql<{ n: number }>`select count(*)::int as n from notification_delivery where worker_id = 'background'`.execute(db);
    expect(count.rows[0]?.n).toBe(3);
  });
});
