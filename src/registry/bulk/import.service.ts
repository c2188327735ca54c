import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import pg from 'pg';
import { chinaDate } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { mayDisableTriggers } from './bulk-session.ts';
import { copyValue, copyChunks, LineSink } from './copy-stream.ts';
import { parseCsvRecord } from './csv.ts';
import { copyOut } from './export.service.ts';
import { IMPORT_TABLES, writeBatch, type Batch, type BatchContext, type BatchEntry, type BatchResult } from './import-batch.ts';
import { formatOfFile, headerProblems, rowFromCsv, rowFromJson, type ImportFormat, type RawRow, type RowIssue } from './import-format.ts';
import { loadImportReference } from './import-reference.ts';
import { MemoryGuard } from './memory-guard.ts';
import { RowValidator } from './import-validate.ts';
import { advanceJob, completeJob, countIssues, findJob, findOrCreateJob, tryLockJob, unlockJob, type ImportJobRow } from './import.queries.ts';
import { readRecords, stripBom } from './record-reader.ts';
import type { BulkTarget } from './seed.service.ts';

export interface ImportOptions {
  file: string;
  /** Default: from the file name (.ndjson/.jsonl, .csv). */
  format?: ImportFormat | undefined;
  /** Rows per transaction (default 5,000). */
  batchSize?: number | undefined;
  /** Where to write the report of rejected rows (.csv, else NDJSON). */
  reportFile?: string | undefined;
  actorId?: string | undefined;
  /** Stop after this many batches; the job stays resumable (a later run continues after them). */
  maxBatches?: number | undefined;
  /** The day imported hukou and events count from (default: today in China). */
  today?: string | undefined;
  onProgress?: ((bytesDone: number, bytesTotal: number) => void) | undefined;
}

export interface ImportSummary {
  file: string;
  jobId: number;
  sha256: string;
  format: ImportFormat;
  /** The file had been imported completely before: nothing was read. */
  alreadyCompleted: boolean;
  resumed: boolean;
  resumedAfterRow: number;
  /** Stopped by maxBatches before the end of the file. */
  stopped: boolean;
  /** Rows handled in this run (blank lines not counted). */
  rows: number;
  imported: number;
  unchanged: number;
  rejected: number;
  batches: number;
  /** Report entries of the whole job. */
  issues: number;
  report: string | null;
  seconds: number;
  rowsPerSecond: number;
}

/**
 * `hukou import`: reads the file as a stream (memory stays flat whatever its size), checks every
 * row, and commits the valid ones batch by batch, each batch with its report entries and the job's
 * new position in one transaction. The job is keyed by the SHA-256 of the file's content: a re-run
 * of a completed file does nothing, a re-run of an interrupted one resumes after the last committed
 * batch. Rows already registered exactly as given are counted as unchanged, never added twice.
 */
export async function importFile(target: BulkTarget, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const format = options.format ?? formatOfFile(options.file);
  if (!format) {
    throw new AppError('IMPORT_FORMAT_UNKNOWN', `Cannot tell the format of ${options.file}: name it .ndjson, .jsonl or .csv, or pass --format ndjson|csv.`, {
      details: { file: options.file },
    });
  }
  await assertFile(options.file);
  // a CSV whose header is unusable is refused before anything is recorded, even its job
  const header = format === 'csv' ? await readHeader(options.file) : null;
  // the job's content is exactly the bytes hashed, and runJob reads no further (the file may be growing)
  const { sha256, bytes } = await sha256Of(options.file);
  const actorId = options.actorId ?? 'system:import';
  const job = await findOrCreateJob(target.db, { sha256, fileName: basename(options.file), format, bytes, actorId });
  const summary: ImportSummary = {
    file: options.file, jobId: job.id, sha256, format: job.format, alreadyCompleted: job.status === 'completed', resumed: false,
    resumedAfterRow: 0, stopped: false, rows: 0, imported: 0, unchanged: 0, rejected: 0, batches: 0, issues: 0, report: null, seconds: 0, rowsPerSecond: 0,
  };
  if (!summary.alreadyCompleted) {
    const client = await target.pool.connect();
    try {
      if (!(await tryLockJob(client, job.id))) {
        throw new AppError('IMPORT_IN_PROGRESS', `${options.file} (job ${job.id}) is being imported by another process right now; wait for it to finish.`, {
          details: { jobId: job.id, sha256 },
        });
      }
      try {
        const current = (await findJob(target.db, sha256))!;
        if (current.status === 'completed') summary.alreadyCompleted = true;
        else await runJob(target, client, current, options, summary, header);
      } finally {
        await unlockJob(client, job.id);
      }
    } finally {
      client.release();
    }
  }
  summary.issues = await countIssues(target.db, job.id);
  if (options.reportFile) {
    await writeReport(target, job.id, options.reportFile);
    summary.report = options.reportFile;
  }
  summary.seconds = (performance.now() - started) / 1000;
  summary.rowsPerSecond = Math.round(summary.rows / Math.max(summary.seconds, 0.001));
  return summary;
}

