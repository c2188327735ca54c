import type { HouseholdKind } from '../registry.tables.ts';
import { HEAD_RELATIONSHIP } from '../registry.law.ts';
import type { Calendar } from './calendar.ts';
import { COLLECTIVE_UNITS, ROAD_NAMES, VILLAGE_STEMS } from './facts/address-words.ts';
import { BOY_SHARE_AT_BIRTH, LIVING_AWAY, OLDEST_AGE, singleYearAgeWeights } from './facts/census-2020.ts';
import { RELATIONSHIP as R, MARITAL } from './codes.ts';
import { ethnicityTables, HAN, type Ethnicity } from './ethnicity.ts';
import { NameGenerator } from './name-generator.ts';
import type { PlaceCounty, PlaceTownship, Places } from './places.ts';
import { Random, WeightedTable } from './random.ts';

export interface ResidenceDraft {
  county: PlaceCounty;
  township: PlaceTownship | null;
  address: string;
  since: number;
}

export interface PersonDraft {
  /** The person id, given when the batch is numbered (0 until then). */
  id: number;
  name: string;
  pinyin: string;
  male: boolean;
  birthDay: number;
  ethnicity: string;
  /** County of birth: the place of the first registration, so also the ID number's address code. */
  birthplace: PlaceCounty;
  nativePlace: PlaceCounty;
  marital: string;
  /** GB/T 4761 code of the relationship to the head. */
  relationship: string;
  since: number;
  residence: ResidenceDraft | null;
}

export interface HouseholdDraft {
  kind: HouseholdKind;
  county: PlaceCounty;
  township: PlaceTownship | null;
  address: string;
  since: number;
  /** For family households the head comes first. */
  members: PersonDraft[];
  hasHead: boolean;
}

/** The register as we model it starts with the 1958 Regulations (户口登记条例). */
const REGISTER_START = '1958-01-01';
const YEAR = 365.25;

/**
 * The mix of family household types, tuned so that the whole population matches the 2020 census:
 * 2.62 persons per family household, the age structure 17.95 / 63.35 / 18.70 %, sex ratio ~105,
 * about a third living away from their hukou place (checked by seed.int.test.ts).
 */
const FAMILY_TYPES = new WeightedTable([
  ['single', 0.245],
  ['couple', 0.235],
  ['nuclear', 0.28],
  ['singleParent', 0.05],
  ['threeGenerations', 0.155],
  ['skipGeneration', 0.02],
  ['siblings', 0.015],
] as const);

/** Share of households that are collective (schools, employers) or public collective (renters): ~5% of people. */
const COLLECTIVE_HOUSEHOLD_SHARE = 0.0083;

type Member = Omit<PersonDraft, 'id' | 'since' | 'residence'> & { own: string; surname: string };

/**
 * Builds households one at a time: a family (head, spouse, children, sometimes the head's parents
 * or grandchildren) or a collective household, placed in a township, with names, ethnicities,
 * birthplaces, marital status, GB/T 4761 relationships and — for about a third of people — a
 * residence away from the hukou place (人户分离). Deterministic for a given Random.
 */
export class HouseholdGenerator {
  private readonly names: NameGenerator;
  private readonly ethnicities = ethnicityTables();
  private readonly ageCumulative: Float64Array;
  private readonly registerStart: number;

  constructor(
    private readonly places: Places,
    private readonly random: Random,
    private readonly calendar: Calendar,
  ) {
    this.names = new NameGenerator(random);
    const weights = singleYearAgeWeights();
    this.ageCumulative = new Float64Array(weights.length + 1);
    for (let a = 0; a < weights.length; a++) this.ageCumulative[a + 1] = this.ageCumulative[a]! + weights[a]!;
    this.registerStart = calendar.dayOfIso(REGISTER_START);
  }

  next(): HouseholdDraft {
    return this.random.chance(COLLECTIVE_HOUSEHOLD_SHARE) ? this.collective() : this.family();
  }

  // ---- ages and dates ---------------------------------------------------------------------------

