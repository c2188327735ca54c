/**
 * Person by ID number through the API (`GET /api/v1/persons/{idNumber}` via app.inject: auth,
 * routing, five queries, serialisation), next to a raw `select … from person where id_number = $1`
 * on the same pool as the baseline. Reports the median (p50) latency of each.
 *
 * Database: the one named by DATABASE_URL with whatever population it holds (seed it with
 * `hukou seed` for the 1-million figure); otherwise a throwaway embedded PostgreSQL in a temp
 * directory, migrated and given a small population through the register's services.
 *
 * Run alone: node bin/run-ts.js bench/registry.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildApp } from '../src/app/build-app.ts';
import { migrateDatabase } from '../src/app/migrate.ts';
import { createAccount, SYSTEM_ACTOR } from '../src/access/index.ts';
import { issueApiToken } from '../src/access/index.ts';
import { systemClock } from '../src/platform/clock.ts';
import type { ServiceContext } from '../src/platform/context.ts';
import { createDb } from '../src/platform/db/database.ts';
import { startEmbeddedCluster } from '../src/platform/db/embedded.ts';
import { composeIdNumber } from '../src/idnumber/index.ts';
import { freePort } from '../test/net.ts';
import { addMember, createHousehold, registerBirth } from '../src/registry/index.ts';
import { median, type BenchResult } from './result.ts';

const LOOKUPS = 3000;
const WARMUP = 300;
const SMALL_POPULATION_FAMILIES = 400;

/** A few hundred families (head, spouse, child) in Beijing townships, through the services. */
async function smallPopulation(ctx: ServiceContext): Promise<void> {
  const townships = ['110105001', '110105002', '110105003', '110108001', '110108002'];
  for (let i = 0; i < SMALL_POPULATION_FAMILIES; i++) {
    const township = townships[i % townships.length]!;
    const { household } = await createHousehold(ctx, { kind: 'family', townshipCode: township, address: `基准路${i}号` });
    const birth = `${1960 + (i % 30)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    const head = composeIdNumber(township.slice(0, 6), birth, 2 * (i % 400) + 1);
    const spouse = composeIdNumber(township.slice(0, 6), birth, 2 * (i % 400) + 2);
    let r = await addMember(ctx, { householdNumber: household.householdNumber, expectedVersion: 1, relationship: '02', person: { idNumber: head, name: `赵${i}国`, sex: '1', birthDate: birth, ethnicity: '01' } });
    r = await addMember(ctx, { householdNumber: household.householdNumber, expectedVersion: r.household.version, relationship: '10', person: { idNumber: spouse, name: `钱${i}英`, sex: '2', birthDate: birth, ethnicity: '01' } });
    await registerBirth(ctx, { householdNumber: household.householdNumber, expectedVersion: r.household.version, name: `赵小${i}`, sex: i % 2 ? '1' : '2', birthDate: '2015-03-01', ethnicity: '01', relationship: i % 2 ? '20' : '30' });
  }
}

export async function run(): Promise<BenchResult[]> {
  let cleanup = async () => {};
  let url = process.env.DATABASE_URL;
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), 'hukou-bench-'));
    const cluster = await startEmbeddedCluster({ dataDir: dir, port: await freePort() });
    url = cluster.urlFor('postgres');
    cleanup = async () => {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const { db, pool } = createDb(url, 10);
  try {
    await migrateDatabase(db);
    const ctx: ServiceContext = { db, actor: { ...SYSTEM_ACTOR, id: 'bench' }, clock: systemClock };
    let population = Number((await pool.query<{ n: string }>('select count(*) as n from person')).rows[0]!.n);
    if (population < 1000) {
      process.stderr.write(`   building a small population (${SMALL_POPULATION_FAMILIES * 3} persons) through the services…\n`);
      await smallPopulation(ctx);
      population = Number((await pool.query<{ n: string }>('select count(*) as n from person')).rows[0]!.n);
    }
    await pool.query('analyze');
    const sample = (await pool.query<{ id_number: string }>('select id_number from person order by random() limit $1', [LOOKUPS])).rows.map((r) => r.id_number);

    // the per-account read limit would throttle a benchmark loop: lifted here, as in access-log.bench.ts
    const accessSettings = { personalReads: { perMinute: 1e9, burst: 1e9 } };
    const apps = {
      logged: await buildApp({ db, logger: false, accessSettings }),
      // bench-only: the same app without the access-log hook, to show what the durable log entry costs
      plain: await buildApp({ db, logger: false, accessSettings, benchOnlyWithoutAccessLog: true }),
    };
    // A ministry-level registration officer reading through an API token, with a stated purpose:
    // the whole access layer (token lookup, guard, jurisdiction, access log) is in the figure.
    const username = `bench.registry.${Date.now()}`;
    const officer = await createAccount(ctx, { username, displayName: 'bench', role: 'registration_officer', authorityId: 'mps', password: 'bench-registry-password' });
    const { token } = await issueApiToken({ db, clock: systemClock }, { accountId: officer.account.id, name: 'bench', expiresInDays: 1, issuedBy: 'system' });
    const headers = { authorization: `Bearer ${token}`, 'x-purpose': 'case:BENCH-REGISTRY' };
    const api = { logged: [] as number[], plain: [] as number[] };
    const raw: number[] = [];
    for (let i = 0; i < WARMUP + sample.length; i++) {
      const id = sample[i % sample.length]!;
      for (const kind of ['logged', 'plain'] as const) {
        const t = process.hrtime.bigint();
        const res = await apps[kind].inject({ method: 'GET', url: `/api/v1/persons/${id}`, headers });
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        if (res.statusCode !== 200) throw new Error(`GET /api/v1/persons/${id} answered ${res.statusCode}: ${res.body}`);
        if (i >= WARMUP) api[kind].push(ms);
      }
      const t = process.hrtime.bigint();
      await pool.query('select id, id_number, name, sex, birth_date, ethnicity, status, version from person where id_number = $1', [id]);
      if (i >= WARMUP) raw.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    await Promise.all([apps.logged.close(), apps.plain.close()]);
    const base = median(raw);
    const logged = median(api.logged);
    const plain = median(api.plain);
    const what = `${population.toLocaleString('en')} persons, ${raw.length} sequential lookups`;
    console.log(`registry.personById: p50 ${logged.toFixed(3)} ms with the access log, ${plain.toFixed(3)} ms without, ${base.toFixed(3)} ms raw select (${what})`);
    return [
      { name: 'in-process (app.inject) GET /persons/{idNumber} p50, access log on (entry durable before the answer)', median: logged, unit: 'ms', baseline: base, note: `${what}; target < 2 ms` },
      { name: 'in-process (app.inject) GET /persons/{idNumber} p50, access log off (bench-only app)', median: plain, unit: 'ms', baseline: base, note: what },
    ];
  } finally {
    await db.destroy();
    await cleanup();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
