import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../platform/paths.ts';
import { DivisionIndex, loadDivisionIndex, OPEN_END } from './division-history.ts';

const FIXTURE = [
  'code\tlevel\tparent_code\tname\tvalid_from\tvalid_to\tsource',
  '# a comment line is ignored',
  '120000\tprovince\t\t天津市\t1980-12-01\t\tmca',
  '120110\tcounty\t120000\t东郊区\t1980-12-01\t1992-12-01\tmca',
  '120110\tcounty\t120000\t东丽区\t1992-12-01\t\tmca',
  '120225\tcounty\t120000\t蓟县\t1980-12-01\t2016-12-01\tmca',
  '130000\tprovince\t\t河北省\t1980-12-01\t\tmca',
  '130500\tprefecture\t130000\t邢台市\t1983-01-01\t\tmca',
  '130505\tcounty\t130500\t任泽区\t2019-05-01\t\tnbs2023',
  '440000\tprovince\t\t广东省\t1980-12-01\t\tmca',
  '441900\tprefecture\t440000\t东莞市\t1988-01-01\t\tmca',
].join('\n');

const TOWNSHIPS = ['code\tcounty_code\tname', '130505001\t130505\t某街道'].join('\n');

function fixture(): { index: DivisionIndex; townshipReads: () => number } {
  let reads = 0;
  const index = DivisionIndex.fromTsv(FIXTURE, () => {
    reads++;
    return TOWNSHIPS;
  });
  return { index, townshipReads: () => reads };
}

describe('DivisionIndex (fixture)', () => {
  const { index, townshipReads } = fixture();

  it('groups the periods of a code', () => {
    expect(index.get('120110')).toEqual({
      code: '120110',
      level: 'county',
      parentCode: '120000',
      periods: [
        { name: '东郊区', validFrom: '1980-12-01', validTo: '1992-12-01', source: 'mca' },
        { name: '东丽区', validFrom: '1992-12-01', validTo: null, source: 'mca' },
      ],
    });
    expect(index.get('999999')).toBeUndefined();
  });

  it('treats valid_to as exclusive', () => {
    expect(index.existedOnOrAfter('120225', 20161130)).toBe(true);
    expect(index.existedOnOrAfter('120225', 20161201)).toBe(false);
    expect(index.addressCodeValidUntil(120225)).toBe(20161201);
    expect(index.addressCodeValidUntil(120110)).toBe(OPEN_END);
  });

  it('accepts counties and prefectures without counties as address codes, nothing else', () => {
    expect(index.existedOnOrAfter('130505', 19000101)).toBe(true);
    expect(index.existedOnOrAfter(441900, 20240101)).toBe(true);
    expect(index.existedOnOrAfter('130500', 19900101)).toBe(false);
    expect(index.existedOnOrAfter('120000', 19900101)).toBe(false);
    expect(index.existedOnOrAfter('12011', 19900101)).toBe(false);
    expect(index.existedOnOrAfter(-1, 19900101)).toBe(false);
    expect(index.existedOnOrAfter(1_000_000, 19900101)).toBe(false);
    expect([...index.addressCodes()].map((c) => c.code).sort()).toEqual(['120110', '120225', '130505', '441900']);
  });

  it('names a code at a date, falling back to the earliest later name, then the last one', () => {
    expect(index.namesAt('120110', 19850101)).toEqual({ province: '天津市', prefecture: null, county: '东郊区' });
    expect(index.namesAt('120110', 19921201)).toEqual({ province: '天津市', prefecture: null, county: '东丽区' });
    expect(index.namesAt('130505', 19700101)).toEqual({ province: '河北省', prefecture: '邢台市', county: '任泽区' });
    expect(index.nameAt('120225', 20240101)).toBe('蓟县');
    expect(index.namesAt('441900', 20240101)).toEqual({ province: '广东省', prefecture: null, county: '东莞市' });
    expect(index.namesAt('999999', 20240101)).toBeUndefined();
  });

  it('lists children, all and current divisions in code order', () => {
    expect(index.children('120000').map((r) => r.code)).toEqual(['120110', '120225']);
    expect(index.children(null).map((r) => r.code)).toEqual(['120000', '130000', '440000']);
    expect(index.children('130505')).toEqual([]);
    expect([...index.all()].length).toBe(index.size);
    expect([...index.current()].map((r) => r.code)).toEqual(['120000', '120110', '130000', '130500', '130505', '440000', '441900']);
  });

  it('reads townships on first use only', () => {
    expect(townshipReads()).toBe(0);
    expect(index.townships()).toEqual([{ code: '130505001', countyCode: '130505', name: '某街道' }]);
    index.townships();
    expect(townshipReads()).toBe(1);
  });

  it('refuses a malformed row with its line number', () => {
    expect(() => DivisionIndex.fromTsv('120000\tstate\t\t天津市\t1980-12-01\t\tmca')).toThrow(/line 1/);
    expect(() => DivisionIndex.fromTsv('12000\tprovince\t\t天津市\t1980-12-01\t\tmca')).toThrow(/malformed/);
  });
});

