/**
 * `hukou seed`: one million synthetic people with their households, memberships, ID-number history,
 * birth and household events and residence registrations, in one transaction
 * (issue #3 target: ≤ 30 s on the 2-core machine), next to the raw baseline measured in the same
 * run: COPY of one million 11-column person rows into an unconstrained table (~2 s here). Also the
 * demo population (50,000, what `npm start` seeds on first run), median of several runs.
 *
 * Sizes: BENCH_SEED_PEOPLE (default 1,000,000), BENCH_SEED_DEMO_RUNS (default 3).
 * Database: DATABASE_URL's server if set, else a throwaway embedded PostgreSQL.
 * Run alone: node bin/run-ts.js bench/seed.bench.ts
 */
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DEMO_POPULATION, seedPopulation, type SeedPhase } from '../src/registry/bulk/index.ts';
import { envInt, openBenchCluster } from './bulk-db.ts';
import { median, type BenchResult } from './result.ts';

const AS_OF = '2026-01-01';
const RAW_ROWS = 1_000_000;

/** COPY of RAW_ROWS person-like rows (11 columns) into a table without index, constraint or trigger. */
async function rawCopySeconds(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create table raw_person (id bigint, id_number text, name text, name_pinyin text, sex text, birth_date date,
      ethnicity text, birthplace_code text, native_place_code text, marital_status text, status text)`);
    const started = performance.now();
    await client.query('begin');
    const stream = client.query(copyFrom('copy raw_person from stdin'));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    let chunk = '';
    for (let i = 1; i <= RAW_ROWS; i++) {
      const seq = String(i % 1000).padStart(3, '0');
      chunk += `${i}\t110105${1950 + (i % 70)}0${1 + (i % 9)}1${i % 10}${seq}X\t张小明\tzhangxiaoming\t${1 + (i % 2)}\t${1950 + (i % 70)}-0${1 + (i % 9)}-1${i % 10}\t01\t110105\t110105\t20\tactive\n`;
      if (chunk.length > 1 << 18) {
        if (!stream.write(chunk)) await new Promise((r) => stream.once('drain', r));
        chunk = '';
      }
    }
    stream.end(chunk);
    await done;
    await client.query('commit');
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

export async function run(): Promise<BenchResult[]> {
  const people = envInt('BENCH_SEED_PEOPLE', 1_000_000);
  const demoRuns = envInt('BENCH_SEED_DEMO_RUNS', 3);
  const cluster = await openBenchCluster('bench_seed');
  try {
    const raws: number[] = [];
    for (let r = 0; r < 3; r++) {
      const scratch = await cluster.fresh(`raw_${r}`);
      try {
        raws.push(await rawCopySeconds(scratch.url));
      } finally {
        await scratch.drop();
      }
    }
    const raw = median(raws);
    process.stderr.write(`   raw COPY of ${RAW_ROWS.toLocaleString('en')} person rows: ${raws.map((s) => s.toFixed(2)).join(', ')} s\n`);

    const target = await cluster.fresh('million');
    let summaryNote: string;
    let seconds: number;
    try {
      const phases: string[] = [];
      let last = 0;
      const summary = await seedPopulation(target, {
        people,
        seed: 2026,
        asOf: AS_OF,
        onPhase: (phase: SeedPhase, at: number) => {
          phases.push(`${phase} ${(at - last).toFixed(1)}`);
          last = at;
        },
      });
      seconds = summary.seconds;
      summaryNote =
        `${summary.households.toLocaleString('en')} households, ${summary.events.toLocaleString('en')} events, ` +
        `${summary.residenceRegistrations.toLocaleString('en')} residence registrations, ${summary.rowsPerSecond.toLocaleString('en')} rows/s; ` +
        `phases (s): ${phases.join(', ')}; target ≤ 30 s`;
      process.stderr.write(`   seed ${people.toLocaleString('en')}: ${seconds.toFixed(1)} s (${summaryNote})\n`);
    } finally {
      await target.drop();
    }

    const demo: number[] = [];
    for (let r = 0; r < demoRuns; r++) {
      const d = await cluster.fresh(`demo_${r}`);
      try {
        demo.push((await seedPopulation(d, { ...DEMO_POPULATION, asOf: AS_OF })).seconds);
      } finally {
        await d.drop();
      }
    }
    return [
      { name: `raw COPY of ${RAW_ROWS.toLocaleString('en')} 11-column person rows, unconstrained table`, median: raw, unit: 's', note: `median of ${raws.length}` },
      { name: `hukou seed --people ${people.toLocaleString('en')} (one transaction, invariants re-checked)`, median: seconds, unit: 's', baseline: raw, note: summaryNote },
      { name: `demo population (${DEMO_POPULATION.people.toLocaleString('en')} people, npm start's first run)`, median: median(demo), unit: 's', note: `median of ${demo.length}` },
    ];
  } finally {
    await cluster.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await run()) {
    const ratio = r.baseline ? `  (${(r.median / r.baseline).toFixed(1)}× the raw baseline)` : '';
    process.stdout.write(`${r.name}: ${r.median.toFixed(2)} ${r.unit}${ratio}${r.note ? `  — ${r.note}` : ''}\n`);
  }
}
