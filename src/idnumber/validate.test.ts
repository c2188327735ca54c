import { describe, expect, it } from 'vitest';
import { loadDivisionIndex } from '../reference/index.ts';
import { checkCharOf } from './checksum.ts';
import { isValidIdNumber } from './is-valid.ts';
import { checkIdNumber, type IdCheckResult } from './validate.ts';

const divisions = loadDivisionIndex();
const TODAY = '2026-11-26';
const TODAY_YMD = 20261126;

/** A 17-digit body with its correct check character, so only the intended fault remains. */
const withCheck = (body: string) => body + checkCharOf(body);
const check = (n: string) => checkIdNumber(n, { divisions, today: TODAY });
const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

interface Case {
  name: string;
  input: string;
  errors: string[];
  warnings?: string[];
  expect?: Partial<IdCheckResult>;
}

const cases: Case[] = [
  {
    name: 'GB 11643-1999 Annex A example, Chaoyang, female',
    input: '11010519491231002X',
    errors: [],
    expect: { birthDate: '1949-12-31', sex: 'female', addressCode: '110105', birthPlace: { province: '北京市', prefecture: null, county: '朝阳区' } },
  },
  {
    name: 'GB 11643-1999 Annex A example born 1880: valid, flagged very old',
    input: '440524188001010014',
    errors: [],
    warnings: ['ID_VERY_OLD', 'ID_ADDRESS_CODE_ABOLISHED'],
    expect: { sex: 'male', birthDate: '1880-01-01', birthPlace: { province: '广东省', prefecture: '汕头市', county: '潮阳县' } },
  },
  { name: 'lowercase x is normalized', input: '11010519491231002x', errors: [], expect: { normalized: '11010519491231002X' } },
  { name: 'surrounding whitespace is trimmed', input: '  11010519491231002X\n', errors: [], expect: { normalized: '11010519491231002X' } },
  {
    name: '110103 崇文区 (abolished 2010) with a 1985 birth',
    input: withCheck('11010319850612003'),
    errors: [],
    warnings: ['ID_ADDRESS_CODE_ABOLISHED'],
    expect: { sex: 'male', birthPlace: { province: '北京市', prefecture: null, county: '崇文区' } },
  },
  { name: '110103 崇文区 with a 2015 birth: abolished before the birth', input: withCheck('11010320150612004'), errors: ['ID_ADDRESS_CODE'] },
  {
    name: '320101 南京市市辖区 (the city\'s districts together, a code of older numbers; no row in the MCA compilation) with a 1985 birth',
    input: withCheck('32010119850615001'),
    errors: [],
    expect: { birthPlace: { province: '江苏省', prefecture: '南京市', county: '市辖区' } },
  },
  {
    name: '341401 巢湖市市辖区: valid for a 2005 birth, flagged as gone with the city (2011)',
    input: withCheck('34140120050615001'),
    errors: [],
    warnings: ['ID_ADDRESS_CODE_ABOLISHED'],
  },
  { name: '341401 巢湖市市辖区 with a 2015 birth: the city was abolished in 2011', input: withCheck('34140120150615001'), errors: ['ID_ADDRESS_CODE'] },
  { name: '142101 under 雁北地区 (a prefecture, never a city): no 市辖区 code', input: withCheck('14210119850615001'), errors: ['ID_ADDRESS_CODE'] },

  { name: '110118 密云区 (created 2015) with a 1970 birth', input: withCheck('11011819700101001'), errors: [], expect: { birthPlace: { province: '北京市', prefecture: null, county: '密云区' } } },
  {
    name: 'renamed county: 120110 reports 东郊区 for a 1985 birth',
    input: withCheck('12011019850101001'),
    errors: [],
    expect: { birthPlace: { province: '天津市', prefecture: null, county: '东郊区' } },
  },
  { name: 'renamed county: 120110 reports 东丽区 for a 1995 birth', input: withCheck('12011019950101001'), errors: [], expect: { birthPlace: { province: '天津市', prefecture: null, county: '东丽区' } } },
  { name: 'county with a prefecture: 130502 桥东区 in 1990', input: withCheck('13050219900101001'), errors: [], expect: { birthPlace: { province: '河北省', prefecture: '邢台市', county: '桥东区' } } },
  { name: 'prefecture-level city without counties: 441900 东莞', input: withCheck('44190020000101002'), errors: [], expect: { birthPlace: { province: '广东省', prefecture: null, county: '东莞市' } } },
  { name: 'prefecture with counties is not an address code: 130100', input: withCheck('13010019900101001'), errors: ['ID_ADDRESS_CODE'] },
  { name: '19000229: 1900 is not a leap year', input: withCheck('11010519000229001'), errors: ['ID_BIRTH_DATE'], expect: { birthDate: null } },
  { name: '20230230 is not a date', input: withCheck('11010520230230001'), errors: ['ID_BIRTH_DATE'] },
  { name: 'month 13', input: withCheck('11010519901301001'), errors: ['ID_BIRTH_DATE'] },
  { name: 'born tomorrow', input: withCheck('11010520261127001'), errors: ['ID_BIRTH_DATE'], expect: { birthDate: '2026-11-27' } },
  { name: 'born today', input: withCheck('11010520261126001'), errors: [] },
  { name: 'born before 1800', input: withCheck('11010517991231001'), errors: ['ID_BIRTH_DATE'] },
  { name: 'wrong check digit', input: '110105194912310021', errors: ['ID_CHECKSUM'], expect: { birthDate: '1949-12-31', sex: 'female', addressCode: '110105' } },
  { name: 'unknown address code 999999', input: withCheck('99999919900101001'), errors: ['ID_ADDRESS_CODE'], expect: { birthPlace: null } },
  { name: 'unknown address code 100000', input: withCheck('10000019900101001'), errors: ['ID_ADDRESS_CODE'] },
  { name: 'NBS development-zone code 130171', input: withCheck('13017119900101001'), errors: ['ID_ADDRESS_CODE'] },
  {
    name: 'several faults at once',
    input: '999999202302300012',
    errors: ['ID_BIRTH_DATE', 'ID_CHECKSUM', 'ID_ADDRESS_CODE'],
    expect: { birthDate: null, sex: 'male', addressCode: '999999' },
  },
  { name: 'Hong Kong residence permit 810000', input: withCheck('81000019900101001'), errors: [], warnings: ['ID_HK_MO_TW'] },
  { name: 'Taiwan residence permit 830000', input: withCheck('83000019900101002'), errors: [], warnings: ['ID_HK_MO_TW'] },
  { name: 'Foreign Permanent Resident card, issued in Beijing', input: withCheck('91184019900101001'), errors: [], warnings: ['ID_FOREIGN_PERMANENT_RESIDENT'], expect: { birthPlace: null } },
  {
    name: 'legacy 15-digit number points to the upgrade',
    input: '110105491231002',
    errors: ['ID_FORMAT'],
    expect: { birthDate: '1949-12-31', sex: 'female', addressCode: '110105' },
  },
  { name: 'too short', input: '11010519491231002', errors: ['ID_FORMAT'], expect: { birthDate: null, sex: null, addressCode: null, birthPlace: null } },
  { name: 'letter inside', input: '1101051949A231002X', errors: ['ID_FORMAT'] },
  { name: 'bad check character', input: '11010519491231002Y', errors: ['ID_FORMAT'] },
  { name: 'empty', input: '', errors: ['ID_FORMAT'] },
];

