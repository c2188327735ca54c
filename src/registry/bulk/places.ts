import type { Db } from '../../platform/db/database.ts';
import { INTERPROVINCIAL_DESTINATIONS, PROVINCE_POPULATION_2020 } from './facts/census-2020.ts';
import { listAddressableCounties, listStationTownships } from './bulk.queries.ts';
import { Random, WeightedTable } from './random.ts';

export interface PlaceTownship {
  code: string;
  name: string;
  /** 街道 (urban sub-district) rather than 镇/乡. */
  urban: boolean;
  authorityId: string;
}

export interface PlaceCounty {
  code: string;
  province: string;
  /** First four digits: the prefecture-level unit (or a municipality's 01/02 block). */
  prefecture: string;
  /** A city district (GB/T 2260 county digits 01–20). */
  district: boolean;
  /** The city residence registration counts in (prefecture-level unit, or the county itself). */
  city: string;
  townships: PlaceTownship[];
  authorityId: string;
}

interface ProvincePlaces {
  counties: PlaceCounty[];
  table: WeightedTable<PlaceCounty>;
  /** Destinations for people moving within the province: city districts weigh more. */
  destinations: WeightedTable<PlaceCounty>;
}

/**
 * The divisions in force that the synthetic population lives in: every addressable county-level
 * division with a registration authority, and its NBS townships (each with its police station).
 * Counties weigh by their number of townships (the data has no county populations; a township holds
 * tens of thousands of people either way).
 */
export class Places {
  readonly provinces: WeightedTable<string>;
  private readonly byProvince = new Map<string, ProvincePlaces>();
  private readonly interprovincial: WeightedTable<string>;
  readonly countyCount: number;

  private constructor(counties: PlaceCounty[]) {
    this.countyCount = counties.length;
    for (const c of counties) {
      const p = this.byProvince.get(c.province);
      if (p) p.counties.push(c);
      else this.byProvince.set(c.province, { counties: [c], table: null as never, destinations: null as never });
    }
    for (const p of this.byProvince.values()) {
      p.table = new WeightedTable(p.counties.map((c) => [c, Math.max(1, c.townships.length)] as const));
      p.destinations = new WeightedTable(p.counties.map((c) => [c, Math.max(1, c.townships.length) * (c.district ? 3 : 1)] as const));
    }
    const present = Object.entries(PROVINCE_POPULATION_2020).filter(([code]) => this.byProvince.has(code));
    if (present.length === 0) throw new Error('no divisions with registration authorities: run `hukou db migrate` to load the reference data');
    this.provinces = new WeightedTable(present);
    const total = present.reduce((s, [, w]) => s + w, 0);
    const named = Object.values(INTERPROVINCIAL_DESTINATIONS).reduce((s, w) => s + w, 0);
    this.interprovincial = new WeightedTable(
      present.map(([code, pop]) => [code, (INTERPROVINCIAL_DESTINATIONS[code] ?? 0) + ((1 - named) * pop) / total] as const),
    );
  }

  static async load(db: Db): Promise<Places> {
    const [counties, townships] = await Promise.all([listAddressableCounties(db), listStationTownships(db)]);
    const byCode = new Map<string, PlaceCounty>();
    for (const c of counties) {
      const digits = Number(c.code.slice(4, 6));
      byCode.set(c.code, {
        code: c.code,
        province: c.code.slice(0, 2),
        prefecture: c.code.slice(0, 4),
        district: digits >= 1 && digits <= 20,
        city: c.city_code,
        townships: [],
        authorityId: c.authority_id,
      });
    }
    for (const t of townships) {
      byCode.get(t.county_code)?.townships.push({ code: t.code, name: t.name, urban: t.name.endsWith('街道'), authorityId: t.authority_id });
    }
    return new Places([...byCode.values()].filter((c) => c.province in PROVINCE_POPULATION_2020));
  }

  has(province: string): boolean {
    return this.byProvince.has(province);
  }

  county(random: Random, province: string): PlaceCounty {
    return this.byProvince.get(province)!.table.draw(random);
  }

  township(random: Random, county: PlaceCounty): PlaceTownship | null {
    return county.townships.length === 0 ? null : random.pick(county.townships);
  }

  /** Another county of the same province, city districts favoured; null when the province has one. */
  otherCountyInProvince(random: Random, county: PlaceCounty): PlaceCounty | null {
    const p = this.byProvince.get(county.province)!;
    if (p.counties.length < 2) return null;
    for (;;) {
      const c = p.destinations.draw(random);
      if (c !== county) return c;
    }
  }

  /** Another place in the same city: a county under the same prefecture, or another township. */
  sameCity(random: Random, county: PlaceCounty, township: PlaceTownship | null): { county: PlaceCounty; township: PlaceTownship | null } | null {
    const siblings = this.byProvince.get(county.province)!.counties.filter((c) => c.prefecture === county.prefecture && c !== county);
    if (siblings.length > 0 && random.chance(0.6)) {
      const c = random.pick(siblings);
      return { county: c, township: this.township(random, c) };
    }
    const others = county.townships.filter((t) => t !== township);
    if (others.length > 0) return { county, township: random.pick(others) };
    return null;
  }

  /** A county in another province, drawn by where interprovincial migrants live. */
  otherProvince(random: Random, province: string): PlaceCounty {
    for (;;) {
      const p = this.interprovincial.draw(random);
      if (p !== province) return this.byProvince.get(p)!.destinations.draw(random);
    }
  }

  /** A county anywhere, by population (birthplaces of people who moved their hukou across provinces). */
  anyCounty(random: Random): PlaceCounty {
    return this.county(random, this.provinces.draw(random));
  }
}
