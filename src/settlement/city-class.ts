import { readFileSync } from 'node:fs';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { repoPath } from '../platform/paths.ts';

/**
 * City-size classes of 国发〔2014〕51号 by urban permanent population (城区常住人口): "以上" includes
 * the bound, "以下" excludes it — 超大 ≥ 10 M; 特大 5 M–<10 M; Ⅰ型大 3 M–<5 M; Ⅱ型大 1 M–<3 M;
 * 中等 0.5 M–<1 M; Ⅰ型小 0.2 M–<0.5 M; Ⅱ型小 < 0.2 M.
 */
export const CITY_CLASSES = ['super_large', 'mega', 'large_1', 'large_2', 'medium', 'small_1', 'small_2'] as const;
export type CityClass = (typeof CITY_CLASSES)[number];

export const CLASS_LOWER_BOUND: Record<CityClass, number> = {
  super_large: 10_000_000,
  mega: 5_000_000,
  large_1: 3_000_000,
  large_2: 1_000_000,
  medium: 500_000,
  small_1: 200_000,
  small_2: 0,
};

export const CLASS_NAME: Record<CityClass, string> = {
  super_large: '超大城市',
  mega: '特大城市',
  large_1: 'Ⅰ型大城市',
  large_2: 'Ⅱ型大城市',
  medium: '中等城市',
  small_1: 'Ⅰ型小城市',
  small_2: 'Ⅱ型小城市',
};

/** The class of a population figure (for new data; a stored class always wins, brief §5.2). */
export function classifyPopulation(urbanPopulation: number): CityClass {
  if (!Number.isFinite(urbanPopulation) || urbanPopulation < 0) throw new RangeError(`not a population: ${urbanPopulation}`);
  for (const c of CITY_CLASSES) if (urbanPopulation >= CLASS_LOWER_BOUND[c]) return c;
  return 'small_2';
}

/** The next larger class ("what if this city moved up a class"); super-large stays. */
export function nextClassUp(c: CityClass): CityClass {
  const i = CITY_CLASSES.indexOf(c);
  return CITY_CLASSES[Math.max(0, i - 1)]!;
}

const Verification = Type.Union([Type.Literal('V'), Type.Literal('V2'), Type.Literal('M'), Type.Literal('?'), Type.Literal('unknown')]);
const CityEntry = Type.Object(
  {
    code: Type.String({ pattern: '^\\d{6}$' }),
    name: Type.String({ minLength: 1 }),
    urbanPopulation: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    populationVerification: Verification,
    class: Type.Union(CITY_CLASSES.map((c) => Type.Literal(c))),
    classVerification: Verification,
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
const CitiesFile = Type.Object({
  name: Type.String(),
  description: Type.String(),
  populationYear: Type.Integer(),
  source: Type.String({ minLength: 1 }),
  classSource: Type.String({ minLength: 1 }),
  effectiveFrom: Type.String(),
  verifiedAt: Type.String(),
  cities: Type.Array(CityEntry),
});
export type CityEntry = Static<typeof CityEntry> & { class: CityClass };

export interface CityRecord extends CityEntry {
  populationYear: number;
  source: string;
  classSource: string;
  /** The class the figure gives (null without a figure); the stored class wins when they differ. */
  computedClass: CityClass | null;
}

let cache: Map<string, CityRecord> | null = null;

/** data/settlement/cities-*.json, the latest file for each city. */
export function loadCities(): Map<string, CityRecord> {
  if (cache) return cache;
  const map = new Map<string, CityRecord>();
  const file = repoPath('data', 'settlement', 'cities-2020.json');
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Value.Check(CitiesFile, raw)) {
    const e = [...Value.Errors(CitiesFile, raw)].slice(0, 3).map((x) => `${x.instancePath} ${x.message}`);
    throw new Error(`${file} is not valid: ${e.join('; ')}`);
  }
  const doc = raw as Static<typeof CitiesFile>;
  for (const c of doc.cities) {
    map.set(c.code, {
      ...(c as CityEntry),
      populationYear: doc.populationYear,
      source: doc.source,
      classSource: doc.classSource,
      computedClass: c.urbanPopulation === null ? null : classifyPopulation(c.urbanPopulation),
    });
  }
  cache = map;
  return map;
}

export function cityRecord(code: string): CityRecord | null {
  return loadCities().get(code) ?? null;
}