async function runJob(
  target: BulkTarget, client: pg.PoolClient, job: ImportJobRow, options: ImportOptions, summary: ImportSummary, header: { columns: string[]; end: number } | null,
): Promise<void> {
  const quoted = job.format === 'csv';
  // the job's format decides (the same content may come back under another name)
  const csvHeader = quoted ? (header ?? (await readHeader(options.file))) : null;
  const columns = csvHeader?.columns ?? [];
  const start = csvHeader ? Math.max(job.committed_offset, csvHeader.end) : job.committed_offset;
  summary.resumed = job.committed_rows > 0 || job.committed_offset > 0;
  summary.resumedAfterRow = job.committed_rows;
  if (options.maxBatches === 0) {
    summary.stopped = true;
    return;
  }
  const today = options.today ?? chinaDate(new Date());
  const ref = await loadImportReference(target.db, today);
  const validator = new RowValidator(ref);
  const ctx: BatchContext = {
    client, jobId: job.id, actorId: options.actorId ?? 'system:import', ref, mayDisableTriggers: await mayDisableTriggers(client, IMPORT_TABLES), foreignKeys: new Map(),
  };
  const batchSize = options.batchSize ?? 5000;
  const total = Number(job.file_bytes);

  let rowNumber = job.committed_rows;
  let entries: BatchEntry[] = [];
  let ends: number[] = [];
  let lastEnd = start;
  let pending: Promise<void> = Promise.resolve();
  const memory = new MemoryGuard();
  const account = (r: BatchResult, batch: Batch) => {
    memory.check();
    summary.imported += r.imported;
    summary.unchanged += r.unchanged;
    summary.rejected += r.rejected;
    summary.batches++;
    options.onProgress?.(batch.endOffset, total);
  };
  const flush = async () => {
    const batch: Batch = { entries, endOffset: lastEnd, lastRow: rowNumber };
    const rowEnds = ends;
    entries = [];
    ends = [];
    await pending;
    pending = runBatch(ctx, batch, rowEnds).then((r) => account(r, batch));
    pending.catch(() => undefined);
  };

  let started = 0;
  let stopped = false;
  // no further than the bytes hashed: what is appended meanwhile is other content, for another job
  for await (const record of readRecords(options.file, { start, end: total, quoted })) {
    rowNumber++;
    lastEnd = record.end;
    // a blank line, or in CSV a row of empty fields only (a spreadsheet's trailing `,,,,` rows), is no record
    if (!record.tooLong && (quoted ? EMPTY_CSV_ROW.test(record.text) : record.text.trim() === '')) continue;
    summary.rows++;
    // Let the batch in flight have its database replies: reading and checking rows is synchronous
    // work, and without a turn of the event loop every few rows each of the batch's round trips
    // would wait for a whole read chunk (hundreds of rows) to be parsed first.
    if ((summary.rows & 15) === 0) await yieldToEventLoop();
    entries.push(parseEntry(rowNumber, record.text, record.tooLong === true, columns, quoted, validator));
    ends.push(record.end);
    if (entries.length >= batchSize) {
      await flush();
      started++;
      if (options.maxBatches !== undefined && started >= options.maxBatches) {
        stopped = true;
        break;
      }
    }
  }
  // the last rows, or only trailing blank lines: the job's position still moves to the end
  if (!stopped && (entries.length > 0 || lastEnd > start)) await flush();
  await pending;
  if (stopped) {
    summary.stopped = true;
    return;
  }
  await completeJob(target.db, job.id);
}

const EMPTY_CSV_ROW = /^[\s,]*$/;

const NOT_UTF8 = 'the row is not valid UTF-8 (or holds U+FFFD, a character lost in an earlier conversion); save a GBK/GB 18030 file as UTF-8 first, e.g. iconv -f GB18030 -t UTF-8';

/** One record of the file, parsed and checked (everything that needs no register); exported for the import benchmark. */
export function parseEntry(rowNumber: number, text: string, tooLong: boolean, columns: string[], csv: boolean, validator: RowValidator): BatchEntry {
  if (tooLong) return { rowNumber, row: null, issues: [{ field: '*', code: 'ROW_MALFORMED', message: 'the row is longer than 1 MB (an unbalanced quote?)' }] };
  // bytes that are not UTF-8 decode to U+FFFD: the row would be stored with its characters lost
  if (text.includes('\uFFFD')) return { rowNumber, row: null, issues: [{ field: '*', code: 'ROW_MALFORMED', message: NOT_UTF8 }] };
  let parsed: { row: RawRow; issues: RowIssue[] };
  if (csv) {
    const values = parseCsvRecord(text);
    parsed = values ? rowFromCsv(columns, values) : { row: {}, issues: [{ field: '*', code: 'ROW_MALFORMED', message: 'a quoted field is not closed properly' }] };
  } else {
    parsed = rowFromJson(text);
  }
  if (parsed.issues.some((i) => i.code === 'ROW_MALFORMED')) return { rowNumber, row: null, issues: parsed.issues };
  const checked = validator.validate(rowNumber, parsed.row);
  const issues = [...parsed.issues, ...checked.issues];
  return { rowNumber, row: issues.length === 0 ? checked.row : null, issues };
}

