import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeUnsafeText, hasUnsafeText, unsafeTextAt } from '../text.ts';
import { boundedIntegers, INT4, isSaneDate, isSaneDateTime } from './validation.ts';

describe('text PostgreSQL can store', () => {
  it.each([
    ['a\u0000b', true],
    ['\ud800', true],
    ['x\udc00', true],
    ['\udc00\ud800', true],
    ['𠀀', false],
    ['张晓明', false],
    ['', false],
  ])('%j unsafe: %s', (s, unsafe) => expect(hasUnsafeText(s)).toBe(unsafe));

  it('escaping leaves no unsafe text and changes safe text not at all (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), (any, safe) => {
        expect(hasUnsafeText(escapeUnsafeText(any))).toBe(false);
        expect(escapeUnsafeText(safe)).toBe(safe);
      }),
      { seed: 11, numRuns: 500 },
    );
    expect(escapeUnsafeText('a\u0000\ud800')).toBe('a\\u0000\\ud800');
  });

  it('finds unsafe text in nested values and keys, as a JSON pointer', () => {
    expect(unsafeTextAt({ a: [1, { b: 'ok' }, { c: 'x\u0000' }] })).toBe('/a/2/c');
    expect(unsafeTextAt({ ['k\u0000']: 1 })).toBe('/k\u0000');
    expect(unsafeTextAt({ a: ['fine', 2, null, true] })).toBeNull();
  });
});

describe('dates in a sane range', () => {
  it.each([
    ['1800-01-01', true],
    ['2200-12-31', true],
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['0000-01-01', false],
    ['1799-12-31', false],
    ['2201-01-01', false],
    ['2024-13-01', false],
    ['99999-01-01', false],
  ])('%s: %s', (d, ok) => expect(isSaneDate(d)).toBe(ok));

  it('date-times too', () => {
    expect(isSaneDateTime('2024-06-15T04:00:00Z')).toBe(true);
    expect(isSaneDateTime('2024-06-15T04:00:00.123+08:00')).toBe(true);
    expect(isSaneDateTime('0000-06-15T04:00:00Z')).toBe(false);
    expect(isSaneDateTime('2024-06-15T25:00:00Z')).toBe(false);
  });
});

describe('integer bounds', () => {
  it('gives unbounded integers the int4 range, keeps declared bounds, and copies rather than mutates', () => {
    const schema = { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer', minimum: 1, maximum: 9 }, c: { anyOf: [{ type: 'integer' }, { type: 'null' }] } } };
    const bounded = boundedIntegers(schema) as typeof schema & { properties: Record<string, Record<string, unknown>> };
    expect(bounded.properties.a).toEqual({ type: 'integer', minimum: INT4.min, maximum: INT4.max });
    expect(bounded.properties.b).toEqual({ type: 'integer', minimum: 1, maximum: 9 });
    expect((bounded.properties.c!.anyOf as unknown[])[0]).toEqual({ type: 'integer', minimum: INT4.min, maximum: INT4.max });
    expect(schema.properties.a).toEqual({ type: 'integer' });
  });
});
