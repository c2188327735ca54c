import { describe, expect, it } from 'vitest';
import { loadDivisionIndex } from '../reference/index.ts';
import { composeIdNumber, sequenceFitsSex } from './generate.ts';
import { checkIdNumber } from './validate.ts';

describe('composeIdNumber', () => {
  it('rebuilds the Annex A examples', () => {
    expect(composeIdNumber('110105', '1949-12-31', 2)).toBe('11010519491231002X');
    expect(composeIdNumber('440524', 18800101, 1)).toBe('440524188001010014');
  });

  it('gives the sex by sequence parity', () => {
    const divisions = loadDivisionIndex();
    expect(checkIdNumber(composeIdNumber('110105', '2000-01-01', 7), { divisions }).sex).toBe('male');
    expect(checkIdNumber(composeIdNumber('110105', '2000-01-01', 8), { divisions }).sex).toBe('female');
    expect(sequenceFitsSex(7, 'male')).toBe(true);
    expect(sequenceFitsSex(8, 'male')).toBe(false);
    expect(sequenceFitsSex(0, 'female')).toBe(true);
  });

  it.each([
    ['11010', '2000-01-01', 1],
    ['110105', '2000-02-30', 1],
    ['110105', 20000230, 1],
    ['110105', '2000/01/01', 1],
    ['110105', '2000-01-01', 1000],
    ['110105', '2000-01-01', -1],
    ['110105', '2000-01-01', 1.5],
  ])('refuses %s %s %s', (code, date, sequence) => {
    expect(() => composeIdNumber(code, date, sequence)).toThrow(RangeError);
  });
});
