import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.ts';
import { areaContains, areaWithin, authorityArea, jurisdictionOf } from './jurisdiction.ts';
import { lockoutDurationMs } from './lockout.ts';
import { TokenBuckets } from './rate-limit.ts';

const officer = (authorityId: string, role: Actor['role'] = 'registration_officer'): Actor => ({ id: 'user:1', role, authorityId, accountId: 1 });

describe('authorityArea', () => {
  it.each([
    ['mps', { kind: 'nation' }],
    ['prov-110000', { kind: 'province', countyPrefix: '11' }],
    ['pref-110100', { kind: 'prefecture', countyPrefix: '1101' }],
    ['county-110105', { kind: 'county', countyCode: '110105' }],
    ['station-110105001', { kind: 'township', countyCode: '110105', townshipCode: '110105001' }],
    ['station-11010500', null],
    ['county-1101', null],
    ['nonsense', null],
  ])('%s', (id, area) => {
    expect(authorityArea(id)).toEqual(area);
  });
});

describe('jurisdictionOf', () => {
  it('officers see their authority area; others by role', () => {
    expect(jurisdictionOf(officer('station-110105001', 'counter_officer'))).toEqual({ kind: 'area', area: { kind: 'township', countyCode: '110105', townshipCode: '110105001' } });
    expect(jurisdictionOf(officer('pref-110100', 'supervisor'))).toEqual({ kind: 'area', area: { kind: 'prefecture', countyPrefix: '1101' } });
    expect(jurisdictionOf(officer('prov-110000', 'statistician'))).toEqual({ kind: 'none' });
    expect(jurisdictionOf(officer('mps', 'administrator'))).toEqual({ kind: 'none' });
    expect(jurisdictionOf(officer('mps', 'department_client'))).toEqual({ kind: 'none' });
    expect(jurisdictionOf({ id: 'user:9', role: 'citizen', authorityId: 'mps', accountId: 9, personId: 42 })).toEqual({ kind: 'self', personId: 42 });
    expect(jurisdictionOf({ id: 'user:9', role: 'citizen', authorityId: 'mps', accountId: 9 })).toEqual({ kind: 'self', personId: null });
    expect(jurisdictionOf({ id: 'cli:root', role: 'operator', authorityId: 'mps' })).toEqual({ kind: 'area', area: { kind: 'nation' } });
    expect(jurisdictionOf(officer('garbage'))).toEqual({ kind: 'none' });
  });
});

const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
const township = fc.tuple(digits(6), digits(3)).map(([c, t]) => ({ countyCode: c, townshipCode: c + t }));
const authorityId = fc.oneof(
  fc.constant('mps'),
  digits(2).map((p) => `prov-${p}0000`),
  digits(4).map((p) => `pref-${p}00`),
  digits(6).map((c) => `county-${c}`),
  digits(9).map((t) => `station-${t}`),
);

describe('areas (properties)', () => {
  it('a place is in an area exactly when the area is the nation or the place matches its level', () => {
    fc.assert(
      fc.property(authorityId, township, (id, place) => {
        const area = authorityArea(id)!;
        const expected =
          id === 'mps' ||
          (id.startsWith('prov-') && place.countyCode.slice(0, 2) === id.slice(5, 7)) ||
          (id.startsWith('pref-') && place.countyCode.slice(0, 4) === id.slice(5, 9)) ||
          (id.startsWith('county-') && place.countyCode === id.slice(7)) ||
          (id.startsWith('station-') && place.townshipCode === id.slice(8));
        expect(areaContains(area, place)).toBe(expected);
      }),
    );
  });

  it('areaWithin agrees with containment: every place inside the inner area is inside the outer one', () => {
    fc.assert(
      fc.property(authorityId, authorityId, township, (a, b, place) => {
        const inner = authorityArea(a)!;
        const outer = authorityArea(b)!;
        if (areaWithin(inner, outer) && areaContains(inner, place)) expect(areaContains(outer, place)).toBe(true);
      }),
    );
    expect(areaWithin(authorityArea('station-110105001')!, authorityArea('county-110105')!)).toBe(true);
    expect(areaWithin(authorityArea('county-110105')!, authorityArea('pref-110100')!)).toBe(true);
    expect(areaWithin(authorityArea('pref-110100')!, authorityArea('prov-110000')!)).toBe(true);
    expect(areaWithin(authorityArea('county-110106')!, authorityArea('station-110105001')!)).toBe(false);
    expect(areaWithin(authorityArea('mps')!, authorityArea('prov-110000')!)).toBe(false);
    expect(areaWithin(authorityArea('prov-120000')!, authorityArea('pref-110100')!)).toBe(false);
  });
});

describe('lockout backoff', () => {
  it('is free for 5 failures, then doubles from one minute, capped at a day', () => {
    expect([1, 2, 3, 4].map(lockoutDurationMs)).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8].map(lockoutDurationMs)).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(lockoutDurationMs(40)).toBe(24 * 3600_000);
  });
});

describe('TokenBuckets', () => {
  it('allows the burst, then one per refill interval, per key', () => {
    const b = new TokenBuckets({ perMinute: 60, burst: 3 });
    expect([b.take('a', 0), b.take('a', 0), b.take('a', 0)]).toEqual([0, 0, 0]);
    expect(b.take('a', 0)).toBe(1);
    expect(b.take('b', 0)).toBe(0);
    expect(b.take('a', 1000)).toBe(0);
    expect(b.take('a', 1000)).toBeGreaterThan(0);
  });

  it('forgets the least recently used keys beyond its capacity', () => {
    const b = new TokenBuckets({ perMinute: 1, burst: 1 }, 2);
    b.take('a', 0);
    b.take('b', 0);
    b.take('c', 0);
    expect(b.take('a', 0)).toBe(0); // 'a' was evicted, so it starts with a full bucket
  });
});
