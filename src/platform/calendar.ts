/**
 * Calendar arithmetic on ISO dates (`YYYY-MM-DD` strings, the shape DATE columns have here): no
 * time zones, no clock. Periods counted in years or months follow the Civil Code (民法典):
 *
 * - Art. 202: "按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日"
 *   — a period of years or months ends on the corresponding day of the final month, or on that
 *   month's last day when it has no corresponding day. So 2024-02-29 + 1 year = 2025-02-28 and
 *   2026-11-30 + 3 months = 2027-02-28.
 * - Ages: a person turns N on the corresponding day of their birth date N years later (their
 *   birthday). Someone born on 29 February has no birthday in a common year; by the same Art. 202
 *   rule the month's last day stands in for it, so they turn N on **28 February** of a common year.
 *   (The criminal-law convention that a 周岁 is reached the day *after* the birthday — 最高人民法院
 *   法释〔2006〕1号 第二条 — is not used: the ID Card Law counts ages on the application date and the
 *   project counts them from the birthday itself; see docs/idcards-residence.md.)
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function parse(date: string): Ymd {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const ymd = { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
  if (ymd.m < 1 || ymd.m > 12 || ymd.d < 1 || ymd.d > daysInMonth(ymd.y, ymd.m)) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return ymd;
}

function format({ y, m, d }: Ymd): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** A calendar date written `YYYY-MM-DD` (proleptic Gregorian). No regex, no allocation: bulk import checks three per row. */
export function isIsoDate(value: string): boolean {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  const digit = (i: number) => {
    const c = value.charCodeAt(i) - 48;
    return c >= 0 && c <= 9 ? c : NaN;
  };
  const y = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  const m = digit(5) * 10 + digit(6);
  const d = digit(8) * 10 + digit(9);
  // NaN (a non-digit) fails every comparison
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m) && y >= 0;
}

/** `date` plus `n` months (n may be negative); a missing corresponding day becomes the month's last day (Civil Code Art. 202). */
export function addMonths(date: string, n: number): string {
  const { y, m, d } = parse(date);
  const index = y * 12 + (m - 1) + n;
  const ty = Math.floor(index / 12);
  const tm = (index % 12) + 1;
  return format({ y: ty, m: tm, d: Math.min(d, daysInMonth(ty, tm)) });
}

/** `date` plus `n` years, with the same Art. 202 rule (29 Feb → 28 Feb in a common year). */
export function addYears(date: string, n: number): string {
  return addMonths(date, 12 * n);
}

export function addDays(date: string, n: number): string {
  const { y, m, d } = parse(date);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const a = parse(from);
  const b = parse(to);
  return Math.round((Date.UTC(b.y, b.m - 1, b.d) - Date.UTC(a.y, a.m - 1, a.d)) / 86_400_000);
}

/**
 * Completed years from `from` to `on`: the age of someone born on `from`, or the full years of a
 * residence counted from `from`. The count goes up on the corresponding day (`addYears(from, n)`).
 */
export function fullYearsBetween(from: string, on: string): number {
  if (on < from) throw new RangeError(`${on} is before ${from}`);
  const years = parse(on).y - parse(from).y;
  return addYears(from, years) > on ? years - 1 : years;
}

/** Age in completed years on `on` (周岁): the person turns N on their birthday; 29 Feb births on 28 Feb of a common year. */
export function ageOn(birthDate: string, on: string): number {
  return fullYearsBetween(birthDate, on);
}

/** The day the person born on `birthDate` turns `age`. */
export function birthdayOf(birthDate: string, age: number): string {
  return addYears(birthDate, age);
}

export function minDate(a: string, b: string): string {
  return a <= b ? a : b;
}

export function maxDate(a: string, b: string): string {
  return a >= b ? a : b;
}
