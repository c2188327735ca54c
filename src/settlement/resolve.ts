import { CLASS_NAME, cityRecord, type CityClass, type CityRecord } from './city-class.ts';
import { policySet, versionInForce, type PolicyVersion } from './policy.loader.ts';

/**
 * Which policy versions apply to a city on a date: the city's own files (every scheme in force), or,
 * for a city without files, the default of its stored class. When none applies the answer says why
 * (`missing`), which the check returns instead of failing.
 */
export interface Resolved {
  city: CityRecord | null;
  cityClass: CityClass | null;
  versions: PolicyVersion[];
  /** Why nothing applies, and what would make it apply. */
  noPolicy: { reason: string; earliest: string | null } | null;
}

export function resolvePolicies(cityCode: string, asOf: string, opts: { scheme?: string | undefined; cityClass?: CityClass | undefined } = {}): Resolved {
  const set = policySet();
  const city = cityRecord(cityCode);
  const cityClass = opts.cityClass ?? city?.class ?? null;
  const own = opts.cityClass ? undefined : set.byCity.get(cityCode);
  const pick = (vs: PolicyVersion[]) => versionInForce(vs, asOf);
  if (own) {
    const schemes = [...own.entries()].filter(([s]) => opts.scheme === undefined || s === opts.scheme);
    if (!schemes.length) return { city, cityClass, versions: [], noPolicy: { reason: `city ${cityCode} has no scheme "${opts.scheme}" (it has ${[...own.keys()].join(', ')})`, earliest: null } };
    const versions = schemes.map(([, vs]) => pick(vs)).filter((v): v is PolicyVersion => v !== null);
    if (versions.length) return { city, cityClass, versions, noPolicy: null };
    const earliest = schemes.map(([, vs]) => vs[0]!.policy.effectiveFrom).sort()[0]!;
    return { city, cityClass, versions: [], noPolicy: { reason: `no policy of city ${cityCode} is in force on ${asOf}${earliest > asOf ? `: the earliest takes effect ${earliest}` : ''}`, earliest } };
  }
  if (!cityClass) {
    return { city, cityClass, versions: [], noPolicy: { reason: `city ${cityCode} has no policy file and no stored class: record its urban permanent population and class (data/settlement/cities-*.json)`, earliest: null } };
  }
  const defaults = set.byClass.get(cityClass);
  if (!defaults) {
    return {
      city,
      cityClass,
      versions: [],
      noPolicy: { reason: `city ${cityCode} is a ${CLASS_NAME[cityClass]}: it settles through its own points scheme, and none is encoded (data/settlement/policies/${cityCode}/…)`, earliest: null },
    };
  }
  const v = pick(defaults);
  if (!v) return { city, cityClass, versions: [], noPolicy: { reason: `the ${CLASS_NAME[cityClass]} default takes effect ${defaults[0]!.policy.effectiveFrom}, after ${asOf}`, earliest: defaults[0]!.policy.effectiveFrom } };
  return { city, cityClass, versions: opts.scheme === undefined || v.policy.scheme === opts.scheme ? [v] : [], noPolicy: null };
}