  /** An age in [lo, hi] drawn from the census pyramid. */
  private ageIn(lo: number, hi: number): number {
    const c = this.ageCumulative;
    const l = Math.max(0, lo);
    const h = Math.min(OLDEST_AGE, hi);
    if (h <= l) return l;
    const u = c[l]! + this.random.next() * (c[h + 1]! - c[l]!);
    let a = l;
    let b = h;
    while (a < b) {
      const m = (a + b) >> 1;
      if (c[m + 1]! <= u) a = m + 1;
      else b = m;
    }
    return a;
  }

  private birthDayOf(age: number): number {
    return this.calendar.clamp(this.calendar.asOfDay - Math.floor(age * YEAR) - this.random.int(365));
  }

  private ageOf(birthDay: number): number {
    return Math.floor((this.calendar.asOfDay - birthDay) / YEAR);
  }

  // ---- people ------------------------------------------------------------------------------------

  private ethnicityIn(county: PlaceCounty): Ethnicity {
    return this.ethnicities.get(county.province)?.draw(this.random) ?? HAN;
  }

  /** Where someone was born: here, or (having moved their hukou) elsewhere in the province or country. */
  private birthplace(county: PlaceCounty, movedShare: number): PlaceCounty {
    const r = this.random;
    if (!r.chance(movedShare)) return county;
    if (r.chance(0.7)) return this.places.otherCountyInProvince(r, county) ?? county;
    return this.places.anyCounty(r);
  }

  private member(o: {
    age: number;
    male: boolean;
    relationship: string;
    ethnicity: Ethnicity;
    surname: string;
    fatherOwn: string | null;
    birthplace: PlaceCounty;
    nativePlace?: PlaceCounty;
    marital: string;
  }): Member {
    const birthDay = this.birthDayOf(o.age);
    const n = this.names.name(o.ethnicity.naming, o.male, this.calendar.year(birthDay), o.surname, o.fatherOwn);
    return {
      name: n.name,
      pinyin: n.pinyin,
      own: n.own,
      surname: o.surname,
      male: o.male,
      birthDay,
      ethnicity: o.ethnicity.code,
      birthplace: o.birthplace,
      nativePlace: o.nativePlace ?? o.birthplace,
      marital: o.marital,
      relationship: o.relationship,
    };
  }

  private singleMarital(age: number): string {
    const u = this.random.next();
    if (age < 30) return MARITAL.unmarried;
    if (age < 60) return u < 0.45 ? MARITAL.unmarried : u < 0.85 ? MARITAL.divorced : MARITAL.widowed;
    return u < 0.72 ? MARITAL.widowed : u < 0.84 ? MARITAL.divorced : u < 0.9 ? MARITAL.unmarried : MARITAL.married;
  }

  // ---- family households -------------------------------------------------------------------------

  private family(): HouseholdDraft {
    const r = this.random;
    const county = this.places.county(r, this.places.provinces.draw(r));
    const township = this.places.township(r, county);
    const ethnicity = this.ethnicityIn(county);
    const ctx: FamilyContext = { county, ethnicity, surname: this.names.surname(), members: [] };
    switch (FAMILY_TYPES.draw(r)) {
      case 'single':
        this.single(ctx);
        break;
      case 'couple':
        this.couple(ctx, r.chance(0.2) ? this.ageIn(22, 35) : r.chance(0.35) ? this.ageIn(36, 59) : this.ageIn(60, 92));
        break;
      case 'nuclear': {
        const { father, mother } = this.couple(ctx, this.ageIn(23, 48) + 2);
        this.children(ctx, father, mother);
        break;
      }
      case 'singleParent':
        this.singleParent(ctx);
        break;
      case 'threeGenerations':
        if (r.chance(0.6)) this.threeGenerationsYoungHead(ctx);
        else this.threeGenerationsOldHead(ctx);
        break;
      case 'skipGeneration':
        this.skipGeneration(ctx);
        break;
      case 'siblings':
        this.siblings(ctx);
        break;
    }
    return this.finish('family', county, township, ctx.members, true);
  }

