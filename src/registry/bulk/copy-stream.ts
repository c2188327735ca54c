import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const CHUNK_CHARS = 1 << 18;
const SINK_CHUNK_BYTES = 1 << 20;
const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** A value in PostgreSQL's COPY text format: `\N` for null, backslash escapes for \ tab LF CR. */
export function copyValue(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  return NEEDS_ESCAPE.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v;
}

/**
 * Streams rows (each a complete COPY text line ending in \n) into `table` on `client`, in chunks of
 * ~256 KB with backpressure. Resolves with the row count once PostgreSQL has accepted them all.
 */
export async function copyRows(client: pg.ClientBase, table: string, columns: readonly string[], rows: Iterable<string>): Promise<number> {
  const stream = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  let count = 0;
  let chunk = '';
  const write = async (text: string) => {
    if (!stream.write(text)) await Promise.race([once(stream, 'drain'), failed]);
  };
  for (const row of rows) {
    chunk += row;
    count++;
    if (chunk.length >= CHUNK_CHARS) {
      await write(chunk);
      chunk = '';
    }
  }
  if (chunk.length > 0) await write(chunk);
  stream.end();
  await Promise.race([once(stream, 'finish'), failed]);
  return count;
}

/**
 * COPY text lines collected into 1 MB buffers outside the JS heap: each line string dies young, so
 * millions of rows held between generation and COPY cost no garbage-collector copying.
 */
export class LineSink {
  readonly chunks: Buffer[] = [];
  private current: Buffer;
  private used = 0;
  rows = 0;

  /** `chunkBytes`: 1 MB for the seed's big batches; an import batch of thousands of rows needs less. */
  constructor(private readonly chunkBytes = SINK_CHUNK_BYTES) {
    this.current = Buffer.allocUnsafe(chunkBytes);
  }

  push(line: string): void {
    this.rows++;
    if (this.used + line.length * 3 > this.current.length) this.seal(line.length * 3);
    this.used += this.current.write(line, this.used, 'utf8');
  }

  private seal(need: number): void {
    if (this.used > 0) this.chunks.push(this.current.subarray(0, this.used));
    this.current = Buffer.allocUnsafe(Math.max(this.chunkBytes, need));
    this.used = 0;
  }

  /** The collected bytes, in order; the sink is spent afterwards. */
  finish(): Buffer[] {
    if (this.used > 0) this.chunks.push(this.current.subarray(0, this.used));
    this.used = 0;
    this.current = Buffer.alloc(0);
    return this.chunks;
  }
}

/** Streams already-encoded COPY text (see LineSink) into `table`. */
export async function copyChunks(client: pg.ClientBase, table: string, columns: readonly string[], chunks: readonly Buffer[]): Promise<void> {
  const stream = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  for (const chunk of chunks) {
    if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), failed]);
  }
  stream.end();
  await Promise.race([once(stream, 'finish'), failed]);
}
