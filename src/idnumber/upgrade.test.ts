import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDivisionIndex } from '../reference/index.ts';
import { arbIdNumber } from './arbitrary.ts';
import { upgradeIdNumber15 } from './upgrade.ts';

describe('upgradeIdNumber15', () => {
  it.each([
    ['110105491231002', '11010519491231002X'],
    [' 440524800101001 ', '440524198001010013'],
  ])('%s → %s', (legacy, id18) => {
    expect(upgradeIdNumber15(legacy)).toEqual({ ok: true, id18 });
  });

  it.each([
    ['11010549123100', 'ID_FORMAT'],
    ['11010549123100A', 'ID_FORMAT'],
    ['11010519491231002X', 'ID_FORMAT'],
    ['110105000229001', 'ID_BIRTH_DATE'],
    ['110105491301001', 'ID_BIRTH_DATE'],
    ['110105491231996', 'ID_UPGRADE_REVIEW'],
    ['110105491231999', 'ID_UPGRADE_REVIEW'],
  ])('refuses %s with %s', (legacy, code) => {
    const result = upgradeIdNumber15(legacy);
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) expect(result.message.length).toBeGreaterThan(20);
  });

  it('round-trips every 18-digit number of a 1900s birth with sequence below 996', () => {
    const born1900s = arbIdNumber(loadDivisionIndex(), { bornFrom: 1900_01_01, bornUntil: 1999_12_31, maxSequence: 995 });
    fc.assert(
      fc.property(born1900s, (id18) => {
        const legacy = id18.slice(0, 6) + id18.slice(8, 17);
        expect(upgradeIdNumber15(legacy)).toEqual({ ok: true, id18 });
      }),
      { numRuns: 1000 },
    );
  });
});
