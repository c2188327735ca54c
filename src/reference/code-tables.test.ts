import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../platform/paths.ts';

interface CodeFile {
  table: string;
  standard: string;
  source: string;
  effectiveFrom: string;
  verifiedAt: string;
  entries: { code: string; name: string; nameEn: string; abbr?: string }[];
}

const read = (table: string) => JSON.parse(readFileSync(repoPath('data', 'codes', `${table}.json`), 'utf8')) as CodeFile;

describe('national code tables (data/codes)', () => {
  it.each([
    ['sex', 'GB/T 2261.1-2003', 4, /^\d$/],
    ['ethnicity', 'GB/T 3304-1991', 58, /^\d{2}$/],
    ['relationship', 'GB/T 4761-2008', 84, /^\d{2}$/],
  ])('%s cites %s and has %i well-formed, unique entries', (table, standard, size, codePattern) => {
    const file = read(table);
    expect(file.table).toBe(table);
    expect(file.standard).toBe(standard);
    expect(file.source.length).toBeGreaterThan(40);
    expect(file.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(file.verifiedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(file.entries).toHaveLength(size);
    const codes = file.entries.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual([...codes].sort());
    for (const e of file.entries) {
      expect(e.code).toMatch(codePattern);
      expect(e.name.length).toBeGreaterThan(0);
      expect(e.nameEn.length).toBeGreaterThan(0);
    }
  });

  it('ethnicity: the 56 nationalities carry unique two-letter codes (GB 3304-91), plus 97 and 98', () => {
    const { entries } = read('ethnicity');
    const lettered = entries.filter((e) => e.abbr !== undefined);
    expect(lettered.map((e) => e.code)).toEqual(Array.from({ length: 56 }, (_, i) => String(i + 1).padStart(2, '0')));
    expect(new Set(lettered.map((e) => e.abbr)).size).toBe(56);
    for (const e of lettered) expect(e.abbr).toMatch(/^[A-Z]{2}$/);
    expect(entries.find((e) => e.code === '01')).toMatchObject({ name: '汉族', abbr: 'HA' });
    expect(entries.slice(-2).map((e) => e.code)).toEqual(['97', '98']);
  });

  it('relationship: 01 本人, 02 户主, 99 非亲属', () => {
    const names = new Map(read('relationship').entries.map((e) => [e.code, e.name]));
    expect(names.get('01')).toBe('本人');
    expect(names.get('02')).toBe('户主');
    expect(names.get('99')).toBe('非亲属');
    expect(names.has('98')).toBe(false);
  });
});