  private single(ctx: FamilyContext): void {
    const r = this.random;
    const u = r.next();
    const age = u < 0.4 ? this.ageIn(18, 35) : u < 0.66 ? this.ageIn(36, 59) : this.ageIn(60, 98);
    const male = r.chance(age < 40 ? 0.72 : age < 60 ? 0.66 : 0.42);
    ctx.members.push(this.member({ age, male, relationship: HEAD_RELATIONSHIP, ethnicity: ctx.ethnicity, surname: ctx.surname, fatherOwn: null, birthplace: this.birthplace(ctx.county, 0.2), marital: this.singleMarital(age) }));
  }

  /** A married couple with the husband `husbandAge` years old; one of them is the head. */
  private couple(ctx: FamilyContext, husbandAge: number): { father: Member; mother: Member } {
    const r = this.random;
    const wifeAge = Math.max(20, husbandAge - Math.round(2 + (r.next() + r.next() + r.next() - 1.5) * 4));
    const husbandHead = r.chance(0.82);
    const spouseEthnicity = r.chance(0.85) ? ctx.ethnicity : this.ethnicityIn(ctx.county);
    const husband = this.member({
      age: husbandAge, male: true, relationship: husbandHead ? HEAD_RELATIONSHIP : R.husband, ethnicity: ctx.ethnicity, surname: ctx.surname,
      fatherOwn: null, birthplace: this.birthplace(ctx.county, husbandHead ? 0.15 : 0.3), marital: MARITAL.married,
    });
    const wife = this.member({
      age: wifeAge, male: false, relationship: husbandHead ? R.wife : HEAD_RELATIONSHIP, ethnicity: spouseEthnicity, surname: this.names.surname(),
      fatherOwn: null, birthplace: this.birthplace(ctx.county, husbandHead ? 0.35 : 0.15), marital: MARITAL.married,
    });
    if (husbandHead) ctx.members.push(husband, wife);
    else ctx.members.push(wife, husband);
    ctx.headIsHusband = husbandHead;
    return { father: husband, mother: wife };
  }

  /**
   * The children of a couple (or a single parent) still living at home, the eldest born when the
   * mother was 21–31. The father gives the surname (a few take the mother's).
   */
  private children(ctx: FamilyContext, father: Member | null, mother: Member | null, relationships: 'children' | 'grandchildren' = 'children'): void {
    const r = this.random;
    const parent = (father ?? mother)!;
    const motherAge = mother ? this.ageOf(mother.birthDay) : this.ageOf(parent.birthDay) - 2;
    const count = r.chance(0.4) ? 1 : r.chance(0.75) ? 2 : 3;
    const ages: number[] = [];
    let age = motherAge - r.between(21, 31);
    for (let i = 0; i < count && age >= 0; i++) {
      ages.push(age);
      age -= r.between(2, 7);
    }
    const atHome = ages.filter((a) => a < 18 || r.chance(a <= 22 ? 0.75 : a < 30 ? 0.45 : 0.15));
    const sexes = atHome.map(() => r.chance(BOY_SHARE_AT_BIRTH));
    const onlyChild = atHome.length === 1;
    let son = 0;
    let daughter = 0;
    atHome.forEach((a, i) => {
      const male = sexes[i]!;
      const ethnicity = father && mother && father.ethnicity !== mother.ethnicity && r.chance(0.5) ? mother.ethnicity : parent.ethnicity;
      const surname = father && (!mother || !r.chance(0.06)) ? father.surname : parent === mother ? mother.surname : parent.surname;
      let relationship: string;
      if (relationships === 'grandchildren') {
        const viaSon = ctx.grandchildrenViaSon ?? true;
        relationship = viaSon ? (male ? R.grandson : R.granddaughter) : male ? R.daughtersSon : R.daughtersDaughter;
      } else {
        relationship = male ? R.son(++son, onlyChild) : R.daughter(++daughter, onlyChild);
      }
      ctx.members.push(this.member({
        age: a, male, relationship, ethnicity: this.ethnicityStyle(ethnicity), surname, fatherOwn: father?.own ?? null,
        birthplace: this.birthplace(ctx.county, 0.05), nativePlace: parent.nativePlace, marital: MARITAL.unmarried,
      }));
    });
  }

