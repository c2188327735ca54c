import { describe, expect, it } from 'vitest';
import {
  applicationLegalBasis,
  cardValidUntil,
  effectiveCardStatus,
  feeFor,
  firstApplicationDeadline,
  issueDueOn,
  renewalOpensOn,
  residentCardValidity,
  scopeOf,
  temporaryCardValidity,
} from './rules.ts';

const YEARS = (n: number) => n * 12;

describe('validity by age on the application date (居民身份证法 Art. 5)', () => {
  it.each([
    // 16th birthday: 2024-06-15
    ['2008-06-15', '2024-06-14', 15, YEARS(5)],
    ['2008-06-15', '2024-06-15', 16, YEARS(10)],
    ['2008-06-15', '2024-06-16', 16, YEARS(10)],
    // 26th birthday: 2024-06-15
    ['1998-06-15', '2024-06-14', 25, YEARS(10)],
    ['1998-06-15', '2024-06-15', 26, YEARS(20)],
    ['1998-06-15', '2024-06-16', 26, YEARS(20)],
    // 46th birthday: 2024-06-15
    ['1978-06-15', '2024-06-14', 45, YEARS(20)],
    ['1978-06-15', '2024-06-15', 46, null],
    ['1978-06-15', '2024-06-16', 46, null],
    // Leap-day births: the 16th birthday falls in a leap year (2024-02-29) …
    ['2008-02-29', '2024-02-28', 15, YEARS(5)],
    ['2008-02-29', '2024-02-29', 16, YEARS(10)],
    ['2008-02-29', '2024-03-01', 16, YEARS(10)],
    // … the 26th and 46th in common years, where they are reached on 28 February (Civil Code Art. 202).
    ['2000-02-29', '2026-02-27', 25, YEARS(10)],
    ['2000-02-29', '2026-02-28', 26, YEARS(20)],
    ['2000-02-29', '2026-03-01', 26, YEARS(20)],
    ['1980-02-29', '2026-02-27', 45, YEARS(20)],
    ['1980-02-29', '2026-02-28', 46, null],
    ['1980-02-29', '2026-03-01', 46, null],
  ])('born %s, applying %s: age %i, validity %s months', (birthDate, appliedOn, age, months) => {
    expect(residentCardValidity(birthDate, appliedOn)).toMatchObject({ age, months });
  });

  it('cites Art. 5 as the source of the band', () => {
    expect(residentCardValidity('2008-06-15', '2024-06-15').source).toContain('第五条');
  });

  it('a temporary card is valid 3 months whatever the age (Order 78 Art. 7)', () => {
    expect(temporaryCardValidity('1950-01-01', '2026-11-30')).toMatchObject({ age: 76, months: 3 });
    expect(cardValidUntil('2026-11-30', 3)).toBe('2027-02-28');
  });

  it('a card issued on 29 February runs to 28 February in a common year; a long-term card has no end', () => {
    expect(cardValidUntil('2024-02-29', YEARS(10))).toBe('2034-02-28');
    expect(cardValidUntil('2024-06-15', null)).toBeNull();
  });
});

describe('first application within 3 months of turning 16 (Art. 7)', () => {
  it.each([
    ['2008-06-15', '2024-06-14', '2024-09-15', false],
    ['2008-06-15', '2024-09-15', '2024-09-15', false],
    ['2008-06-15', '2024-09-16', '2024-09-15', true],
    ['2008-11-30', '2025-02-28', '2025-02-28', false],
    ['2008-11-30', '2025-03-01', '2025-02-28', true],
  ])('born %s, applying %s: due by %s, late %s', (birthDate, appliedOn, dueBy, late) => {
    expect(firstApplicationDeadline(birthDate, appliedOn)).toEqual({ dueBy, late });
  });
});

describe('renewal window and issue deadlines', () => {
  it('renewal for expiry opens 3 months before the last valid day; never for long-term cards', () => {
    expect(renewalOpensOn('2027-05-31', '2026-01-01')).toBe('2027-02-28');
    expect(renewalOpensOn(null, '2026-01-01')).toBeNull();
  });

  it.each([
    ['first', false, '2026-03-02'],
    ['renewal', true, '2026-04-01'],
    ['temporary', true, '2026-01-04'],
  ] as const)('%s, remote %s, applied 2026-01-01: due %s (Art. 12; Order 78 Art. 12)', (kind, remote, due) => {
    expect(issueDueOn(kind, '2026-01-01', remote)).toBe(due);
  });
});

describe('fees (发改价格〔2003〕2322号)', () => {
  it.each([
    ['first', null, null, 20, 20],
    ['renewal', 'expiry', null, 20, 20],
    ['renewal', 'name_change', null, 20, 20],
    ['renewal', 'damage', null, 40, 40],
    ['reissue', 'loss', null, 40, 40],
    ['temporary', null, null, 10, 10],
    ['first', null, 'dibao', 20, 0],
    ['renewal', 'expiry', 'rural_hardship', 20, 0],
    ['renewal', 'damage', 'dibao', 40, 0],
  ] as const)('%s (%s) waiver %s: standard ¥%i, due ¥%i', (kind, reason, waiver, standard, due) => {
    expect(feeFor(kind, reason, waiver, '2026-01-01')).toMatchObject({ ok: true, standardYuan: standard, dueYuan: due, waiver });
  });

  it('refuses a waiver on a reissue or a temporary card', () => {
    expect(feeFor('reissue', 'loss', 'dibao', '2026-01-01')).toMatchObject({ ok: false, category: 'reissue' });
    expect(feeFor('temporary', null, 'rural_hardship', '2026-01-01')).toMatchObject({ ok: false, category: 'temporary' });
  });
});

describe('scope of an application handled away from the hukou place (hukou-domain §8)', () => {
  const guangzhou = { cityCode: '440100', provinceCode: '440000' };
  it.each([
    [guangzhou, 'local'],
    [{ cityCode: '440300', provinceCode: '440000' }, 'intraprovincial_cross_prefecture'],
    [{ cityCode: '110100', provinceCode: '110000' }, 'interprovincial'],
  ] as const)('accepted in %o for a Guangzhou hukou: %s', (accepting, scope) => {
    expect(scopeOf(accepting, guangzhou)).toBe(scope);
  });

  it('records the rule that lets the application be handled elsewhere, and the permit when it is one', () => {
    expect(applicationLegalBasis('renewal', 'local', false)).toBe('居民身份证法 第十一条');
    expect(applicationLegalBasis('reissue', 'interprovincial', true)).toContain('居住证暂行条例 第十三条');
    expect(applicationLegalBasis('first', 'intraprovincial_cross_prefecture', false)).toContain('跨省通办');
  });
});

describe('card status on a date', () => {
  const card = { kind: 'resident' as const, status: 'valid' as const, idNumber: '11010520080615001X', validUntil: '2034-06-15' };
  const person = { status: 'active', idNumber: card.idNumber };
  it.each([
    [card, person, '2034-06-15', 'valid'],
    [card, person, '2034-06-16', 'expired'],
    [{ ...card, validUntil: null }, person, '2090-01-01', 'valid'],
    [{ ...card, status: 'reported_lost' as const }, person, '2030-01-01', 'reported_lost'],
    [card, { ...person, status: 'deceased' }, '2030-01-01', 'cancelled'],
    [card, { ...person, idNumber: '110105200806150028' }, '2030-01-01', 'cancelled'],
  ])('%o of %o on %s: %s', (c, p, on, status) => {
    expect(effectiveCardStatus(c, p, on)).toBe(status);
  });
});
