/**
 * Birth-date code of an ID number: YYYYMMDD per GB/T 7408 without separators (GB 11643-1999 §5.3).
 * Dates are yyyymmdd integers (19491231); no Date objects on the hot path.
 */

/** Nobody alive was born before this; the standard's own example is 1880 (Annex A). */
export const EARLIEST_BIRTH = 1800_01_01;
/** Born before this: possible, but worth a second look. */
export const VERY_OLD_BEFORE = 1900_01_01;

const DAY_MS = 86_400_000;
/** China Standard Time, UTC+8, no daylight saving since 1991. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Gregorian rule: every 4th year, except centuries not divisible by 400 (1900 is not leap). */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Days in a month without a lookup table: 31 for Jan, Mar, May, Jul, Aug, Oct, Dec; 30 for the
 * other months but February. (m + (m >> 3)) & 1 is 1 exactly for the 31-day months.
 */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return 30 + ((month + (month >> 3)) & 1);
}

export function yearOf(ymd: number): number {
  return (ymd / 10_000) | 0;
}

export function monthOf(ymd: number): number {
  return ((ymd / 100) | 0) % 100;
}

export function dayOf(ymd: number): number {
  return ymd % 100;
}

/** True for a real calendar date (any year ≥ 1). */
export function isCalendarDate(ymd: number): boolean {
  const month = monthOf(ymd);
  const day = dayOf(ymd);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(yearOf(ymd), month);
}

/** A birth date the register can hold: a calendar date from 1800 up to and including today. */
export function isPossibleBirthDate(ymd: number, todayYmd: number): boolean {
  return ymd >= EARLIEST_BIRTH && ymd <= todayYmd && isCalendarDate(ymd);
}

/** YYYY-MM-DD of a yyyymmdd integer. */
export function isoOfYmd(ymd: number): string {
  const s = String(ymd).padStart(8, '0');
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/** yyyymmdd of 'YYYY-MM-DD' (or 'YYYYMMDD'); NaN when it is neither shape. */
export function ymdOfIso(date: string): number {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(date);
  return m ? Number(m[1]) * 10_000 + Number(m[2]) * 100 + Number(m[3]) : Number.NaN;
}

/** The calendar date in China (UTC+8) at `epochMs`, as yyyymmdd. */
export function chinaYmdAt(epochMs: number): number {
  const d = new Date(epochMs + CHINA_OFFSET_MS);
  return d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

let cachedToday = 0;
let cachedUntilMs = 0;

/** Today in China as yyyymmdd, recomputed only when a China midnight has passed. */
export function chinaTodayYmd(nowMs: number = Date.now()): number {
  if (nowMs >= cachedUntilMs || nowMs < cachedUntilMs - DAY_MS) {
    cachedToday = chinaYmdAt(nowMs);
    cachedUntilMs = (Math.floor((nowMs + CHINA_OFFSET_MS) / DAY_MS) + 1) * DAY_MS - CHINA_OFFSET_MS;
  }
  return cachedToday;
}

/** Today as yyyymmdd from the caller's notion of today: a Date (its China date) or 'YYYY-MM-DD'. */
export function todayYmdOf(today: Date | string | undefined): number {
  if (today === undefined) return chinaTodayYmd();
  if (typeof today === 'string') {
    const ymd = ymdOfIso(today);
    if (!isCalendarDate(ymd)) throw new RangeError(`today must be a date YYYY-MM-DD, got ${JSON.stringify(today)}`);
    return ymd;
  }
  return chinaYmdAt(today.getTime());
}