  private ethnicityStyle(code: string): Ethnicity {
    return { code, naming: this.styleByCode.get(code) ?? 'han' };
  }

  private readonly styleByCode = new Map(
    [...this.ethnicities.values()].flatMap((t) => t.items.map((e) => [e.code, e.naming] as const)),
  );

  private singleParent(ctx: FamilyContext): void {
    const r = this.random;
    const mother = r.chance(0.72);
    const age = this.ageIn(28, 58);
    const parent = this.member({
      age, male: !mother, relationship: HEAD_RELATIONSHIP, ethnicity: ctx.ethnicity, surname: ctx.surname, fatherOwn: null,
      birthplace: this.birthplace(ctx.county, 0.2), marital: r.chance(0.65) ? MARITAL.divorced : MARITAL.widowed,
    });
    ctx.members.push(parent);
    if (mother) this.children(ctx, null, parent);
    else this.children(ctx, parent, null);
  }

  /** Head (28–52) with spouse and children, and one or both of the head's (or spouse's) parents. */
  private threeGenerationsYoungHead(ctx: FamilyContext): void {
    const r = this.random;
    const { father, mother } = this.couple(ctx, this.ageIn(28, 52) + 2);
    this.children(ctx, father, mother);
    const head = ctx.members[0]!;
    const ownParents = r.chance(0.75);
    // whose parents they are, seen from the head (GB/T 4761 group 5)
    const child = ownParents ? head : ctx.members[1]!;
    const parentAge = this.ageOf(child.birthDay) + r.between(22, 34);
    if (parentAge > 100) return;
    const both = r.chance(0.45);
    const widowMother = r.chance(0.7);
    const codes = ownParents ? { father: R.father, mother: R.mother } : ctx.headIsHusband ? { father: R.wifesFather, mother: R.wifesMother } : { father: R.husbandsFather, mother: R.husbandsMother };
    const grandfatherSurname = child.surname;
    if (both || !widowMother) {
      ctx.members.push(this.member({
        age: parentAge, male: true, relationship: codes.father, ethnicity: this.ethnicityStyle(child.ethnicity), surname: grandfatherSurname, fatherOwn: null,
        birthplace: this.birthplace(ctx.county, 0.1), marital: both ? MARITAL.married : MARITAL.widowed,
      }));
    }
    if (both || widowMother) {
      ctx.members.push(this.member({
        age: Math.max(40, parentAge - r.between(0, 4)), male: false, relationship: codes.mother, ethnicity: this.ethnicityStyle(child.ethnicity), surname: this.names.surname(),
        fatherOwn: null, birthplace: this.birthplace(ctx.county, 0.2), marital: both ? MARITAL.married : MARITAL.widowed,
      }));
    }
  }

  /** An older head (55–80), usually with spouse, a married child with their spouse, and grandchildren. */
  private threeGenerationsOldHead(ctx: FamilyContext): void {
    const r = this.random;
    const headAge = this.ageIn(55, 80);
    const withSpouse = r.chance(0.7);
    let grandparent: Member;
    if (withSpouse) {
      grandparent = this.couple(ctx, headAge).father;
    } else {
      const male = r.chance(0.35);
      grandparent = this.member({
        age: headAge, male, relationship: HEAD_RELATIONSHIP, ethnicity: ctx.ethnicity, surname: ctx.surname, fatherOwn: null,
        birthplace: this.birthplace(ctx.county, 0.15), marital: MARITAL.widowed,
      });
      ctx.members.push(grandparent);
    }
    const viaSon = r.chance(0.78);
    ctx.grandchildrenViaSon = viaSon;
    const childAge = Math.max(20, this.ageOf(grandparent.birthDay) - r.between(22, 32));
    const styleOf = this.ethnicityStyle(grandparent.ethnicity);
    const adultChild = this.member({
      age: childAge, male: viaSon, relationship: viaSon ? R.son(1, false) : R.daughter(1, false), ethnicity: styleOf,
      surname: grandparent.male ? grandparent.surname : ctx.surname, fatherOwn: grandparent.male ? grandparent.own : null,
      birthplace: this.birthplace(ctx.county, 0.05), nativePlace: grandparent.nativePlace, marital: MARITAL.married,
    });
    const inLaw = this.member({
      age: Math.max(20, childAge + (viaSon ? -r.between(0, 4) : r.between(0, 4))), male: !viaSon, relationship: viaSon ? R.daughterInLaw : R.sonInLaw,
      ethnicity: r.chance(0.85) ? styleOf : this.ethnicityIn(ctx.county), surname: this.names.surname(), fatherOwn: null,
      birthplace: this.birthplace(ctx.county, 0.35), marital: MARITAL.married,
    });
    ctx.members.push(adultChild, inLaw);
    this.children(ctx, viaSon ? adultChild : inLaw, viaSon ? inLaw : adultChild, 'grandchildren');
  }

