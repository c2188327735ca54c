/**
 * Submit → decide throughput of household-certificate applications through the HTTP API over real
 * sockets (POST /applications, then accept, review, approve: four requests per application, the
 * approval issuing a certificate through the injected issuer in its transaction), beside a raw
 * baseline of the same run: the same rows written with plain SQL (INSERT of the application, UPDATE
 * to approved, the events), no API, no checks.
 *
 * The issuer here writes the certificate row into a bench table in the approval's transaction (the
 * signing certificate module is another issue's; its cost is measured by its own benchmark).
 * Database: DATABASE_URL if set (a scratch database `hukou_bench_applications`), else a throwaway
 * embedded PostgreSQL. Run alone: node bin/run-ts.js bench/applications.bench.ts
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app/build-app.ts';
import { migrateDatabase } from '../src/app/migrate.ts';
import { createAccount, SYSTEM_ACTOR } from '../src/access/index.ts';
import type { CertificateIssuer } from '../src/applications/index.ts';
import { systemClock } from '../src/platform/clock.ts';
import { createDb } from '../src/platform/db/database.ts';
import { startEmbeddedCluster } from '../src/platform/db/embedded.ts';
import { insertPersonWithHukou } from '../test/access-fixtures.ts';
import { freePort } from '../test/net.ts';
import { median, type BenchResult } from './result.ts';

const PERSONS = 200;
const PER_ROUND = 300;
const ROUNDS = 3;
const CONCURRENCY = 16;
const DB_NAME = 'hukou_bench_applications';
const TOWNSHIP = '510104017';

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

async function concurrently(n: number, work: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) await work(next++);
    }),
  );
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

export async function run(): Promise<BenchResult[]> {
  let cleanup = async () => {};
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'hukou-bench-applications-'));
    const cluster = await startEmbeddedCluster({ dataDir: dir, port: await freePort() });
    adminUrl = cluster.adminUrl;
    cleanup = async () => {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const url = await freshDatabase(adminUrl);
  const { db, pool } = createDb(url, 20);
  pool.on('error', (e) => process.stderr.write(`   (pool: ${e.message})\n`));
  try {
    await migrateDatabase(db);
    await sql`create table bench_certificate (certificate_number text primary key, application_id uuid, facts jsonb not null)`.execute(db);
    const issuer: CertificateIssuer = async (ctx, input) => {
      const certificateNumber = randomUUID();
      await sql`insert into bench_certificate values (${certificateNumber}, ${input.applicationId}, ${JSON.stringify(input.facts)}::jsonb)`.execute(ctx.db);
      return { certificateNumber };
    };
    const persons: { idNumber: string; personId: number }[] = [];
    for (let i = 0; i < PERSONS; i++) persons.push(await insertPersonWithHukou(db, { townshipCode: TOWNSHIP, birthDate: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 9}`, sequence: 1 + (i % 999) }));
    const officer = await createAccount({ db, clock: systemClock, actor: SYSTEM_ACTOR }, { username: 'bench.officer', displayName: 'bench', role: 'registration_officer', authorityId: 'county-510104', password: 'bench-officer-password' });
    const { issueApiToken } = await import('../src/access/auth.service.ts');
    const { token } = await issueApiToken({ db, clock: systemClock }, { accountId: officer.account.id, name: 'bench', expiresInDays: 1, issuedBy: 'system' });
    const app = await buildApp({ db, logger: false, certificateIssuer: issuer });
    const port = await freePort();
    await app.listen({ port, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${port}/api/v1`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown = {}) => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      const json = (await res.json()) as { trackingNumber: string };
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const viaApi = (i: number) => async () => {
      const a = await post('/applications', { serviceCode: 'household_certificate_registration', subjectIdNumber: persons[i % PERSONS]!.idNumber, acceptingAuthorityId: `station-${TOWNSHIP}` });
      await post(`/applications/${a.trackingNumber}/accept`);
      await post(`/applications/${a.trackingNumber}/review`);
      await post(`/applications/${a.trackingNumber}/approve`);
    };
    let raw = 0;
    const viaSql = async (i: number) => {
      const p = persons[i % PERSONS]!;
      const client = await pool.connect();
      try {
        await client.query('begin');
        const { rows } = await client.query<{ id: string }>(
          `insert into application (tracking_number, service_code, catalog_version, flow, applicant_actor_id, subject_person_id, subject_id_number, channel, accepting_authority_id, competent_authority_id, scope, state, deadline_working_days, deadline)
           values ($1, 'household_certificate_registration', '2024-05-01', 'generic', 'bench', $2, $3, 'counter', $4, $4, 'local', 'submitted', 3, current_date + 5) returning id`,
          [`R${String(raw++).padStart(16, '0')}`, p.personId, p.idNumber, `station-${TOWNSHIP}`],
        );
        const id = rows[0]!.id;
        await client.query(`update application set state = 'approved', outcome = '{"effect":"certificate"}', version = version + 1 where id = $1`, [id]);
        await client.query(`insert into application_event (application_id, subject_person_id, to_state, actor_id) select $1, $2, s, 'bench' from unnest(array['submitted','accepted','in_review','approved']) s`, [id, p.personId]);
        await client.query('commit');
      } finally {
        client.release();
      }
    };
    await concurrently(50, (i) => viaApi(i)());
    await concurrently(50, viaSql);
    const api: number[] = [];
    const baseline: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      api.push(await concurrently(PER_ROUND, (i) => viaApi(i)()));
      baseline.push(await concurrently(PER_ROUND, viaSql));
      process.stderr.write(`   round ${r + 1}: API ${api[r]!.toFixed(1)} applications/s, raw SQL ${baseline[r]!.toFixed(0)}/s\n`);
    }
    await app.close();
    return [
      {
        name: 'certificate application submit → accept → review → approve, HTTP',
        median: median(api),
        unit: 'applications/s',
        baseline: median(baseline),
        note: `${CONCURRENCY} concurrent clients over real sockets, 4 requests each; baseline: raw INSERT + UPDATE + events of the same rows`,
      },
    ];
  } finally {
    await db.destroy();
    await cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await run()) process.stdout.write(`${r.name}: ${r.median.toFixed(1)} ${r.unit}${r.baseline ? ` (raw ${r.baseline.toFixed(0)}, ratio ${(r.median / r.baseline).toFixed(3)})` : ''}\n`);
}
