/**
 * The register's real `GET /api/v1/persons/{idNumber}` with access logging on, next to the same read
 * with logging off, in the same run (issue #4 target: on ≥ 60% of off). Two apps on one database:
 * the normal one, and one built with the bench-only `benchOnlyWithoutAccessLog` (no access-log
 * hook). Both go through the whole access layer (API-token lookup, role guard, purpose, rate limit)
 * and the same scoped read (`personVisibleTo` and the household's jurisdiction in one statement,
 * registry_person_record); the logged one also hash-chains and commits an access-log entry (group
 * commit) before answering. Rounds alternate between the two.
 *
 * Database: DATABASE_URL if set (a scratch database `hukou_bench_access` is created on it), else a
 * throwaway embedded PostgreSQL in a temp directory. Run alone: node bin/run-ts.js bench/access-log.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { buildApp } from '../src/app/build-app.ts';
import { migrateDatabase } from '../src/app/migrate.ts';
import { createAccount, SYSTEM_ACTOR } from '../src/access/index.ts';
import { freePort } from '../test/net.ts';
import { generateSigner } from '../src/audit/index.ts';
import { systemClock } from '../src/platform/clock.ts';
import { createDb } from '../src/platform/db/database.ts';
import { startEmbeddedCluster } from '../src/platform/db/embedded.ts';
import { insertPersonWithHukou } from '../test/access-fixtures.ts';
import { median, type BenchResult } from './result.ts';

const PERSONS = 500;
const REQUESTS_PER_ROUND = 3000;
const ROUNDS = 7;
const CONCURRENCY = 32;
const DB_NAME = 'hukou_bench_access';

async function freshDatabase(adminUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${DB_NAME} with (force)`);
    await admin.query(`create database ${DB_NAME}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${DB_NAME}`;
  return u.toString();
}

export async function run(): Promise<BenchResult[]> {
  let cleanup = async () => {};
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'hukou-bench-access-'));
    const cluster = await startEmbeddedCluster({ dataDir: dir, port: await freePort() });
    adminUrl = cluster.adminUrl;
    cleanup = async () => {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const url = await freshDatabase(adminUrl);
  const { db, pool } = createDb(url, 20);
  // an idle connection dropped by the server must not crash the run
  pool.on('error', (e) => process.stderr.write(`   (pool: ${e.message})\n`));
  try {
    await migrateDatabase(db);
    const idNumbers: string[] = [];
    for (let i = 0; i < PERSONS; i++) idNumbers.push((await insertPersonWithHukou(db, { townshipCode: '110105001', birthDate: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 9}`, sequence: 1 + (i % 999) })).idNumber);
    const officer = await createAccount({ db, clock: systemClock, actor: SYSTEM_ACTOR }, { username: 'bench.officer', displayName: 'bench', role: 'registration_officer', authorityId: 'county-110105', password: 'bench-officer-password' });
    const accessSettings = { personalReads: { perMinute: 1e9, burst: 1e9 } };
    const apps = {
      logged: await buildApp({ db, logger: false, auditSigner: generateSigner(), accessSettings }),
      plain: await buildApp({ db, logger: false, accessSettings, benchOnlyWithoutAccessLog: true }),
    };
    await Promise.all([apps.logged.ready(), apps.plain.ready()]);
    const { issueApiToken } = await import('../src/access/index.ts');
    const { token } = await issueApiToken({ db, clock: systemClock }, { accountId: officer.account.id, name: 'bench', expiresInDays: 1, issuedBy: 'system' });
    const headers = { authorization: `Bearer ${token}`, 'x-purpose': 'case:BENCH-1' };

    async function round(kind: 'plain' | 'logged', n: number): Promise<number> {
      let next = 0;
      let failures = 0;
      const start = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < n) {
            const i = next++;
            const res = await apps[kind].inject({ url: `/api/v1/persons/${idNumbers[i % idNumbers.length]}`, headers });
            if (res.statusCode !== 200) failures++;
          }
        }),
      );
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (failures) throw new Error(`${failures} ${kind} reads failed`);
      return n / seconds;
    }

    await round('plain', 500);
    await round('logged', 500);
    const off: number[] = [];
    const on: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      off.push(await round('plain', REQUESTS_PER_ROUND));
      on.push(await round('logged', REQUESTS_PER_ROUND));
      process.stderr.write(`   round ${r + 1}: off ${off[r]!.toFixed(0)} req/s, on ${on[r]!.toFixed(0)} req/s\n`);
    }
    const entries = await db.selectFrom('access_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    // every logged read left exactly one entry, and the unlogged app none
    if (Number(entries.n) !== 500 + ROUNDS * REQUESTS_PER_ROUND) throw new Error(`expected ${500 + ROUNDS * REQUESTS_PER_ROUND} access-log entries, found ${Number(entries.n)}`);
    await Promise.all([apps.logged.close(), apps.plain.close()]);
    const offMedian = median(off);
    return [
      { name: 'in-process (app.inject) GET /persons/{idNumber}, access log off', median: offMedian, unit: 'req/s', note: `${CONCURRENCY} concurrent, app.inject, API token, bench-only app without the log hook` },
      {
        name: 'in-process (app.inject) GET /persons/{idNumber}, access log on',
        median: median(on),
        unit: 'req/s',
        baseline: offMedian,
        note: `target ≥ 0.60 of off; ${Number(entries.n)} entries committed (group commit), chain verified by tests`,
      },
    ];
  } finally {
    await db.destroy();
    await cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await run();
  for (const r of results) process.stdout.write(`${r.name}: ${r.median.toFixed(0)} ${r.unit}${r.baseline ? ` (${(r.median / r.baseline).toFixed(2)} of off)` : ''}\n`);
}