  /** Grandparents bringing up grandchildren whose parents work elsewhere (留守儿童). */
  private skipGeneration(ctx: FamilyContext): void {
    const r = this.random;
    const headAge = this.ageIn(52, 80);
    if (r.chance(0.6)) this.couple(ctx, headAge);
    else {
      ctx.members.push(this.member({
        age: headAge, male: r.chance(0.4), relationship: HEAD_RELATIONSHIP, ethnicity: ctx.ethnicity, surname: ctx.surname, fatherOwn: null,
        birthplace: this.birthplace(ctx.county, 0.1), marital: MARITAL.widowed,
      }));
    }
    const head = ctx.members[0]!;
    const count = r.chance(0.6) ? 1 : 2;
    for (let i = 0; i < count; i++) {
      const male = r.chance(BOY_SHARE_AT_BIRTH);
      ctx.members.push(this.member({
        age: this.ageIn(0, 15), male, relationship: male ? R.grandson : R.granddaughter, ethnicity: this.ethnicityStyle(head.ethnicity),
        surname: head.male ? head.surname : ctx.surname, fatherOwn: null, birthplace: this.birthplace(ctx.county, 0.1),
        nativePlace: head.nativePlace, marital: MARITAL.unmarried,
      }));
    }
  }

  private siblings(ctx: FamilyContext): void {
    const r = this.random;
    const headAge = this.ageIn(18, 40);
    const head = this.member({
      age: headAge, male: r.chance(0.55), relationship: HEAD_RELATIONSHIP, ethnicity: ctx.ethnicity, surname: ctx.surname, fatherOwn: null,
      birthplace: this.birthplace(ctx.county, 0.1), marital: MARITAL.unmarried,
    });
    const siblingAge = Math.max(12, headAge + (r.chance(0.5) ? 1 : -1) * r.between(1, 8));
    const male = r.chance(0.5);
    const older = siblingAge > headAge;
    ctx.members.push(head, this.member({
      age: siblingAge, male, relationship: male ? (older ? R.elderBrother : R.youngerBrother) : older ? R.elderSister : R.youngerSister,
      ethnicity: this.ethnicityStyle(head.ethnicity), surname: head.surname, fatherOwn: null, birthplace: head.birthplace, marital: MARITAL.unmarried,
    }));
  }

  // ---- collective households ---------------------------------------------------------------------

  private collective(): HouseholdDraft {
    const r = this.random;
    const county = this.places.county(r, this.places.provinces.draw(r));
    const township = this.places.township(r, county);
    const publicCollective = r.chance(0.3);
    const size = r.between(3, 30);
    const members: Member[] = [];
    for (let i = 0; i < size; i++) {
      const age = !publicCollective && r.chance(0.7) ? this.ageIn(18, 24) : this.ageIn(22, 45);
      const ethnicity = this.ethnicityIn(county);
      members.push(this.member({
        age, male: r.chance(0.6), relationship: R.nonRelative, ethnicity, surname: this.names.surname(), fatherOwn: null,
        birthplace: this.birthplace(county, 0.9), marital: age < 26 || r.chance(0.5) ? MARITAL.unmarried : MARITAL.married,
      }));
    }
    return this.finish(publicCollective ? 'public_collective' : 'collective', county, township, members, false);
  }

