/**
 * `hukou import` throughput next to a raw COPY of the same rows into unconstrained tables, measured
 * in the same run (issue #3 target: import ≥ 50% of the raw rate), and the import's peak memory on
 * a large file (target: flat, < 300 MB RSS whatever the file size).
 *
 * A synthetic register is seeded and exported (NDJSON); each import goes into a fresh register. The
 * baseline copies exactly the rows that import wrote (person, ID numbers, households, memberships,
 * events, residence registrations) into `create table … (like …)` copies: no index, no constraint,
 * no trigger. A second reference copies the same rows into an empty register's own tables (indexes
 * live, triggers off, nothing checked): what keeping the register indexed costs by itself. The peak
 * RSS is that of a `hukou import` child process (VmHWM).
 *
 * Sizes: BENCH_IMPORT_ROWS (default 200,000) for the rate, BENCH_IMPORT_RSS_ROWS (default
 * 1,000,000) for memory; runs: BENCH_IMPORT_RUNS (default 3); rows per batch: BENCH_IMPORT_BATCH
 * (default: importFile's).
 * Database: DATABASE_URL's server if set, else a throwaway embedded PostgreSQL.
 * Run alone: node bin/run-ts.js bench/import.bench.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { exportRegister, importFile, seedPopulation } from '../src/registry/bulk/index.ts';
import { IMPORT_COLUMNS } from '../src/registry/bulk/import-batch.ts';
import { repoPath } from '../src/platform/paths.ts';
import { envInt, openBenchCluster, type BenchCluster } from './bulk-db.ts';
import { median, type BenchResult } from './result.ts';

const AS_OF = '2026-01-01';
const TABLES = ['person', 'person_id_number', 'household', 'membership', 'registration_event', 'residence_registration', 'residence_event'] as const;

async function exportFile(cluster: BenchCluster, name: string, people: number, dir: string): Promise<string> {
  const source = await cluster.fresh(name);
  try {
    await seedPopulation(source, { people, seed: 42, asOf: AS_OF });
    const file = join(dir, `${name}.ndjson`);
    await exportRegister(source, { format: 'ndjson', out: file });
    return file;
  } finally {
    await source.drop();
  }
}

async function copyOutAll(client: pg.ClientBase, statement: string): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const c of client.query(copyTo(statement)) as AsyncIterable<Buffer>) chunks.push(c);
  return chunks;
}

async function copyInAll(client: pg.ClientBase, statement: string, chunks: Buffer[]): Promise<void> {
  const stream = client.query(copyFrom(statement));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  for (const c of chunks) if (!stream.write(c)) await new Promise((r) => stream.once('drain', r));
  stream.end();
  await done;
}

type TableData = Record<string, Buffer[]>;

/** The rows import wrote, table by table, as COPY text. */
async function copyOutImported(url: string): Promise<TableData> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const data: TableData = {};
    for (const t of TABLES) data[t] = await copyOutAll(client, `copy (select ${IMPORT_COLUMNS[t].join(', ')} from ${t}) to stdout`);
    return data;
  } finally {
    await client.end();
  }
}

/**
 * Seconds to COPY `data` in one transaction: into unconstrained copies of the tables (`raw`: the
 * baseline), or into the register's own tables of an empty register with their keys, unique and
 * secondary indexes live and triggers off (`indexed`: what the indexes alone cost, with no check and
 * no parsing — the ceiling of any import that keeps the register indexed while it loads).
 */
async function copySeconds(url: string, data: TableData, into: 'raw' | 'indexed'): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    if (into === 'raw') {
      for (const t of TABLES) {
        // same columns and defaults; no index, constraint (not even NOT NULL) or trigger
        await client.query(`create table raw_${t} (like ${t} including defaults)`);
        const { rows } = await client.query<{ column_name: string }>(
          `select column_name from information_schema.columns where table_name = $1 and is_nullable = 'NO'`,
          [`raw_${t}`],
        );
        for (const c of rows) await client.query(`alter table raw_${t} alter column ${c.column_name} drop not null`);
      }
    }
    await client.query('checkpoint');
    const started = performance.now();
    await client.query('begin');
    if (into === 'indexed') await client.query('set local session_replication_role = replica');
    for (const t of TABLES) await copyInAll(client, `copy ${into === 'raw' ? 'raw_' : ''}${t} (${IMPORT_COLUMNS[t].join(', ')}) from stdin`, data[t]!);
    await client.query('commit');
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

