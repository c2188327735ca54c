/**
 * The sequence codes (GB 11643-1999 §5.3–5.4, 顺序码) a bulk load hands out, per (address code,
 * birth date, sex): odd for men from 001, even for women from 002, the same ranges id_allocation and
 * births use. Kept in memory for the whole load only: later births find the numbers it handed out in
 * person_id_number (allocateIdNumber jumps past them), so no counters are written.
 *
 * Keys are numbers (address × 10⁹ + yyyymmdd × 10 + sex digit < 2⁵³): a million string keys would
 * cost several times the memory.
 */
export const SEQUENCE_RANGE = { '1': { first: 1, last: 999 }, '2': { first: 2, last: 998 } } as const;

export type SexDigit = '1' | '2';

export function sequenceKey(addressCode: number, birthYmd: number, sex: SexDigit): number {
  return addressCode * 1_000_000_000 + birthYmd * 10 + (sex === '1' ? 1 : 2);
}

export function decodeSequenceKey(key: number): { addressCode: string; birthDate: string; sex: SexDigit } {
  const addressCode = String(Math.floor(key / 1_000_000_000)).padStart(6, '0');
  const ymd = String(Math.floor(key / 10) % 100_000_000).padStart(8, '0');
  return { addressCode, birthDate: `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`, sex: key % 10 === 1 ? '1' : '2' };
}

export class SequenceBook {
  /** key → last sequence handed out (0: none yet). */
  private readonly last = new Map<number, number>();

  has(key: number): boolean {
    return this.last.has(key);
  }

  /** Records what the register already handed out for `key` (from id_allocation). */
  seen(key: number, lastSeq: number): void {
    const current = this.last.get(key) ?? 0;
    if (lastSeq > current) this.last.set(key, lastSeq);
    else if (!this.last.has(key)) this.last.set(key, 0);
  }

  /** The next free sequence for `key`, or null when the day's codes for that sex are used up. */
  take(key: number): number | null {
    const sex: SexDigit = key % 10 === 1 ? '1' : '2';
    const { first, last } = SEQUENCE_RANGE[sex];
    const prev = this.last.get(key) ?? 0;
    const next = prev === 0 ? first : prev + 2;
    if (next > last) return null;
    this.last.set(key, next);
    return next;
  }

  get size(): number {
    return this.last.size;
  }

  /** Every key with a sequence handed out, for id_allocation. */
  *entries(): Iterable<[number, number]> {
    for (const [key, seq] of this.last) if (seq > 0) yield [key, seq];
  }
}