describe('committed division data', () => {
  const index = loadDivisionIndex();

  it('is loaded once per directory', () => {
    expect(loadDivisionIndex()).toBe(index);
  });

  it.each([
    // code, birth yyyymmdd, acceptable
    ['110103', 19850101, true], // 崇文区, abolished 2010
    ['110103', 20150101, false],
    ['110104', 20101130, true], // 宣武区: lenient end, first day of the next list's month
    ['310108', 20150101, true], // 闸北区, abolished 2015
    ['310108', 20170101, false],
    ['110118', 19700101, true], // 密云区, created 2015: codes created after birth are fine
    ['441900', 20240101, true], // 东莞: prefecture-level city without counties
    ['442000', 20240101, true], // 中山
    ['620200', 20240101, true], // 嘉峪关
    ['460400', 20240101, true], // 儋州 (since 2015)
    ['460300', 20240101, true], // 三沙
    ['469003', 20100101, true], // 儋州 as a provincially administered county-level city, until 2015
    ['130100', 19900101, false], // 石家庄市 has districts
    ['110000', 19900101, false], // a province
    ['130171', 19900101, false], // NBS development zone
    ['620201', 19900101, false], // NBS placeholder for 嘉峪关
    ['130505', 19500101, true], // 任泽区, new in NBS 2023
  ])('%s for a birth on %i: %s', (code, birth, ok) => {
    expect(index.existedOnOrAfter(code, birth)).toBe(ok);
  });

  it('follows the period rules of data/divisions/SOURCE.md', () => {
    // new in NBS 2023: from the month after the last MCA list (2019-04)
    expect(index.get('130505')?.periods).toEqual([{ name: '任泽区', validFrom: '2019-05-01', validTo: null, source: 'nbs2023' }]);
    // renamed in NBS 2023: the old name ends where the new one starts
    expect(index.get('130502')?.periods.map((p) => [p.name, p.validFrom, p.validTo])).toEqual([
      ['桥东区', '1983-01-01', '2023-07-01'],
      ['襄都区', '2023-07-01', null],
    ]);
    // in the 2019-04 list but not in NBS 2023
    expect(index.get('130521')?.periods.at(-1)?.validTo).toBe('2023-07-01');
    // renamed between the 1991 and 1992 lists: contiguous at the 1992 list
    expect(index.get('120110')?.periods.map((p) => [p.name, p.validFrom, p.validTo])).toEqual([
      ['东郊区', '1980-12-01', '1992-12-01'],
      ['东丽区', '1992-12-01', null],
    ]);
    // Hong Kong is outside the NBS list and stays open
    expect(index.get('810000')?.periods.at(-1)?.validTo).toBeNull();
  });

  it('names renamed divisions as of the date', () => {
    expect(index.namesAt('130502', 19900101)).toEqual({ province: '河北省', prefecture: '邢台市', county: '桥东区' });
    expect(index.namesAt('130502', 20240101)).toEqual({ province: '河北省', prefecture: '邢台市', county: '襄都区' });
    expect(index.namesAt('120113', 19850101)?.county).toBe('北郊区');
    expect(index.namesAt('120113', 20000101)?.county).toBe('北辰区');
  });

  it('gives municipal districts and provincially administered counties no prefecture', () => {
    expect(index.namesAt('110105', 20000101)).toEqual({ province: '北京市', prefecture: null, county: '朝阳区' });
    expect(index.namesAt('429004', 20000101)).toEqual({ province: '湖北省', prefecture: null, county: '仙桃市' });
    expect(index.namesAt('500229', 20000101)).toEqual({ province: '重庆市', prefecture: null, county: '城口县' });
  });

  it('has a parent in the data for every division, of a higher level', () => {
    const rank = { province: 0, prefecture: 1, county: 2 };
    for (const record of index.all()) {
      if (record.parentCode === null) {
        expect(record.level).toBe('province');
        continue;
      }
      const parent = index.get(record.parentCode);
      expect(parent, record.code).toBeDefined();
      expect(rank[parent!.level]).toBeLessThan(rank[record.level]);
    }
  });

  it('has well-ordered periods', () => {
    for (const record of index.all()) {
      for (const p of record.periods) {
        if (p.validTo !== null) expect(p.validFrom < p.validTo, `${record.code} ${p.name}`).toBe(true);
      }
      const froms = record.periods.map((p) => p.validFrom);
      expect(froms).toEqual([...froms].sort());
    }
  });

  it('holds the 2023 county-level divisions and their townships', () => {
    const currentCounties = [...index.current()].filter((r) => r.level === 'county');
    expect(currentCounties.length).toBeGreaterThan(2800);
    const townships = index.townships();
    expect(townships.length).toBeGreaterThan(40_000);
    for (const t of townships) {
      expect(t.code).toMatch(/^\d{9}$/);
      expect(index.get(t.countyCode), t.code).toBeDefined();
    }
  });

  it('matches the files written by scripts/build-divisions.ts', () => {
    const tsv = readFileSync(repoPath('data', 'divisions', 'divisions.tsv'), 'utf8');
    const rows = tsv.trimEnd().split('\n').slice(1);
    expect(rows.length).toBe([...index.all()].reduce((n, r) => n + r.periods.length, 0));
  });
});
