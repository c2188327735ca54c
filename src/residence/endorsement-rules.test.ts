import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addYears, daysBetween } from '../platform/calendar.ts';
import { decideEndorsement, permitStateOn, residenceYearsOn, type PermitTimeline } from './endorsement-rules.ts';

const rules = { endorsementWindowMonths: 1, endorsementGraceDays: 0 };

/** Chongqing's published example: issued 2021-01-01, endorse 2021-12-01 … 2021-12-31, suspended from 2022-01-01. */
const issued: PermitTimeline = { status: 'issued', issuedOn: '2021-01-01', endorsementAnchor: '2021-01-01', endorsedYears: 0, residenceCountedFrom: '2020-06-15' };

describe('permit state on a date (居住证暂行条例 Art. 10)', () => {
  it.each([
    ['2021-11-30', 'valid', 'not_due'],
    ['2021-12-01', 'valid', 'due'],
    ['2021-12-31', 'valid', 'due'],
    ['2022-01-01', 'suspended', 'overdue'],
  ] as const)('on %s the permit is %s, its endorsement %s', (on, status, endorsement) => {
    const s = permitStateOn(issued, on, rules);
    expect(s.status).toBe(status);
    expect(s.endorsement).toMatchObject({ status: endorsement, anniversary: '2022-01-01', windowOpensOn: '2021-12-01', lastOnTimeDay: '2021-12-31' });
    expect(s.suspendedSince).toBe(status === 'suspended' ? '2022-01-01' : null);
  });

  it('a local grace period moves the last on-time day', () => {
    expect(permitStateOn(issued, '2022-01-20', { ...rules, endorsementGraceDays: 30 }).status).toBe('valid');
  });

  it('a permit not issued or closed has no endorsement', () => {
    expect(permitStateOn({ ...issued, status: 'cancelled' }, '2021-12-10', rules)).toMatchObject({ status: 'cancelled', endorsement: { status: 'not_applicable' } });
  });
});

describe('deciding an endorsement', () => {
  it('refuses before the window, for a closed or an unissued permit', () => {
    expect(decideEndorsement(issued, '2021-11-30', rules)).toEqual({ ok: false, reason: 'not_due', windowOpensOn: '2021-12-01' });
    expect(decideEndorsement({ ...issued, status: 'cancelled' }, '2021-12-10', rules)).toEqual({ ok: false, reason: 'closed' });
    expect(decideEndorsement({ ...issued, status: 'applied', endorsementAnchor: null, issuedOn: null }, '2021-12-10', rules)).toEqual({ ok: false, reason: 'not_issued' });
  });

  it('on time: counts one more year from the same anchor, residence count unchanged', () => {
    expect(decideEndorsement(issued, '2021-12-31', rules)).toEqual({
      ok: true,
      late: false,
      anniversary: '2022-01-01',
      anchor: '2021-01-01',
      endorsedYears: 1,
      residenceCountedFrom: '2020-06-15',
      nextAnniversary: '2023-01-01',
    });
  });

  it('late: restores the permit and restarts both counts from the day of the late endorsement', () => {
    expect(decideEndorsement(issued, '2022-06-01', rules)).toEqual({
      ok: true,
      late: true,
      anniversary: '2022-01-01',
      anchor: '2022-06-01',
      endorsedYears: 0,
      residenceCountedFrom: '2022-06-01',
      nextAnniversary: '2023-06-01',
    });
  });
});

describe('residence years', () => {
  it('count from the registration while the permit is in force', () => {
    const on = { ...issued, endorsedYears: 1 };
    expect(residenceYearsOn(on, '2020-06-15', '2022-06-15', rules)).toEqual({ years: 2, continuous: true, countedFrom: '2020-06-15' });
  });

  it('stop at the lapse while an endorsement is overdue', () => {
    expect(residenceYearsOn(issued, '2020-06-15', '2022-09-01', rules)).toEqual({ years: 1, continuous: false, countedFrom: '2020-06-15' });
  });

  it('count from the registration when there is no permit', () => {
    expect(residenceYearsOn(null, '2020-06-15', '2023-06-14', rules)).toEqual({ years: 2, continuous: true, countedFrom: '2020-06-15' });
  });
});

describe('endorsed on time every year, whatever the issue date (properties)', () => {
  const issueDate = fc.integer({ min: 0, max: 365 * 24 }).map((n) => addDays('2016-01-01', n));

  it('the k-th anniversary is the issue date + k years (no drift after 29 February or month ends), the permit never lapses, and the last on-time day is the day before it', () => {
    fc.assert(
      fc.property(issueDate, fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 6 }), (issuedOn, picks) => {
        let p: PermitTimeline = { status: 'issued', issuedOn, endorsementAnchor: issuedOn, endorsedYears: 0, residenceCountedFrom: issuedOn };
        for (const [i, pick] of picks.entries()) {
          const state = permitStateOn(p, issuedOn, rules);
          const { anniversary, windowOpensOn, lastOnTimeDay } = state.endorsement;
          expect(anniversary).toBe(addYears(issuedOn, i + 1));
          expect(lastOnTimeDay).toBe(addDays(anniversary!, -1));
          expect(daysBetween(windowOpensOn!, anniversary!)).toBeGreaterThanOrEqual(28);
          expect(daysBetween(windowOpensOn!, anniversary!)).toBeLessThanOrEqual(31);
          expect(decideEndorsement(p, addDays(windowOpensOn!, -1), rules)).toMatchObject({ ok: false, reason: 'not_due' });
          expect(decideEndorsement(p, addDays(lastOnTimeDay!, 1), rules)).toMatchObject({ ok: true, late: true });
          const on = addDays(windowOpensOn!, pick % (daysBetween(windowOpensOn!, lastOnTimeDay!) + 1));
          expect(permitStateOn(p, on, rules)).toMatchObject({ status: 'valid', endorsement: { status: 'due' } });
          const d = decideEndorsement(p, on, rules);
          if (!d.ok) throw new Error(`refused on ${on}`);
          expect(d).toMatchObject({ late: false, anniversary, anchor: issuedOn, residenceCountedFrom: issuedOn });
          p = { ...p, endorsementAnchor: d.anchor, endorsedYears: d.endorsedYears, residenceCountedFrom: d.residenceCountedFrom };
          expect(permitStateOn(p, anniversary!, rules).status).toBe('valid');
          expect(residenceYearsOn(p, issuedOn, anniversary!, rules)).toEqual({ years: i + 1, continuous: true, countedFrom: issuedOn });
        }
      }),
    );
  });
});
