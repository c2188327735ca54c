/**
 * Administrative divisions (GB/T 2260) with their history since 1980, read from
 * data/divisions/divisions.tsv (see data/divisions/SOURCE.md for how the periods were derived).
 *
 * Dates passed in and compared are yyyymmdd integers (19491231), so the ID-number hot path never
 * builds a Date or a string.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '../platform/paths.ts';

export type DivisionLevel = 'province' | 'prefecture' | 'county';
export type DivisionSource = 'mca' | 'nbs2023';

export interface DivisionPeriod {
  name: string;
  /** First day in force, YYYY-MM-DD. */
  validFrom: string;
  /** First day no longer in force (exclusive), YYYY-MM-DD; null while in force. */
  validTo: string | null;
  source: DivisionSource;
}

export interface DivisionRecord {
  code: string;
  level: DivisionLevel;
  parentCode: string | null;
  /** Sorted by validFrom, then the longer period first. */
  periods: readonly DivisionPeriod[];
}

export interface DivisionNames {
  province: string;
  /** Null when no prefecture-level division lies between the province and the unit itself. */
  prefecture: string | null;
  /** The unit the code names (a county, or a prefecture-level city without counties). */
  county: string;
}

export interface Township {
  code: string;
  countyCode: string;
  name: string;
}

/** Stands for "still in force" wherever an end date is compared as yyyymmdd. */
export const OPEN_END = 99_999_999;
const CODE_SPACE = 1_000_000;

interface Entry {
  record: DivisionRecord;
  /** Parallel to record.periods: [from, to) as yyyymmdd, to = OPEN_END while in force. */
  spans: { from: number; to: number }[];
}

export function ymdOf(isoDate: string): number {
  return Number(isoDate.slice(0, 4)) * 10_000 + Number(isoDate.slice(5, 7)) * 100 + Number(isoDate.slice(8, 10));
}

function parseDivisionsTsv(text: string): Map<string, DivisionRecord> {
  const records = new Map<string, DivisionRecord & { periods: DivisionPeriod[] }>();
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line === '' || line.startsWith('#') || line.startsWith('code\t')) return;
    const [code, level, parent, name, validFrom, validTo, source] = line.split('\t');
    const wellFormed =
      code !== undefined && /^\d{6}$/.test(code) && (level === 'province' || level === 'prefecture' || level === 'county') &&
      name && validFrom && /^\d{4}-\d{2}-\d{2}$/.test(validFrom) && (source === 'mca' || source === 'nbs2023');
    if (!wellFormed) throw new Error(`divisions.tsv line ${i + 1}: malformed row ${JSON.stringify(line)}`);
    const record = records.get(code) ?? { code, level, parentCode: parent || null, periods: [] };
    record.periods.push({ name, validFrom, validTo: validTo || null, source });
    records.set(code, record);
  });
  for (const r of records.values()) {
    r.periods.sort((a, b) => a.validFrom.localeCompare(b.validFrom) || (b.validTo ?? '9').localeCompare(a.validTo ?? '9'));
  }
  return records;
}

function parseTownshipsTsv(text: string): Township[] {
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('code\t'))
    .map((l) => {
      const [code, countyCode, name] = l.split('\t');
      if (!code || !countyCode || !name) throw new Error(`townships-2023.tsv: malformed row ${JSON.stringify(l)}`);
      return { code, countyCode, name };
    });
}

export class DivisionIndex {
  private readonly entries = new Map<string, Entry>();
  /**
   * `XXYY01 市辖区` of prefecture-level cities: the code GB/T 2260 gave a city's districts taken
   * together, which some numbers issued in the 1980s–90s carry. The MCA compilation behind
   * divisions.tsv has none of these rows, so they are derived: for each city (a prefecture named
   * …市) that has districts or counties and no division of its own at XXYY01, 市辖区 is an address
   * code for as long as the city existed under that name. Not divisions in their own right: `get`,
   * `all` and the API do not list them; the ID-number checks and names know them.
   */
  private readonly cityDistricts = new Map<string, Entry>();
  /**
   * Address code (as a number) → exclusive end of its last period (yyyymmdd), 0 when the code is
   * not an ID-number address code. A typed array: one indexed load on the hot path, no hashing.
   */
  private readonly addressValidUntil = new Int32Array(CODE_SPACE);
  private childrenByParent: Map<string, DivisionRecord[]> | undefined;
  private townshipList: readonly Township[] | undefined;

  private readonly readTownships: () => string;

  private constructor(records: Map<string, DivisionRecord>, readTownships: () => string) {
    this.readTownships = readTownships;
    for (const record of records.values()) {
      const spans = record.periods.map((p) => ({ from: ymdOf(p.validFrom), to: p.validTo === null ? OPEN_END : ymdOf(p.validTo) }));
      this.entries.set(record.code, { record, spans });
    }
    const prefecturesWithCounties = new Set<string>();
    for (const { record } of this.entries.values()) {
      if (record.level === 'county') prefecturesWithCounties.add(`${record.code.slice(0, 4)}00`);
    }
    for (const { record, spans } of this.entries.values()) {
      // GB 11643-1999 §5.2: the address code is a county-level code of GB/T 2260; prefecture-level
      // cities without counties (东莞 441900, 中山 442000, 嘉峪关 620200…) stand for themselves.
      const addressable = record.level === 'county' || (record.level === 'prefecture' && !prefecturesWithCounties.has(record.code));
      if (addressable) this.addressValidUntil[Number(record.code)] = Math.max(...spans.map((s) => s.to));
      const districts = `${record.code.slice(0, 4)}01`;
      if (record.level === 'prefecture' && prefecturesWithCounties.has(record.code) && !this.entries.has(districts)) {
        const asCity = record.periods.map((p, i) => ({ p, span: spans[i]! })).filter(({ p }) => p.name.endsWith('市'));
        if (asCity.length > 0) {
          this.cityDistricts.set(districts, {
            record: { code: districts, level: 'county', parentCode: record.code, periods: asCity.map(({ p }) => ({ ...p, name: '市辖区' })) },
            spans: asCity.map(({ span }) => span),
          });
          this.addressValidUntil[Number(districts)] = Math.max(...asCity.map(({ span }) => span.to));
        }
      }
    }
  }

