import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chinaTodayYmd, chinaYmdAt, daysInMonth, isCalendarDate, isLeapYear, isPossibleBirthDate, todayYmdOf } from './birth-date.ts';

describe('birth dates (GB 11643-1999 §5.3)', () => {
  it.each([
    [1900, false],
    [2000, true],
    [2023, false],
    [2024, true],
    [1800, false],
  ])('leap year %i: %s', (year, leap) => {
    expect(isLeapYear(year)).toBe(leap);
  });

  it('days in month match the calendar', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1800, max: 2200 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        expect(daysInMonth(year, month)).toBe(new Date(Date.UTC(year, month, 0)).getUTCDate());
      }),
    );
  });

  it.each([
    [19491231, true],
    [19000229, false],
    [20000229, true],
    [20230230, false],
    [20230431, false],
    [20231301, false],
    [20230100, false],
    [20230001, false],
  ])('calendar date %i: %s', (ymd, ok) => {
    expect(isCalendarDate(ymd)).toBe(ok);
  });

  it('a possible birth date lies between 1800-01-01 and today', () => {
    expect(isPossibleBirthDate(18000101, 20261126)).toBe(true);
    expect(isPossibleBirthDate(17991231, 20261126)).toBe(false);
    expect(isPossibleBirthDate(20261126, 20261126)).toBe(true);
    expect(isPossibleBirthDate(20261127, 20261126)).toBe(false);
  });

  it('today is the date in China (UTC+8)', () => {
    expect(chinaYmdAt(Date.parse('2026-11-26T15:59:59Z'))).toBe(20261126);
    expect(chinaYmdAt(Date.parse('2026-11-26T16:00:00Z'))).toBe(20261127);
    expect(chinaTodayYmd(Date.parse('2026-11-26T15:59:59Z'))).toBe(20261126);
    expect(chinaTodayYmd(Date.parse('2026-11-26T16:00:00Z'))).toBe(20261127);
    expect(todayYmdOf('2024-02-29')).toBe(20240229);
    expect(() => todayYmdOf('2023-02-29')).toThrow(RangeError);
  });
});
