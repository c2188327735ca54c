/**
 * The hot path over real HTTP (issue #13): the server started as `npm start` starts it (its own
 * process, real sockets, embedded PostgreSQL) on a seeded register, driven by autocannon from
 * another process, next to the raw driver's point lookup at the same concurrency from a third.
 * Reports, for each scenario, requests/s, p50, p99, errors; the server's RSS under the load; the
 * ratio of each scenario's rate to the raw rate measured in the same run; and how long a first
 * `npm start` (empty data directory) and a restart take.
 *
 * - scale: `--scale N` (BENCH_HTTP_SCALE; default 1,000,000 people). The seeded register is kept in
 *   `.hukou-bench/http-<N>/` and reused by later runs (delete the folder to reseed).
 * - BENCH_HTTP_SECONDS (default 5) per measurement after BENCH_HTTP_WARMUP (default 2) seconds,
 *   BENCH_HTTP_ROUNDS (default 3) rounds of every scenario, interleaved; medians reported.
 * - BENCH_HTTP_CONNECTIONS (default 32).
 * - BENCH_HTTP_START=0 skips the first-start/restart timing; BENCH_HTTP_ONLY=person,card runs only
 *   those scenarios (the raw baseline always runs); BENCH_HTTP_SERVER_NODE_ARGS passes flags to the
 *   server's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where its time goes.
 * The personal-data rate limit is raised for the server through HUKOU_RATE_PERSONAL_READS_PER_MIN
 * (docs/access.md), as a load test needs.
 *
 * Run alone: node bin/run-ts.js bench/http.bench.ts [--scale N]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createAccount, SYSTEM_ACTOR, useSecretKeyOf } from '../src/access/index.ts';
import { issueApiToken } from '../src/access/auth.service.ts';
import { systemClock } from '../src/platform/clock.ts';
import type { ServiceContext } from '../src/platform/context.ts';
import '../src/platform/db/database.ts'; // its type parsers (DATE as text, INT8 as number)
import type { Database } from '../src/platform/db/schema.ts';
import { repoPath } from '../src/platform/paths.ts';
import { freePort } from '../test/net.ts';
import { envInt } from './bulk-db.ts';
import type { LoadPlan, LoadResult } from './http/load.ts';
import type { RawPlan } from './http/raw-load.ts';
import { median, type BenchResult } from './result.ts';

const SAMPLE = 5000;
const LOCAL = { user: 'hukou', password: 'hukou-local', database: 'hukou' } as const;

function scaleArg(): number {
  const i = process.argv.indexOf('--scale');
  const v = i >= 0 ? process.argv[i + 1] : process.env.BENCH_HTTP_SCALE;
  if (v === undefined) return 1_000_000;
  if (!/^\d+$/.test(v)) throw new Error(`--scale must be a whole number of people, got "${v}"`);
  return Number(v);
}

function node(args: string[], env: NodeJS.ProcessEnv, stdio: 'inherit' | 'pipe' = 'pipe'): ChildProcess {
  return spawn(process.execPath, args, { cwd: repoPath(), env, stdio: ['ignore', stdio, stdio] });
}

/** Runs a command to its end; rejects with its output when it fails. */
function runToEnd(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = node(args, env);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d));
    child.stderr!.on('data', (d: Buffer) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited ${code}:\n${out.slice(-4000)}`))));
  });
}

interface Server {
  child: ChildProcess;
  port: number;
  pgPort: number;
  /** Seconds from spawn to the first 200 from /readyz. */
  startSeconds: number;
  log: () => string;
  stop(): Promise<void>;
}

async function startServer(dataDir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Server> {
  const port = await freePort();
  const pgPort = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, HUKOU_DATA_DIR: dataDir, HUKOU_PG_PORT: String(pgPort), PORT: String(port), LOG_LEVEL: 'warn', ...extraEnv };
  delete env.DATABASE_URL;
  const started = performance.now();
  // what `npm start` runs
  const nodeArgs = (process.env.BENCH_HTTP_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = node([...nodeArgs, 'bin/hukou.js', 'serve', '--migrate', '--demo'], env);
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log = (log + d).slice(-20_000)));
  child.stderr!.on('data', (d: Buffer) => (log = (log + d).slice(-20_000)));
  let exited = false;
  const gone = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  for (;;) {
    if (exited) throw new Error(`the server exited before it was ready:\n${log}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const startSeconds = (performance.now() - started) / 1000;
  return {
    child,
    port,
    pgPort,
    startSeconds,
    log: () => log,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** The server process's resident set now (Linux /proc), in MB; null elsewhere. */
function rssMb(pid: number | undefined): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** How the server reaches its embedded PostgreSQL: the Unix socket in the data directory if there is one, else loopback TCP. */
function pgConnection(dataDir: string, pgPort: number): pg.ClientConfig & { via: string } {
  const socketDir = join(dataDir, 'pg');
  if (existsSync(join(socketDir, `.s.PGSQL.${pgPort}`))) return { ...LOCAL, host: socketDir, port: pgPort, via: 'Unix socket' };
  return { ...LOCAL, host: '127.0.0.1', port: pgPort, via: 'TCP loopback' };
}

/** A register of `scale` people in `.hukou-bench/http-<scale>/`, seeded once and reused. */
async function seededRegister(scale: number): Promise<{ dataDir: string; seededNow: boolean }> {
  const dataDir = repoPath('.hukou-bench', `http-${scale}`);
  const marker = join(dataDir, 'seeded.json');
  if (existsSync(marker)) return { dataDir, seededNow: false };
  rmSync(dataDir, { recursive: true, force: true }); // a seed that never finished
  mkdirSync(dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, HUKOU_DATA_DIR: dataDir, HUKOU_PG_PORT: String(await freePort()) };
  delete env.DATABASE_URL;
  process.stderr.write(`   seeding ${scale.toLocaleString('en')} people into ${dataDir} (once; later runs reuse it)…\n`);
  const t = performance.now();
  await runToEnd(['bin/hukou.js', 'db', 'migrate'], env);
  await runToEnd(['bin/hukou.js', 'seed', '--people', String(scale), '--json'], env);
  writeFileSync(marker, JSON.stringify({ people: scale, seededAt: new Date().toISOString(), seconds: (performance.now() - t) / 1000 }));
  return { dataDir, seededNow: true };
}

interface Fixtures {
  officer: string;
  department: string;
  citizen: string;
  idNumbers: string[];
  names: string[];
}

/** Accounts and tokens for this run, and a random sample of the register to ask about. */
async function fixtures(dataDir: string, conn: pg.ClientConfig): Promise<Fixtures> {
  useSecretKeyOf(dataDir); // officers' TOTP secrets are sealed with the data directory's key
  const pool = new pg.Pool({ ...conn, max: 2 });
  const kdb = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    const ctx: ServiceContext = { db: kdb, actor: { ...SYSTEM_ACTOR, id: 'bench' }, clock: systemClock };
    const deps = { db: kdb, clock: systemClock };
    const run = Date.now().toString(36);
    const sample = (
      await pool.query<{ id_number: string; name: string }>(
        `select p.id_number, p.name from person p tablesample system (5) where p.status = 'active' limit $1`,
        [SAMPLE],
      )
    ).rows;
    if (sample.length < 10) throw new Error('the register holds too few people to sample');
    const token = async (role: 'registration_officer' | 'department_client' | 'citizen', extra: Record<string, string> = {}) => {
      const created = await createAccount(ctx, { username: `bench.${role}.${run}`, displayName: `bench ${role}`, role, password: 'bench-http-password-1', ...extra });
      return (await issueApiToken(deps, { accountId: created.account.id, name: 'bench', expiresInDays: 1, issuedBy: 'system' })).token;
    };
    // a citizen in a current household with nobody's account on it yet
    const citizenPerson = (
      await pool.query<{ id_number: string }>(
        `select p.id_number from person p tablesample system (1) join membership m on m.person_id = p.id and m.until is null
          where p.status = 'active' and not exists (select 1 from account a where a.person_id = p.id) limit 1`,
      )
    ).rows[0]!.id_number;
    return {
      officer: await token('registration_officer', { authorityId: 'mps' }),
      department: await token('department_client'),
      citizen: await token('citizen', { personIdNumber: citizenPerson }),
      idNumbers: sample.map((r) => r.id_number),
      names: sample.map((r) => r.name),
    };
  } finally {
    await kdb.destroy();
  }
}

function child(script: string, plan: unknown, serverPid: number | undefined): Promise<LoadResult & { rssMb: number | null }> {
  const dir = mkdtempSync(join(tmpdir(), 'hukou-http-bench-'));
  const file = join(dir, 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  return new Promise((resolve, reject) => {
    const c = node(['bin/run-ts.js', script, file], process.env);
    let out = '';
    let err = '';
    let peak: number | null = null;
    const sampler = setInterval(() => {
      const r = rssMb(serverPid);
      if (r !== null && (peak === null || r > peak)) peak = r;
    }, 250);
    c.stdout!.on('data', (d: Buffer) => (out += d));
    c.stderr!.on('data', (d: Buffer) => (err += d));
    c.on('exit', (code) => {
      clearInterval(sampler);
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`${script} exited ${code}: ${err.slice(-3000)}`));
      resolve({ ...(JSON.parse(out.trim().split('\n').pop()!) as LoadResult), rssMb: peak });
    });
  });
}

