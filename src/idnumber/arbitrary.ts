/**
 * fast-check arbitraries of valid resident ID numbers, for property tests here and in other modules.
 * Test-only: imports fast-check (a devDependency), so it is deliberately not exported from index.ts.
 */
import fc from 'fast-check';
import type { DivisionIndex } from '../reference/index.ts';
import { chinaTodayYmd, EARLIEST_BIRTH } from './birth-date.ts';
import { composeIdNumber } from './generate.ts';

const DAY_MS = 86_400_000;

function dayNumberOf(ymd: number): number {
  return Date.UTC((ymd / 10_000) | 0, (((ymd / 100) | 0) % 100) - 1, ymd % 100) / DAY_MS;
}

function ymdOfDayNumber(day: number): number {
  const d = new Date(day * DAY_MS);
  return d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

export interface ArbIdNumberOptions {
  /** Earliest birth date, yyyymmdd (default 1800-01-01). */
  bornFrom?: number;
  /** Latest birth date, yyyymmdd (default today in China). */
  bornUntil?: number;
  /** Highest sequence code (default 999). */
  maxSequence?: number;
}

/**
 * Valid 18-character numbers: an address code of `divisions` not abolished before the birth date,
 * a real birth date in range, any sequence code.
 */
export function arbIdNumber(divisions: DivisionIndex, options: ArbIdNumberOptions = {}): fc.Arbitrary<string> {
  const firstDay = dayNumberOf(options.bornFrom ?? EARLIEST_BIRTH);
  const lastDay = dayNumberOf(options.bornUntil ?? chinaTodayYmd());
  const codes = [...divisions.addressCodes()]
    .map(({ code, validUntil }) => ({ code, lastBirthDay: Math.min(lastDay, dayNumberOf(validUntil) - 1) }))
    .filter((c) => c.lastBirthDay >= firstDay);
  if (codes.length === 0) throw new RangeError('no address code was in force in the requested birth-date range');
  return fc
    .constantFrom(...codes)
    .chain(({ code, lastBirthDay }) =>
      fc.tuple(fc.constant(code), fc.integer({ min: firstDay, max: lastBirthDay }), fc.integer({ min: 0, max: options.maxSequence ?? 999 })),
    )
    .map(([code, day, sequence]) => composeIdNumber(code, ymdOfDayNumber(day), sequence));
}
