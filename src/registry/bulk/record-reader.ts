import { createReadStream } from 'node:fs';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

export interface FileRecord {
  /** The record's text (UTF-8 decoded, without its line ending). */
  text: string;
  /** Byte offset just after the record's line ending: where reading resumes after this record. */
  end: number;
  /** Longer than MAX_RECORD_BYTES (an unbalanced quote, or not a record file): its text is dropped. */
  tooLong?: boolean;
}

/** No register row comes near this; it bounds memory whatever the file holds. */
export const MAX_RECORD_BYTES = 1 << 20;

/**
 * Reads a file record by record from byte offset `start` up to `end` (exclusive; default: its end),
 * with exact byte offsets, never holding more than one read chunk plus one record in memory. For CSV
 * a line break inside double quotes belongs to the field (RFC 4180), so records are split on line
 * feeds outside quotes; '"', ',' and LF are ASCII and never occur inside a UTF-8 multi-byte sequence,
 * so scanning bytes is safe.
 */
export async function* readRecords(path: string, opts: { start: number; end?: number | undefined; quoted: boolean; chunkBytes?: number }): AsyncGenerator<FileRecord> {
  if (opts.end !== undefined && opts.end <= opts.start) return;
  let chunkStart = opts.start;
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let inQuotes = false;
  let overflow = false;
  // the byte before the chunk (reading starts at the beginning of a record), and where the last quoted field closed
  let previous = LF;
  let closedAt = -1;
  const stream = createReadStream(path, {
    start: opts.start, end: opts.end === undefined ? undefined : opts.end - 1, highWaterMark: opts.chunkBytes ?? 1 << 18,
  });
  for await (const data of stream as AsyncIterable<Buffer>) {
    let from = 0;
    let pos = 0;
    // next line feed and quote at or after pos (-1: none in this chunk), searched again only once passed
    let lf = data.indexOf(LF);
    let quote = opts.quoted ? data.indexOf(QUOTE) : -1;
    while (pos < data.length) {
      if (lf !== -1 && lf < pos) lf = data.indexOf(LF, pos);
      if (quote !== -1 && quote < pos) quote = data.indexOf(QUOTE, pos);
      if (quote !== -1 && (lf === -1 || quote < lf)) {
        // RFC 4180: a quote opens a quoted field only at the start of a field, or is the second of an
        // escaped pair ("") right after the quote that closed; elsewhere it is a character of an
        // unquoted field (parseCsvRecord keeps it), and must not make the lines after it one record
        const before = quote > 0 ? data[quote - 1] : previous;
        if (inQuotes) {
          inQuotes = false;
          closedAt = chunkStart + quote;
        } else if (before === COMMA || before === LF || closedAt === chunkStart + quote - 1) {
          inQuotes = true;
        }
        pos = quote + 1;
        continue;
      }
      if (lf === -1) break;
      if (inQuotes) {
        pos = lf + 1;
        continue;
      }
      const piece = data.subarray(from, lf);
      if (overflow || carryBytes + piece.length > MAX_RECORD_BYTES) {
        yield { text: '', end: chunkStart + lf + 1, tooLong: true };
      } else {
        yield { text: decode(carry.length > 0 ? Buffer.concat([...carry, piece]) : piece), end: chunkStart + lf + 1 };
      }
      carry = [];
      carryBytes = 0;
      overflow = false;
      from = pos = lf + 1;
    }
    if (from < data.length && !overflow) {
      carry.push(Buffer.from(data.subarray(from)));
      carryBytes += data.length - from;
      if (carryBytes > MAX_RECORD_BYTES) {
        // give up on this record: drop what was read and let the next line feed end it
        overflow = true;
        inQuotes = false;
        carry = [];
        carryBytes = 0;
      }
    }
    if (data.length > 0) previous = data[data.length - 1]!;
    chunkStart += data.length;
  }
  if (overflow) yield { text: '', end: chunkStart, tooLong: true };
  else if (carryBytes > 0) yield { text: decode(Buffer.concat(carry)), end: chunkStart };
}

function decode(bytes: Buffer): string {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
  return bytes.toString('utf8', 0, end);
}

/** Drops a UTF-8 byte-order mark some spreadsheet programs put before the first header cell. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