interface Scenario {
  key: string;
  name: string;
  target?: string;
  plan: (f: Fixtures) => Omit<LoadPlan, 'url' | 'connections' | 'seconds' | 'warmupSeconds'>;
}

const SCENARIOS: Scenario[] = [
  {
    key: 'person',
    name: 'HTTP GET /persons/{idNumber} (officer token, X-Purpose, access log on)',
    target: 'target ≥ 0.40 of raw, p99 < 20 ms',
    plan: (f) => ({ method: 'GET', headers: { authorization: `Bearer ${f.officer}`, 'x-purpose': 'case:BENCH-HTTP' }, requests: f.idNumbers.map((id) => ({ path: `/api/v1/persons/${id}` })) }),
  },
  {
    key: 'card',
    name: 'HTTP POST /id-cards/check (department token)',
    target: 'target ≥ 0.50 of raw',
    plan: (f) => ({
      method: 'POST',
      headers: { authorization: `Bearer ${f.department}` },
      requests: f.idNumbers.map((id, i) => ({ path: '/api/v1/id-cards/check', body: { idNumber: id, validFrom: `20${10 + (i % 15)}-0${1 + (i % 9)}-1${i % 10}` } })),
    }),
  },
  {
    key: 'household',
    name: 'HTTP GET /me/household (citizen token)',
    plan: (f) => ({ method: 'GET', headers: { authorization: `Bearer ${f.citizen}` }, requests: [{ path: '/api/v1/me/household' }] }),
  },
  {
    key: 'search',
    name: 'HTTP GET /persons?name= (officer search, masked, access log on)',
    plan: (f) => ({
      method: 'GET',
      headers: { authorization: `Bearer ${f.officer}`, 'x-purpose': 'case:BENCH-HTTP' },
      requests: f.names.map((n) => ({ path: `/api/v1/persons?name=${encodeURIComponent(n)}&limit=20` })),
    }),
  },
];

