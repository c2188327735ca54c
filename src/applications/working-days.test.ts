import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay, loadWorkingCalendar } from './working-days.ts';

const cal = loadWorkingCalendar();

describe('working days on the published calendar', () => {
  it('covers 2004–2026 from the package', () => {
    for (let y = 2004; y <= 2026; y++) expect(cal.years.has(y), String(y)).toBe(true);
    expect(cal.years.has(2027)).toBe(false);
  });

  it('knows Spring Festival 2026: Feb 15–23 off, Saturdays Feb 14 and Feb 28 worked (调休)', () => {
    for (const d of ['2026-02-15', '2026-02-16', '2026-02-20', '2026-02-23']) expect(isWorkingDay(cal, d).working, d).toBe(false);
    expect(isWorkingDay(cal, '2026-02-14')).toEqual({ working: true, known: true });
    expect(isWorkingDay(cal, '2026-02-28')).toEqual({ working: true, known: true });
    expect(isWorkingDay(cal, '2026-02-21').working).toBe(false); // a Saturday inside the holiday
  });

  it.each([
    // an ordinary week: Mon + 5 working days = next Mon
    ['2026-11-23', 5, '2026-11-30'],
    // Fri 13 Feb + 1: Sat 14 Feb is a make-up working day
    ['2026-02-13', 1, '2026-02-14'],
    // Sat 14 Feb + 1: the holiday runs to Mon 23 Feb; Tue 24 Feb is the next working day
    ['2026-02-14', 1, '2026-02-24'],
    // Tue 24 Feb + 4: Wed, Thu, Fri, then Sat 28 Feb (make-up)
    ['2026-02-24', 4, '2026-02-28'],
    // across National Day 2026 (Oct 1–7 off, Sat Oct 10 worked)
    ['2026-09-30', 1, '2026-10-08'],
    ['2026-10-09', 1, '2026-10-10'],
    // 20 working days from 2026-02-10 skip the whole Spring Festival and count both make-up Saturdays
    // (Feb 11, 12, 13, Sat 14, 24–28 incl. Sat 28, Mar 2–6, 9–13, 16)
    ['2026-02-10', 20, '2026-03-16'],
  ])('%s + %i working days = %s', (start, n, expected) => {
    expect(addWorkingDays(cal, start, n)).toEqual({ date: expected, provisional: false });
  });

  it('counts weekends alone, marked provisional, in a year without a published calendar', () => {
    expect(addWorkingDays(cal, '2026-12-30', 3)).toEqual({ date: '2027-01-04', provisional: true });
  });

  it('takes a year an operator adds as a data file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cal-'));
    writeFileSync(
      join(dir, 'cn-holidays-2027.json'),
      JSON.stringify({ year: 2027, source: 'test arrangement', effectiveFrom: '2027-01-01', verifiedAt: '2026-12-01', holidays: ['2027-01-01', '2027-01-04'], workdays: ['2027-01-09'] }),
    );
    const withFile = loadWorkingCalendar(dir);
    expect(addWorkingDays(withFile, '2026-12-30', 3)).toEqual({ date: '2027-01-06', provisional: false });
    expect(isWorkingDay(withFile, '2027-01-09')).toEqual({ working: true, known: true });
  });

  it('refuses a malformed operator file, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cal-'));
    writeFileSync(join(dir, 'cn-holidays-2028.json'), JSON.stringify({ year: 2028, holidays: ['x'] }));
    expect(() => loadWorkingCalendar(dir)).toThrow(/cn-holidays-2028\.json/);
  });
});