/**
 * Writes a batch; when the database refuses it (something the checks did not foresee), retries its
 * rows one by one so only the refused rows are rejected, each with the database's reason.
 */
async function runBatch(ctx: BatchContext, batch: Batch, rowEnds: number[]): Promise<BatchResult> {
  try {
    return await writeBatch(ctx, batch);
  } catch (e) {
    if (!isRetryable(e)) throw e;
    if (batch.entries.length <= 1) return rejectRow(ctx, batch, e as Error);
    const total: BatchResult = { imported: 0, unchanged: 0, rejected: 0 };
    for (let i = 0; i < batch.entries.length; i++) {
      const last = i === batch.entries.length - 1;
      const single: Batch = {
        entries: [batch.entries[i]!],
        endOffset: last ? batch.endOffset : rowEnds[i]!,
        lastRow: last ? batch.lastRow : batch.entries[i]!.rowNumber,
      };
      const r = await runBatch(ctx, single, [single.endOffset]);
      total.imported += r.imported;
      total.unchanged += r.unchanged;
      total.rejected += r.rejected;
    }
    return total;
  }
}

function isRetryable(e: unknown): boolean {
  return e instanceof pg.DatabaseError || (e instanceof AppError && e.code === 'BULK_INVARIANT_VIOLATED');
}

async function rejectRow(ctx: BatchContext, batch: Batch, error: Error): Promise<BatchResult> {
  const entry = batch.entries[0]!;
  const message = error instanceof AppError ? error.userMessage : `the database refused the row: ${error.message}`;
  await ctx.client.query('begin');
  try {
    const sink = new LineSink();
    sink.push(`${ctx.jobId}\t${entry.rowNumber}\t*\tROW_REJECTED\t${copyValue(message)}\n`);
    await copyChunks(ctx.client, 'import_issue', ['job_id', 'row_number', 'field', 'code', 'message'], sink.finish());
    await advanceJob(ctx.client, ctx.jobId, { offset: batch.endOffset, rows: batch.lastRow, imported: 0, unchanged: 0, rejected: 1 });
    await ctx.client.query('commit');
  } catch (e) {
    await ctx.client.query('rollback').catch(() => undefined);
    throw e;
  }
  return { imported: 0, unchanged: 0, rejected: 1 };
}

async function readHeader(file: string): Promise<{ columns: string[]; end: number }> {
  for await (const record of readRecords(file, { start: 0, quoted: true, chunkBytes: 64 * 1024 })) {
    const columns = record.tooLong ? null : parseCsvRecord(stripBom(record.text).trim());
    const problems = columns ? headerProblems(columns) : ['the header is not a CSV record'];
    if (problems.length > 0) {
      throw new AppError('IMPORT_HEADER_INVALID', `The header of ${file} is not usable: ${problems.join('; ')}. See docs/import-format.md for the columns.`, {
        details: { file, problems },
      });
    }
    return { columns: columns!, end: record.end };
  }
  throw new AppError('IMPORT_HEADER_INVALID', `${file} is empty: a CSV import starts with a header row naming its columns.`, { details: { file, problems: ['empty file'] } });
}

async function assertFile(file: string): Promise<void> {
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error('not a file');
  } catch {
    throw new AppError('IMPORT_FILE_NOT_FOUND', `Cannot read ${file}: no such file, or not a regular file.`, { details: { file } });
  }
}

function sha256Of(file: string): Promise<{ sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    createReadStream(file, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => {
        hash.update(chunk);
        bytes += chunk.length;
      })
      .on('error', reject)
      .on('end', () => resolve({ sha256: hash.digest('hex'), bytes }));
  });
}

/** The job's report, every issue of every rejected row in row order: CSV for a .csv name, else NDJSON. */
async function writeReport(target: BulkTarget, jobId: number, file: string): Promise<void> {
  const select = `select row_number as row, field, code, message from import_issue where job_id = ${Number(jobId)} order by row_number, field, code`;
  const statement =
    extname(file).toLowerCase() === '.csv'
      ? `copy (${select}) to stdout with (format csv, header true)`
      : `copy (select json_build_object('row', row, 'field', field, 'code', code, 'message', message)::text from (${select}) x)
           to stdout with (format csv, quote e'\\x01', delimiter e'\\x02')`;
  const client = await target.pool.connect();
  try {
    await copyOut(client, statement, createWriteStream(file));
  } finally {
    client.release();
  }
}