/** Peak RSS (VmHWM, MB) of `hukou import <file>` run as a child process against `url`. */
function importPeakRss(url: string, file: string): Promise<{ peakMb: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [repoPath('bin', 'hukou.js'), 'import', file, '--json'], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let peakKb = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // the child has exited between two samples
      }
    }, 100);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`hukou import exited with ${code}: ${stderr.slice(-500)}`));
      else resolve({ peakMb: peakKb / 1024, seconds: (performance.now() - started) / 1000 });
    });
  });
}

export async function run(): Promise<BenchResult[]> {
  const rows = envInt('BENCH_IMPORT_ROWS', 200_000);
  const rssRows = envInt('BENCH_IMPORT_RSS_ROWS', 1_000_000);
  const runs = envInt('BENCH_IMPORT_RUNS', 3);
  const batchSize = envInt('BENCH_IMPORT_BATCH', 0) || undefined;
  const dir = mkdtempSync(join(tmpdir(), 'hukou-bench-import-'));
  const cluster = await openBenchCluster('bench_import');
  try {
    const file = await exportFile(cluster, 'source', rows, dir);
    const importRates: number[] = [];
    const rawRates: number[] = [];
    const indexedRates: number[] = [];
    for (let r = 0; r < runs; r++) {
      const target = await cluster.fresh(`target_${r}`);
      try {
        const summary = await importFile(target, { file, today: AS_OF, batchSize });
        if (summary.imported !== rows) throw new Error(`imported ${summary.imported} of ${rows} rows (${summary.rejected} rejected)`);
        const data = await copyOutImported(target.url);
        const raw = await copySeconds(target.url, data, 'raw');
        const empty = await cluster.fresh(`indexed_${r}`);
        let indexed: number;
        try {
          indexed = await copySeconds(empty.url, data, 'indexed');
        } finally {
          await empty.drop();
        }
        importRates.push(rows / summary.seconds);
        rawRates.push(rows / raw);
        indexedRates.push(rows / indexed);
        process.stderr.write(
          `   run ${r + 1}: import ${summary.seconds.toFixed(2)} s (${(rows / summary.seconds).toFixed(0)} rows/s), raw COPY ${raw.toFixed(2)} s (${(rows / raw).toFixed(0)} rows/s), ` +
            `COPY into the indexed tables ${indexed.toFixed(2)} s (${(rows / indexed).toFixed(0)} rows/s)\n`,
        );
      } finally {
        await target.drop();
      }
    }
    const results: BenchResult[] = [
      { name: `raw COPY of the imported rows (${rows.toLocaleString('en')} persons), unconstrained tables`, median: median(rawRates), unit: 'rows/s' },
      {
        name: `COPY of the same rows into the register's tables (keys, unique and secondary indexes live; triggers off; no checks)`,
        median: median(indexedRates),
        unit: 'rows/s',
        baseline: median(rawRates),
        note: 'the ceiling of an import that keeps the register indexed while it loads',
      },
      {
        name: `hukou import ${rows.toLocaleString('en')} persons (NDJSON, batches of ${(batchSize ?? 5000).toLocaleString('en')})`,
        median: median(importRates),
        unit: 'rows/s',
        baseline: median(rawRates),
        note: `target ≥ 0.50 of raw; median of ${runs} fresh registers; ${(median(importRates) / median(indexedRates)).toFixed(2)} of the indexed COPY`,
      },
    ];
    if (rssRows > 0) {
      const big = rssRows === rows ? file : await exportFile(cluster, 'big', rssRows, dir);
      const target = await cluster.fresh('rss');
      try {
        const { peakMb, seconds } = await importPeakRss(target.url, big);
        const mb = statSync(big).size / 1024 / 1024;
        results.push({
          name: `hukou import peak RSS, ${rssRows.toLocaleString('en')} persons (${mb.toFixed(0)} MB file)`,
          median: peakMb,
          unit: 'MB',
          note: `target < 300 MB; child process VmHWM; ${seconds.toFixed(0)} s`,
        });
      } finally {
        await target.drop();
      }
    }
    return results;
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await run()) {
    const ratio = r.baseline ? `  (${(r.median / r.baseline).toFixed(2)} of ${r.baseline.toFixed(0)} ${r.unit})` : '';
    process.stdout.write(`${r.name}: ${r.median.toFixed(r.median >= 100 ? 0 : 2)} ${r.unit}${ratio}${r.note ? `  — ${r.note}` : ''}\n`);
  }
}
