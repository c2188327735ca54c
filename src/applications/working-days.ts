import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { repoPath } from '../platform/paths.ts';

/**
 * Working days on the State Council's published holiday calendar (国务院办公厅 部分节假日安排),
 * make-up working days (调休) included. Data: the `chinese-days` package (2004–2026), replaced per
 * year by operator files `data/calendar/cn-holidays-YYYY.json` (data/calendar/README.md).
 */
export interface WorkingCalendar {
  /** Years with a published arrangement. */
  years: ReadonlySet<number>;
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

const CalendarFile = Type.Object(
  {
    year: Type.Integer({ minimum: 2000, maximum: 2100 }),
    source: Type.String({ minLength: 1 }),
    effectiveFrom: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    verifiedAt: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    holidays: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    workdays: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  },
  { additionalProperties: false },
);

function packageCalendar(): { holidays: string[]; workdays: string[] } {
  const require = createRequire(import.meta.url);
  const data = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };
  return { holidays: Object.keys(data.holidays), workdays: Object.keys(data.workdays) };
}

/** Builds the calendar from the package and the operator files in `dir` (default data/calendar). */
export function loadWorkingCalendar(dir: string = repoPath('data', 'calendar')): WorkingCalendar {
  const byYear = new Map<number, { holidays: string[]; workdays: string[] }>();
  const pkg = packageCalendar();
  for (const [kind, dates] of [['holidays', pkg.holidays], ['workdays', pkg.workdays]] as const) {
    for (const d of dates) {
      const y = Number(d.slice(0, 4));
      const entry = byYear.get(y) ?? { holidays: [], workdays: [] };
      entry[kind].push(d);
      byYear.set(y, entry);
    }
  }
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => /^cn-holidays-\d{4}\.json$/.test(f));
  } catch {
    files = [];
  }
  for (const f of files.sort()) {
    const raw: unknown = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'));
    if (!Value.Check(CalendarFile, raw)) {
      const issues = [...Value.Errors(CalendarFile, raw)].slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`);
      throw new Error(`data/calendar/${f} is not valid: ${issues.join('; ')}`);
    }
    const file = raw as Static<typeof CalendarFile>;
    const stray = [...file.holidays, ...file.workdays].find((d) => Number(d.slice(0, 4)) !== file.year);
    if (stray) throw new Error(`data/calendar/${f}: ${stray} is not in ${file.year}`);
    byYear.set(file.year, { holidays: file.holidays, workdays: file.workdays });
  }
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const e of byYear.values()) {
    e.holidays.forEach((d) => holidays.add(d));
    e.workdays.forEach((d) => workdays.add(d));
  }
  return { years: new Set(byYear.keys()), holidays, workdays };
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Whether `date` is a working day; `known` false when its year has no published arrangement (weekends alone). */
export function isWorkingDay(cal: WorkingCalendar, date: string): { working: boolean; known: boolean } {
  const known = cal.years.has(Number(date.slice(0, 4)));
  if (known && cal.workdays.has(date)) return { working: true, known };
  if (known && cal.holidays.has(date)) return { working: false, known };
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return { working: dow !== 0 && dow !== 6, known };
}

/**
 * The deadline `n` working days after `start` (the day of acceptance does not count; 行政许可法
 * Art. 82: 期限以工作日计算，不含法定节假日). Provisional when any day counted lies in a year
 * without a published arrangement.
 */
export function addWorkingDays(cal: WorkingCalendar, start: string, n: number): { date: string; provisional: boolean } {
  let date = start;
  let provisional = false;
  let left = n;
  while (left > 0) {
    date = nextDay(date);
    const day = isWorkingDay(cal, date);
    if (!day.known) provisional = true;
    if (day.working) left -= 1;
  }
  return { date, provisional };
}

let shared: WorkingCalendar | null = null;
/** The calendar of this process, loaded once. */
export function workingCalendar(): WorkingCalendar {
  shared ??= loadWorkingCalendar();
  return shared;
}
