import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDivisionIndex } from '../reference/index.ts';
import { arbIdNumber } from './arbitrary.ts';
import { chinaTodayYmd } from './birth-date.ts';
import { isValidIdNumber } from './is-valid.ts';
import { checkIdNumber } from './validate.ts';

const divisions = loadDivisionIndex();
const CHARS = '0123456789X';

describe('isValidIdNumber and checkIdNumber (properties)', () => {
  it('accept every generated valid number', () => {
    fc.assert(
      fc.property(arbIdNumber(divisions), (id) => {
        const result = checkIdNumber(id, { divisions });
        expect(result.errors).toEqual([]);
        expect(isValidIdNumber(id, divisions)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('reject any single-character substitution (MOD 11-2 catches every one)', () => {
    const mutation = fc.record({
      id: arbIdNumber(divisions),
      position: fc.integer({ min: 0, max: 17 }),
      replacementIndex: fc.integer({ min: 0, max: CHARS.length - 2 }),
    });
    fc.assert(
      fc.property(mutation, ({ id, position, replacementIndex }) => {
        const others = CHARS.replace(id.charAt(position), '');
        const mutated = id.slice(0, position) + others.charAt(replacementIndex) + id.slice(position + 1);
        expect(mutated).not.toBe(id);
        expect(checkIdNumber(mutated, { divisions }).valid).toBe(false);
        expect(isValidIdNumber(mutated, divisions)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('agree on arbitrary strings', () => {
    const today = chinaTodayYmd();
    const nearId = fc.oneof(
      arbIdNumber(divisions),
      fc.string({ unit: fc.constantFrom(...'0123456789Xx -'.split('')), minLength: 14, maxLength: 20 }),
      arbIdNumber(divisions).map((id) => `${id.slice(0, 6)}${id.slice(6, 10)}0229${id.slice(14)}`),
    );
    fc.assert(
      fc.property(nearId, (s) => {
        expect(isValidIdNumber(s, divisions, today)).toBe(checkIdNumber(s, { divisions }).valid);
      }),
      { numRuns: 3000 },
    );
  });
});
