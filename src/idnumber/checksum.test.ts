import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECK_WEIGHTS, checkCharByWeights, checkCharOf } from './checksum.ts';

describe('MOD 11-2 check character (GB 11643-1999 §5.5)', () => {
  it('weights are 2^(18−i) mod 11', () => {
    expect(CHECK_WEIGHTS).toEqual(Array.from({ length: 17 }, (_, i) => 2 ** (17 - i) % 11));
  });

  it.each([
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
  ])('Annex A: %s → %s', (body, check) => {
    expect(checkCharOf(body)).toBe(check);
    expect(checkCharByWeights(body)).toBe(check);
  });

  it('the recursive (Horner) form equals the weighted sum', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 17, maxLength: 17 }), (body) => {
        expect(checkCharOf(body)).toBe(checkCharByWeights(body));
      }),
      { numRuns: 2000 },
    );
  });
});