  /** Builds an index from the text of divisions.tsv (and, read on first use, townships-2023.tsv). */
  static fromTsv(divisionsTsv: string, townshipsTsv: () => string = () => ''): DivisionIndex {
    return new DivisionIndex(parseDivisionsTsv(divisionsTsv), townshipsTsv);
  }

  get size(): number {
    return this.entries.size;
  }

  get(code: string): DivisionRecord | undefined {
    return this.entries.get(code)?.record;
  }

  /** The derived `XXYY01 市辖区` address code of a city (see `cityDistricts`), if `code` is one. */
  cityDistrictsCode(code: string): DivisionRecord | undefined {
    return this.cityDistricts.get(code)?.record;
  }

  /**
   * True when `code` may stand as an ID number's address code for someone born on `date`: it is a
   * county-level code (or a prefecture-level city without counties) not abolished before `date`.
   * A code created after `date` is fine: numbers are assigned after birth, with the code of the
   * place of registration at the time (GB 11643-1999 §5.2).
   */
  existedOnOrAfter(code: string | number, date: number): boolean {
    const n = typeof code === 'number' ? code : /^\d{6}$/.test(code) ? Number(code) : -1;
    return this.addressCodeValidUntil(n) > date;
  }

  /** Exclusive end (yyyymmdd) of an address code's last period; OPEN_END if in force; 0 if not an address code. */
  addressCodeValidUntil(code: number): number {
    return code >= 0 && code < CODE_SPACE ? (this.addressValidUntil[code] ?? 0) : 0;
  }

  /** Every address code with the exclusive end of its last period. */
  *addressCodes(): Iterable<{ code: string; validUntil: number }> {
    for (const code of this.entries.keys()) {
      const validUntil = this.addressValidUntil[Number(code)] ?? 0;
      if (validUntil > 0) yield { code, validUntil };
    }
  }

  /** Name in force on `date`; else the earliest later name; else the last name it had. */
  nameAt(code: string, date: number): string | undefined {
    const entry = this.entries.get(code) ?? this.cityDistricts.get(code);
    if (!entry) return undefined;
    const { record, spans } = entry;
    let index = spans.findIndex((s) => s.from <= date && date < s.to);
    if (index < 0) index = spans.findIndex((s) => s.from > date);
    if (index < 0) index = spans.reduce((best, s, i) => (s.to > spans[best]!.to ? i : best), 0);
    return record.periods[index]?.name;
  }

  /** Province, prefecture and own name of `code` as of `date` (see nameAt for dates out of range). */
  namesAt(code: string, date: number): DivisionNames | undefined {
    const record = this.get(code) ?? this.cityDistrictsCode(code);
    if (!record) return undefined;
    const county = this.nameAt(code, date)!;
    const province = this.nameAt(`${code.slice(0, 2)}0000`, date) ?? county;
    const parent = record.parentCode === null ? undefined : this.get(record.parentCode);
    const prefecture = record.level === 'county' && parent?.level === 'prefecture' ? this.nameAt(parent.code, date)! : null;
    return { province, prefecture, county };
  }

  /** Direct subdivisions of `code` (provinces when null), ever, in code order. */
  children(code: string | null): readonly DivisionRecord[] {
    if (!this.childrenByParent) {
      const byParent = new Map<string, DivisionRecord[]>();
      for (const record of this.all()) {
        const siblings = byParent.get(record.parentCode ?? '');
        if (siblings) siblings.push(record);
        else byParent.set(record.parentCode ?? '', [record]);
      }
      this.childrenByParent = byParent;
    }
    return this.childrenByParent.get(code ?? '') ?? [];
  }

  /** Every division ever, in code order. */
  *all(): Iterable<DivisionRecord> {
    for (const code of [...this.entries.keys()].sort()) yield this.entries.get(code)!.record;
  }

  /** Divisions in force now (an open period), in code order. */
  *current(): Iterable<DivisionRecord> {
    for (const record of this.all()) if (record.periods.some((p) => p.validTo === null)) yield record;
  }

  /** NBS 2023 townships of the county-level divisions, read on first use. */
  townships(): readonly Township[] {
    this.townshipList ??= parseTownshipsTsv(this.readTownships());
    return this.townshipList;
  }
}

const DEFAULT_DIR = repoPath('data', 'divisions');
const loaded = new Map<string, DivisionIndex>();

/** The division index of `dir` (divisions.tsv, townships-2023.tsv), read once per directory. */
export function loadDivisionIndex(dir: string = DEFAULT_DIR): DivisionIndex {
  let index = loaded.get(dir);
  if (!index) {
    index = DivisionIndex.fromTsv(readFileSync(join(dir, 'divisions.tsv'), 'utf8'), () =>
      readFileSync(join(dir, 'townships-2023.tsv'), 'utf8'),
    );
    loaded.set(dir, index);
  }
  return index;
}