  // ---- places, dates, residence ------------------------------------------------------------------

  private finish(kind: HouseholdKind, county: PlaceCounty, township: PlaceTownship | null, members: Member[], hasHead: boolean): HouseholdDraft {
    const r = this.random;
    const head = members[0]!;
    const formed = hasHead ? head.birthDay + Math.floor((20 + r.int(12)) * YEAR) : this.calendar.asOfDay - r.int(Math.floor(6 * YEAR));
    const since = this.calendar.clamp(Math.max(this.registerStart, Math.min(formed, this.calendar.asOfDay - r.int(30))));
    const residence = this.awayPlan(kind, county, township, members);
    const residenceAddress = residence ? this.address('family', residence.township) : '';
    const drafts = members.map((m): PersonDraft => {
      const age = this.ageOf(m.birthDay);
      const away = residence !== null && (residence.whole || (age >= 16 && age < 60));
      return {
        id: 0,
        name: m.name,
        pinyin: m.pinyin,
        male: m.male,
        birthDay: m.birthDay,
        ethnicity: m.ethnicity,
        birthplace: m.birthplace,
        nativePlace: m.nativePlace,
        marital: m.marital,
        relationship: m.relationship,
        since: Math.max(since, m.birthDay),
        residence: away ? { county: residence.county, township: residence.township, address: residenceAddress, since: this.residenceSince(m.birthDay) } : null,
      };
    });
    return { kind, county, township, address: this.address(kind, township), since, members: drafts, hasHead };
  }

  private residenceSince(birthDay: number): number {
    const earliest = Math.max(birthDay, this.calendar.asOfDay - Math.floor(12 * YEAR));
    return earliest + this.random.int(Math.max(1, this.calendar.asOfDay - 30 - earliest));
  }

  /**
   * Whether (and where) this household lives away from its hukou place: working-age households most
   * often, often leaving children and grandparents behind.
   */
  private awayPlan(kind: HouseholdKind, county: PlaceCounty, township: PlaceTownship | null, members: Member[]): { county: PlaceCounty; township: PlaceTownship | null; whole: boolean } | null {
    const r = this.random;
    const headAge = this.ageOf(members[0]!.birthDay);
    const p = kind !== 'family' ? 0.12 : headAge < 46 ? 0.5 : headAge < 60 ? 0.36 : 0.16;
    if (!r.chance(p)) return null;
    const u = r.next();
    let place: { county: PlaceCounty; township: PlaceTownship | null } | null = null;
    if (u < LIVING_AWAY.sameCity) place = this.places.sameCity(r, county, township);
    else if (u < LIVING_AWAY.sameCity + LIVING_AWAY.intraprovincial) {
      const c = this.places.otherCountyInProvince(r, county);
      place = c ? { county: c, township: this.places.township(r, c) } : null;
    }
    if (!place) {
      const c = this.places.otherProvince(r, county.province);
      place = { county: c, township: this.places.township(r, c) };
    }
    return { ...place, whole: kind !== 'family' || r.chance(0.62) };
  }

  private address(kind: HouseholdKind, township: PlaceTownship | null): string {
    const r = this.random;
    const road = r.pick(ROAD_NAMES);
    if (kind === 'collective') return `${road}${r.between(1, 300)}号（${r.pick(COLLECTIVE_UNITS)}集体户）`;
    if (kind === 'public_collective') return `${road}${r.between(1, 300)}号（社区公共集体户）`;
    if (township === null || township.urban) {
      return `${road}${r.between(1, 400)}号${r.between(1, 30)}栋${r.between(1, 6)}单元${r.between(1, 28)}0${r.between(1, 4)}室`;
    }
    return `${r.pick(VILLAGE_STEMS)}村${r.between(1, 12)}组${r.between(1, 120)}号`;
  }
}

interface FamilyContext {
  county: PlaceCounty;
  ethnicity: Ethnicity;
  surname: string;
  members: Member[];
  headIsHusband?: boolean;
  grandchildrenViaSon?: boolean;
}
