import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, addYears, ageOn, birthdayOf, daysBetween, fullYearsBetween, isIsoDate } from './calendar.ts';

describe('calendar: periods by year and month (Civil Code Art. 202)', () => {
  it.each([
    ['2024-02-29', 1, '2025-02-28'],
    ['2024-02-29', 4, '2028-02-29'],
    ['2023-03-15', 10, '2033-03-15'],
    ['1980-02-29', 46, '2026-02-28'],
  ])('%s + %i years = %s', (from, n, to) => {
    expect(addYears(from, n)).toBe(to);
  });

  it.each([
    ['2026-11-30', 3, '2027-02-28'],
    ['2027-11-30', 3, '2028-02-29'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-01-15', -1, '2025-12-15'],
  ])('%s + %i months = %s', (from, n, to) => {
    expect(addMonths(from, n)).toBe(to);
  });

  it('adds days across month and year ends and counts days between dates', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2026-01-01', '2026-03-02')).toBe(60);
  });

  it('refuses strings that are not calendar dates', () => {
    expect(() => addDays('2026-02-29', 1)).toThrow(RangeError);
    expect(() => addYears('26-01-01', 1)).toThrow(RangeError);
  });
});

describe('calendar: ages (a person turns N on their birthday)', () => {
  it.each([
    ['2008-06-15', '2024-06-14', 15],
    ['2008-06-15', '2024-06-15', 16],
    ['2008-06-15', '2024-06-16', 16],
    // Born 29 Feb: in a common year they turn N on 28 Feb (Art. 202: the month's last day stands in).
    ['2000-02-29', '2026-02-27', 25],
    ['2000-02-29', '2026-02-28', 26],
    ['2000-02-29', '2026-03-01', 26],
    ['2008-02-29', '2024-02-28', 15],
    ['2008-02-29', '2024-02-29', 16],
  ])('born %s, on %s: %i', (birth, on, age) => {
    expect(ageOn(birth, on)).toBe(age);
  });

  it('gives the birthday on which an age is reached', () => {
    expect(birthdayOf('1980-02-29', 46)).toBe('2026-02-28');
    expect(birthdayOf('1980-02-29', 44)).toBe('2024-02-29');
  });

  it('counts full years of a period the same way and refuses a date before the start', () => {
    expect(fullYearsBetween('2020-01-10', '2021-01-09')).toBe(0);
    expect(fullYearsBetween('2020-01-10', '2021-01-10')).toBe(1);
    expect(() => fullYearsBetween('2020-01-10', '2019-01-10')).toThrow(RangeError);
  });
});

describe('isIsoDate', () => {
  it('accepts calendar dates and refuses everything else', () => {
    for (const ok of ['2024-02-29', '2000-02-29', '1949-10-01', '2023-12-31', '0001-01-01']) expect(isIsoDate(ok)).toBe(true);
    for (const bad of ['2023-02-29', '1900-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '2024-01-00', '2024-1-01', '2024/01/01', '20240101', '2024-01-01 ', '２０２４-01-01', 'abcd-ef-gh', '']) {
      expect(isIsoDate(bad)).toBe(false);
    }
  });

  it('agrees with the JavaScript Date round trip on any ten-character string of digits and dashes', () => {
    const viaDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 39 }), (y, m, d) => {
        const s = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        expect(isIsoDate(s)).toBe(viaDate(s));
      }),
      { numRuns: 5000 },
    );
  });
});
