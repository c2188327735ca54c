/**
 * Population facts the synthetic population is drawn from: the 7th national census (2020), as
 * summarised in ../shared/data/population-2020.md. Figures tagged [M] there are from memory of the
 * published communiqués: close enough to weight synthetic data, not to quote.
 */

/** Resident population by province, 10,000 persons (GB/T 2260 province code prefix → figure). */
export const PROVINCE_POPULATION_2020: Readonly<Record<string, number>> = {
  '11': 2189.31, '12': 1386.6, '13': 7461.02, '14': 3491.56, '15': 2404.92,
  '21': 4259.14, '22': 2407.35, '23': 3185.01,
  '31': 2487.09, '32': 8474.8, '33': 6456.76, '34': 6102.72, '35': 4154.01, '36': 4518.86, '37': 10152.75,
  '41': 9936.55, '42': 5775.26, '43': 6644.49, '44': 12601.25, '45': 5012.68, '46': 1008.12,
  '50': 3205.42, '51': 8367.49, '52': 3856.21, '53': 4720.93, '54': 364.81,
  '61': 3952.9, '62': 2501.98, '63': 592.4, '64': 720.27, '65': 2585.23,
};

/** Broad age structure of the census (the shares the generator is calibrated to). */
export const AGE_STRUCTURE_2020 = { under15: 0.1795, from15to59: 0.6335, over60: 0.187 } as const;

/**
 * Share of the population in each five-year age group (0–4 … 95–99, 100+), census 2020 [M]. Used for
 * the shape within the broad groups above, which are rescaled to the published totals.
 */
export const FIVE_YEAR_AGE_SHARES_2020: readonly number[] = [
  5.52, 6.4, 5.97, // 0–14
  5.14, 5.31, 6.51, 8.79, 7.01, 6.61, 8.09, 8.58, 7.18, // 15–59
  5.2, 5.24, 3.51, 2.21, 1.44, 0.75, 0.22, 0.04, 0.01, // 60–100+
];

export const OLDEST_AGE = 104;

/**
 * Weight of each single year of age 0…OLDEST_AGE: the five-year shares spread evenly within their
 * group, each broad group rescaled to AGE_STRUCTURE_2020.
 */
export function singleYearAgeWeights(): Float64Array {
  const weights = new Float64Array(OLDEST_AGE + 1);
  for (let age = 0; age <= OLDEST_AGE; age++) {
    const group = Math.min(Math.floor(age / 5), FIVE_YEAR_AGE_SHARES_2020.length - 1);
    const width = group === FIVE_YEAR_AGE_SHARES_2020.length - 1 ? OLDEST_AGE - 99 : 5;
    weights[age] = FIVE_YEAR_AGE_SHARES_2020[group]! / width;
  }
  const rescale = (lo: number, hi: number, target: number) => {
    let sum = 0;
    for (let a = lo; a <= hi; a++) sum += weights[a]!;
    for (let a = lo; a <= hi; a++) weights[a] = (weights[a]! * target) / sum;
  };
  rescale(0, 14, AGE_STRUCTURE_2020.under15);
  rescale(15, 59, AGE_STRUCTURE_2020.from15to59);
  rescale(60, OLDEST_AGE, AGE_STRUCTURE_2020.over60);
  return weights;
}

/**
 * Probability that a child is a boy: sex ratio at birth ~111 in the 2010s, ~113 among 0–14 year-olds
 * in 2020 [M]; overall 105.07 men per 100 women (census 2020).
 */
export const BOY_SHARE_AT_BIRTH = 113 / 213;
export const OVERALL_SEX_RATIO = 105.07;

/** Average size of a family household (census 2020: 2.62 persons). */
export const FAMILY_HOUSEHOLD_MEAN_SIZE = 2.62;

/**
 * 人户分离 (living away from the place of hukou registration), census 2020: 492.76 M of 1,411.78 M;
 * of them 116.94 M within the same city's districts, 124.84 M across provinces, the rest
 * (250.98 M) within a province.
 */
export const LIVING_AWAY = {
  share: 492.76 / 1411.78,
  sameCity: 116.94 / 492.76,
  interprovincial: 124.84 / 492.76,
  intraprovincial: 250.98 / 492.76,
} as const;

/**
 * Where interprovincial migrants live (census 2020, the main receiving provinces, shares of
 * interprovincial migrants) [M]; the remainder spreads by resident population.
 */
export const INTERPROVINCIAL_DESTINATIONS: Readonly<Record<string, number>> = {
  '44': 0.236, '33': 0.131, '31': 0.083, '32': 0.082, '11': 0.068, '35': 0.038, '12': 0.028, '65': 0.027,
};

/** Han share of the population (census 2020); minorities are in ethnic-groups-2020.ts. */
export const HAN_SHARE = 0.9111;
