import type { Db } from '../../platform/db/database.ts';
import { loadDivisionIndex, type DivisionIndex } from '../../reference/index.ts';
import { listAuthorityPlaces, listCodes, listDivisionCodes, listTownshipCounties } from './import.queries.ts';

export interface AuthorityPlace {
  kind: string;
  /** County-level division the authority serves (null for the ministry and provincial departments). */
  county: string | null;
  township: string | null;
  /** City for residence registration (prefecture-level unit, or the county itself); null above prefecture level. */
  city: string | null;
}

/**
 * Everything a row is checked against without touching the register: divisions (every code since
 * 1980, and the county-level ones in force), townships, registration authorities with their cities,
 * the national code tables. Loaded once per import (a few MB).
 */
export interface ImportReference {
  divisions: DivisionIndex;
  divisionCodes: ReadonlySet<string>;
  countiesInForce: ReadonlySet<string>;
  townshipCounty: ReadonlyMap<string, string>;
  authorities: ReadonlyMap<string, AuthorityPlace>;
  ethnicity: ReadonlySet<string>;
  relationship: ReadonlySet<string>;
  /** Today in China, YYYY-MM-DD and yyyymmdd. */
  today: string;
  todayYmd: number;
}

export async function loadImportReference(db: Db, today: string): Promise<ImportReference> {
  const [divisions, townships, authorities, ethnicity, relationship] = await Promise.all([
    listDivisionCodes(db),
    listTownshipCounties(db),
    listAuthorityPlaces(db),
    listCodes(db, 'ethnicity'),
    listCodes(db, 'relationship'),
  ]);
  return {
    divisions: loadDivisionIndex(),
    divisionCodes: new Set(divisions.map((d) => d.code)),
    countiesInForce: new Set(divisions.filter((d) => d.addressable && d.valid_to === null).map((d) => d.code)),
    townshipCounty: new Map(townships.map((t) => [t.code, t.county_code])),
    authorities: new Map(authorities.map((a) => [a.id, { kind: a.kind, county: a.county_code, township: a.township_code, city: a.city_code }])),
    ethnicity: new Set(ethnicity),
    relationship: new Set(relationship),
    today,
    todayYmd: Number(today.replaceAll('-', '')),
  };
}
