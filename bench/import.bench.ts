/**
 * `hukou import` throughput next to a raw COPY of the same rows into unconstrained tables, measured
 * in the same run (issue #3 target: import ≥ 50% of the raw rate), and the import's peak memory on
 * a large file (target: flat, < 300 MB RSS whatever the file size).
 *
 * A synthetic register is seeded and exported (NDJSON); each import goes into a fresh register. The
 * baseline copies exactly the rows that import wrote (person, ID numbers, households, memberships,
 * events, residence registrations) into `create table … (like …)` copies: no index, no constraint,
 * no trigger. Three references bound what any import could reach: the same rows copied into an
 * empty register's own tables with their indexes live (triggers off, nothing checked) — what keeping
 * the register indexed costs by itself; the same with the indexes dropped first and rebuilt after
 * the COPY, as `hukou seed` does — the database work of an initial load; and import's reading and
 * checking of the file with no database at all. The peak RSS is that of a `hukou import` child
 * process (VmHWM).
 *
 * Sizes: BENCH_IMPORT_ROWS (default 200,000) for the rate, BENCH_IMPORT_RSS_ROWS (default
 * 1,000,000) for memory; runs: BENCH_IMPORT_RUNS (default 3); rows per batch: BENCH_IMPORT_BATCH
 * (default: importFile's).
 * Database: DATABASE_URL's server if set, else a throwaway embedded PostgreSQL.
 * Run alone: node bin/run-ts.js bench/import.bench.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { exportRegister, importFile, seedPopulation } from '../src/registry/bulk/index.ts';
import { BulkSession } from '../src/registry/bulk/bulk-session.ts';
import { IMPORT_COLUMNS } from '../src/registry/bulk/import-batch.ts';
import { loadImportReference } from '../src/registry/bulk/import-reference.ts';
import { parseEntry } from '../src/registry/bulk/import.service.ts';
import { RowValidator } from '../src/registry/bulk/import-validate.ts';
import { readRecords } from '../src/registry/bulk/record-reader.ts';
import { repoPath } from '../src/platform/paths.ts';
import { envInt, openBenchCluster, type BenchCluster, type BenchDatabase } from './bulk-db.ts';
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
async function copySeconds(url: string, data: TableData, into: 'raw' | 'indexed' | 'rebuilt'): Promise<number> {
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
    // as `hukou seed` loads an empty register: triggers off, every index that no foreign key
    // depends on dropped, COPY, then each rebuilt once (in parallel where PostgreSQL can)
    const session = into === 'rebuilt' ? await BulkSession.open(client, TABLES) : null;
    if (session && (!session.replica || (await session.dropIndexesOfEmptyTables()) === 0)) throw new Error('the rebuilt COPY needs a role that may switch triggers off and own the tables');
    for (const t of TABLES) await copyInAll(client, `copy ${into === 'raw' ? 'raw_' : ''}${t} (${IMPORT_COLUMNS[t].join(', ')}) from stdin`, data[t]!);
    await session?.restoreIndexes();
    await client.query('commit');
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

/**
 * Seconds to read and check every row of `file` exactly as import does (record reader, JSON, every
 * per-row check), with no database work at all: the part of an import no index strategy touches.
 */
async function readAndCheckSeconds(target: BenchDatabase, file: string): Promise<number> {
  const validator = new RowValidator(await loadImportReference(target.db, AS_OF));
  const started = performance.now();
  let row = 0;
  let bad = 0;
  for await (const record of readRecords(file, { start: 0, quoted: false })) {
    if (parseEntry(++row, record.text, record.tooLong === true, [], false, validator).row === null) bad++;
  }
  if (bad > 0) throw new Error(`${bad} rows failed the checks`);
  return (performance.now() - started) / 1000;
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
    const checkRates: number[] = [];
    const rebuiltRates: number[] = [];
    for (let r = 0; r < runs; r++) {
      const target = await cluster.fresh(`target_${r}`);
      try {
        checkRates.push(rows / (await readAndCheckSeconds(target, file)));
        const summary = await importFile(target, { file, today: AS_OF, batchSize });
        if (summary.imported !== rows) throw new Error(`imported ${summary.imported} of ${rows} rows (${summary.rejected} rejected)`);
        const data = await copyOutImported(target.url);
        const raw = await copySeconds(target.url, data, 'raw');
        const copyInto = async (mode: 'indexed' | 'rebuilt') => {
          const empty = await cluster.fresh(`${mode}_${r}`);
          try {
            return await copySeconds(empty.url, data, mode);
          } finally {
            await empty.drop();
          }
        };
        const indexed = await copyInto('indexed');
        const rebuilt = await copyInto('rebuilt');
        rebuiltRates.push(rows / rebuilt);
        importRates.push(rows / summary.seconds);
        rawRates.push(rows / raw);
        indexedRates.push(rows / indexed);
        process.stderr.write(
          `   run ${r + 1}: import ${summary.seconds.toFixed(2)} s (${(rows / summary.seconds).toFixed(0)} rows/s), raw COPY ${raw.toFixed(2)} s (${(rows / raw).toFixed(0)} rows/s), ` +
            `COPY into the indexed tables ${indexed.toFixed(2)} s (${(rows / indexed).toFixed(0)} rows/s), with the indexes rebuilt after it ${rebuilt.toFixed(2)} s\n`,
        );
      } finally {
        await target.drop();
      }
    }
    // CPU seconds per row of the two parts every import has, whatever its strategy, and the best
    // rate they allow if they overlapped perfectly on every core
    const cores = availableParallelism();
    const bound = cores / (1 / median(rebuiltRates) + 1 / median(checkRates)) / median(rawRates);
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
        note:
          `target ≥ 0.50 of raw; median of ${runs} fresh registers; ${(median(importRates) / median(indexedRates)).toFixed(2)} of the indexed COPY; ` +
          `no import that ends with the register's keys and indexes in place (live throughout, or dropped and rebuilt) can pass ${bound.toFixed(2)} of raw on ${cores} cores ` +
          `(the rebuilt COPY and the reading take this long per row each alone, both CPU-bound; summed and spread perfectly over the cores, with nothing checked against the register)`,
      },
      {
        name: `COPY of the same rows into an empty register's tables with their indexes dropped and rebuilt after it (triggers off; no checks)`,
        median: median(rebuiltRates),
        unit: 'rows/s',
        baseline: median(rawRates),
        note: 'the database work of an initial load that drops and rebuilds the indexes (as hukou seed does), before parsing or checking anything',
      },
      {
        name: `reading and checking the same file alone (no database), one core`,
        median: median(checkRates),
        unit: 'rows/s',
        baseline: median(rawRates),
        note: 'the per-row work of import before any write: JSON, GB 11643, codes, divisions, authorities',
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
