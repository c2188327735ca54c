import { PROVINCE_POPULATION_2020 } from './facts/census-2020.ts';
import { HAN_CODE, MINORITY_GROUPS_2020 } from './facts/ethnic-groups-2020.ts';
import type { NamingStyle } from './name-generator.ts';
import { WeightedTable } from './random.ts';

export interface Ethnicity {
  code: string;
  naming: NamingStyle;
}

export const HAN: Ethnicity = { code: HAN_CODE, naming: 'han' };

/**
 * P(ethnicity | province of hukou): each minority's census population split over its home provinces
 * (the rest by resident population), Han the remainder of each province (at least 5%). Drawing the
 * province by population and then the ethnicity from this table reproduces the national shares
 * (Han 91.11%) and the geography (壮 in Guangxi, 维吾尔 in Xinjiang, 藏 in Tibet, Qinghai, Sichuan…).
 */
export function ethnicityTables(): Map<string, WeightedTable<Ethnicity>> {
  const provinces = Object.entries(PROVINCE_POPULATION_2020);
  const total = provinces.reduce((s, [, p]) => s + p, 0);
  const tables = new Map<string, WeightedTable<Ethnicity>>();
  for (const [province, population] of provinces) {
    const entries: [Ethnicity, number][] = [];
    let minorities = 0;
    for (const g of MINORITY_GROUPS_2020) {
      const homeShare = Object.values(g.home).reduce((s, v) => s + v, 0);
      const here = g.population * ((g.home[province] ?? 0) + ((1 - homeShare) * population) / total);
      minorities += here;
      entries.push([{ code: g.code, naming: g.naming ?? 'han' }, here]);
    }
    entries.push([HAN, Math.max(population - minorities, 0.05 * population)]);
    tables.set(province, new WeightedTable(entries));
  }
  return tables;
}