/** A first `npm start` on an empty data directory (initdb, migrations, demo population), then a restart. */
async function startTimes(): Promise<{ first: number; restart: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'hukou-start-'));
  try {
    const first = await startServer(dir);
    await first.stop();
    const again = await startServer(dir);
    await again.stop();
    return { first: first.startSeconds, restart: again.startSeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult[]> {
  const scale = scaleArg();
  const seconds = envInt('BENCH_HTTP_SECONDS', 5);
  const warmupSeconds = envInt('BENCH_HTTP_WARMUP', 2);
  const rounds = envInt('BENCH_HTTP_ROUNDS', 3);
  const connections = envInt('BENCH_HTTP_CONNECTIONS', 32);
  const only = process.env.BENCH_HTTP_ONLY?.split(',');
  const scenarios = SCENARIOS.filter((s) => !only || only.includes(s.key));
  const { dataDir } = await seededRegister(scale);
  const server = await startServer(dataDir, { HUKOU_RATE_PERSONAL_READS_PER_MIN: '1000000000' });
  const results = new Map<string, (LoadResult & { rssMb: number | null })[]>();
  let via = '';
  try {
    const { via: transport, ...conn } = pgConnection(dataDir, server.pgPort);
    via = transport;
    const f = await fixtures(dataDir, conn);
    const url = `http://127.0.0.1:${server.port}`;
    const common = { url, connections, seconds, warmupSeconds };
    for (let round = 0; round < rounds; round++) {
      const raw: RawPlan = { connection: conn, connections, seconds, warmupSeconds, idNumbers: f.idNumbers };
      const measured: [string, LoadResult & { rssMb: number | null }][] = [['raw', await child('bench/http/raw-load.ts', raw, server.child.pid)]];
      for (const s of scenarios) measured.push([s.key, await child('bench/http/load.ts', { ...common, ...s.plan(f) }, server.child.pid)]);
      for (const [key, r] of measured) {
        results.set(key, [...(results.get(key) ?? []), r]);
        process.stderr.write(`   round ${round + 1} ${key}: ${r.requestsPerSecond.toFixed(0)}/s p50 ${r.p50.toFixed(2)} ms p99 ${r.p99.toFixed(2)} ms non-2xx ${r.non2xx} errors ${r.errors} server RSS ${r.rssMb?.toFixed(0) ?? '?'} MB\n`);
      }
    }
  } catch (e) {
    process.stderr.write(`   server log:\n${server.log()}\n`);
    throw e;
  } finally {
    await server.stop();
  }
  const of = (key: string) => results.get(key)!;
  const med = (key: string, pick: (r: LoadResult) => number) => median(of(key).map(pick));
  const rawRate = med('raw', (r) => r.requestsPerSecond);
  const what = `${scale.toLocaleString('en')} people, ${connections} connections, ${rounds}×${seconds} s, autocannon in its own process`;
  const rows: BenchResult[] = [
    {
      name: `raw pg point lookup by ID number (prepared, ${connections} clients, own process, ${via})`,
      median: rawRate,
      unit: 'lookups/s',
      note: `p50 ${med('raw', (r) => r.p50).toFixed(2)} ms, p99 ${med('raw', (r) => r.p99).toFixed(2)} ms`,
    },
  ];
  let peakRss = 0;
  for (const s of scenarios) {
    const rs = of(s.key);
    const bad = rs.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0);
    const total = rs.reduce((n, r) => n + r.requests, 0);
    for (const r of rs) peakRss = Math.max(peakRss, r.rssMb ?? 0);
    rows.push({
      name: s.name,
      median: med(s.key, (r) => r.requestsPerSecond),
      unit: 'req/s',
      baseline: rawRate,
      note: `p50 ${med(s.key, (r) => r.p50).toFixed(1)} ms, p99 ${med(s.key, (r) => r.p99).toFixed(1)} ms; ${bad} of ${total} not 2xx or failed; ${what}${s.target ? `; ${s.target}` : ''}`,
    });
  }
  rows.push({ name: 'server RSS under that load (peak, HTTP process)', median: peakRss, unit: 'MB', note: `sampled every 250 ms; the embedded PostgreSQL's processes are not in it` });
  if (process.env.BENCH_HTTP_START !== '0') {
    const t = await startTimes();
    rows.push({ name: 'first npm start, empty data directory (initdb, migrations, demo population, accounts) to /readyz', median: t.first, unit: 's' });
    rows.push({ name: 'npm start again on that data directory (restart) to /readyz', median: t.restart, unit: 's' });
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await run();
  for (const r of rows) console.log(`${r.name}: ${r.median.toFixed(2)} ${r.unit}${r.baseline ? ` (${(r.median / r.baseline).toFixed(2)} of raw)` : ''} ${r.note ?? ''}`);
}