describe('checkIdNumber', () => {
  it.each(cases)('$name', ({ input, errors, warnings = [], expect: fields = {} }) => {
    const result = check(input);
    expect(codes(result.errors)).toEqual(errors);
    expect(codes(result.warnings)).toEqual(warnings);
    expect(result.valid).toBe(errors.length === 0);
    expect(result).toMatchObject(fields);
  });

  it.each(cases)('isValidIdNumber agrees: $name', ({ input, errors }) => {
    expect(isValidIdNumber(input, divisions, TODAY_YMD)).toBe(errors.length === 0);
  });

  it('returns exactly the documented JSON shape', () => {
    expect(Object.keys(check('11010519491231002X')).sort()).toEqual(
      ['addressCode', 'birthDate', 'birthPlace', 'errors', 'normalized', 'sex', 'valid', 'warnings'].sort(),
    );
  });

  it('says what the check digit should be', () => {
    expect(check('110105194912310021').errors[0]!.message).toContain('check digit is 1, expected X');
  });

  it('explains impossible and future dates', () => {
    expect(check(withCheck('11010519000229001')).errors[0]!.message).toContain('1900 is not a leap year');
    expect(check(withCheck('11010520230431001')).errors[0]!.message).toContain('April 2023 has 30 days');
    expect(check(withCheck('11010520261127001')).errors[0]!.message).toContain('after today (2026-11-26)');
  });

  it('explains address-code faults', () => {
    expect(check(withCheck('11010320150612004')).errors[0]!.message).toMatch(/110103 \(崇文区\) was abolished before 2010-12-01, but the birth date is 2015-06-12/);
    expect(check(withCheck('13017119900101001')).errors[0]!.message).toContain('development zone');
    expect(check(withCheck('13010019900101001')).errors[0]!.message).toContain('prefecture-level code of 石家庄市');
  });

  it('points a legacy number to hukou id upgrade', () => {
    expect(check('110105491231002').errors[0]!.message).toContain('hukou id upgrade 110105491231002');
  });

  it('judges the future against the China date of a Date', () => {
    const body = withCheck('11010520261127001');
    // 2026-11-26T16:30Z is already 2026-11-27 00:30 in China
    expect(checkIdNumber(body, { divisions, today: new Date('2026-11-26T16:30:00Z') }).valid).toBe(true);
    expect(checkIdNumber(body, { divisions, today: new Date('2026-11-26T15:30:00Z') }).valid).toBe(false);
  });
});
