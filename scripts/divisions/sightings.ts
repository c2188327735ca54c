/**
 * A sighting is one (code, name) pair with the first and last code list it appears in.
 * Lists are identified by month (YYYYMM). The MCA lists come from data/divisions/source/;
 * the NBS 2023 codes (cut-off 2023-06-30) count as one more list, published 2023-07.
 */
import { readFileSync } from 'node:fs';

export type Month = number;
export type Source = 'mca' | 'nbs2023';

export interface Sighting {
  code: string;
  name: string;
  first: Month;
  last: Month;
  source: Source;
}

/** The NBS 2023 list: in force on 2023-06-30, so anything missing from it was gone by 2023-07-01. */
export const NBS_2023_LIST: Month = 202307;
export const LAST_MCA_LIST: Month = 201904;

/**
 * Typos in the compiled MCA file, corrected before merging. Each is checked by hand against the
 * same code's name in the neighbouring lists.
 */
const NAME_CORRECTIONS: ReadonlyMap<string, string> = new Map([
  // 201904 list: a stray "stats" suffix; every other list has 澳门特别行政区
  ['820000\t澳门特别行政区stats', '澳门特别行政区'],
]);

/** Reads gb2260-mca-history.tsv (code, name, first_seen, last_seen), one sighting per (code, name). */
export function readMcaHistory(path: string): { sightings: Sighting[]; corrected: string[] } {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const header = lines.shift();
  if (header !== 'code\tname\tfirst_seen\tlast_seen') throw new Error(`${path}: unexpected header ${header}`);
  const byPair = new Map<string, Sighting>();
  const corrected: string[] = [];
  for (const line of lines) {
    const [code, rawName, first, last] = line.split('\t');
    if (!code || !/^\d{6}$/.test(code) || !rawName || !first || !last) throw new Error(`${path}: bad row ${line}`);
    const name = NAME_CORRECTIONS.get(`${code}\t${rawName}`) ?? rawName;
    if (name !== rawName) corrected.push(`${code} ${rawName} → ${name}`);
    const key = `${code}\t${name}`;
    const seen = byPair.get(key);
    const sighting: Sighting = { code, name, first: Number(first), last: Number(last), source: 'mca' };
    byPair.set(key, seen ? mergeSightings(seen, sighting) : sighting);
  }
  return { sightings: [...byPair.values()], corrected };
}

function mergeSightings(a: Sighting, b: Sighting): Sighting {
  return { ...a, first: Math.min(a.first, b.first), last: Math.max(a.last, b.last) };
}

/**
 * Merges the NBS 2023 divisions on top of the MCA sightings:
 * - same code and name in the last MCA list → still in force (its last list becomes 2023);
 * - otherwise a new sighting from nbs2023 (new code, or a new name for an old code);
 * - MCA codes in provinces the NBS list does not cover (Hong Kong, Macao) are carried forward.
 */
export function mergeNbs2023(
  mca: Sighting[],
  nbs: ReadonlyMap<string, string>,
  coveredProvinces: ReadonlySet<string>,
): Sighting[] {
  const merged = mca.map((s) => ({ ...s }));
  const currentByCode = new Map(merged.filter((s) => s.last === LAST_MCA_LIST).map((s) => [s.code, s]));
  for (const [code, name] of nbs) {
    const current = currentByCode.get(code);
    if (current && current.name === name) current.last = NBS_2023_LIST;
    else merged.push({ code, name, first: NBS_2023_LIST, last: NBS_2023_LIST, source: 'nbs2023' });
  }
  for (const s of currentByCode.values()) {
    if (!coveredProvinces.has(s.code.slice(0, 2))) s.last = NBS_2023_LIST;
  }
  return merged;
}
