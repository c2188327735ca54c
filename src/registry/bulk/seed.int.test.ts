import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, withPlainRole, type TestDatabase } from '../../../test/db.ts';
import { isValidIdNumber } from '../../idnumber/index.ts';
import { loadDivisionIndex } from '../../reference/index.ts';
import { AGE_STRUCTURE_2020, FAMILY_HOUSEHOLD_MEAN_SIZE, HAN_SHARE } from './facts/census-2020.ts';
import { seedDemoIfEmpty } from './demo.ts';
import { seedPopulation } from './seed.service.ts';
import { allocateIdNumber } from '../id-allocation.ts';

const AS_OF = '2026-01-01';
const PEOPLE = 20_000;

let big: TestDatabase;
let twinA: TestDatabase;
let twinB: TestDatabase;

beforeAll(async () => {
  [big, twinA, twinB] = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase()]);
  await seedPopulation(big, { people: PEOPLE, seed: 11, asOf: AS_OF });
}, 120_000);

afterAll(async () => {
  await Promise.all([big?.close(), twinA?.close(), twinB?.close()]);
});

describe('seedPopulation: determinism', () => {
  it('gives the same people for the same seed, and other people for another seed', async () => {
    const people = async (t: TestDatabase) =>
      (await t.db.selectFrom('person').select(['id_number', 'name', 'name_pinyin', 'birth_date', 'ethnicity']).orderBy('id').execute());
    await seedPopulation(twinA, { people: 3000, seed: 5, asOf: AS_OF });
    await seedPopulation(twinB, { people: 3000, seed: 5, asOf: AS_OF });
    const a = await people(twinA);
    expect(a).toHaveLength(3000);
    expect(await people(twinB)).toEqual(a);

    const households = async (t: TestDatabase) =>
      (await t.db.selectFrom('household').select(['household_number', 'kind', 'township_code', 'address', 'head_person_id']).orderBy('id').execute());
    expect(await households(twinB)).toEqual(await households(twinA));

    await seedPopulation(twinB, { people: 3000, seed: 6, asOf: AS_OF });
    const other = (await people(twinB)).slice(3000).map((p) => p.id_number);
    expect(other.filter((n) => a.some((p) => p.id_number === n))).toEqual([]);
  }, 60_000);
});

describe('seedPopulation: invariants of the register', () => {
  it('gives every person a valid, unique ID number agreeing with their sex and birth date', async () => {
    const divisions = loadDivisionIndex();
    const rows = await big.db.selectFrom('person').select(['id_number', 'sex', 'birth_date', 'birthplace_code']).execute();
    expect(rows).toHaveLength(PEOPLE);
    const today = Number(AS_OF.replaceAll('-', ''));
    const invalid = rows.filter((p) => !isValidIdNumber(p.id_number, divisions, today));
    expect(invalid).toEqual([]);
    expect(rows.filter((p) => (Number(p.id_number[16]) % 2 === 1 ? '1' : '2') !== p.sex)).toEqual([]);
    expect(rows.filter((p) => p.id_number.slice(6, 14) !== p.birth_date.replaceAll('-', ''))).toEqual([]);
    // the address code is the county where the person was first registered: their birthplace
    expect(rows.filter((p) => p.id_number.slice(0, 6) !== p.birthplace_code)).toEqual([]);
    expect(new Set(rows.map((p) => p.id_number)).size).toBe(PEOPLE);
  });

  it('records every number in person_id_number, and a birth afterwards skips the seeded numbers of its day', async () => {
    const { rows } = await sql<{ missing_history: number }>`
      select (select count(*)::int from person p where not exists (
                select 1 from person_id_number n where n.id_number = p.id_number and n.person_id = p.id and n.valid_to is null)) as missing_history`.execute(big.db);
    expect(rows[0]).toEqual({ missing_history: 0 });
    // the (area, day, sex) with the most seeded numbers: a birth there gets a number after all of them
    const { rows: busiest } = await sql<{ prefix: string; sex: string; top: number }>`
      select left(id_number, 14) as prefix, sex, max(substr(id_number, 15, 3)::int) as top
        from person group by 1, 2 order by count(*) desc, 1, 2 limit 1`.execute(big.db);
    const b = busiest[0]!;
    const n = await allocateIdNumber(big.db, { addressCode: b.prefix.slice(0, 6), birthDate: `${b.prefix.slice(6, 10)}-${b.prefix.slice(10, 12)}-${b.prefix.slice(12, 14)}`, sex: b.sex as '1' | '2' });
    expect(Number(n.slice(14, 17))).toBeGreaterThan(b.top);
  });

  it('gives every active person exactly one current hukou, and every family household its head', async () => {
    const { rows } = await sql<{ without: number; several: number; headless: number; head_elsewhere: number }>`
      select (select count(*)::int from person p where p.status = 'active'
                and not exists (select 1 from membership m where m.person_id = p.id and m.until is null)) as without,
             (select count(*)::int from (select person_id from membership where until is null group by person_id having count(*) > 1) x) as several,
             (select count(*)::int from household h where h.kind = 'family' and h.head_person_id is null) as headless,
             (select count(*)::int from household h where h.head_person_id is not null and not exists (
                select 1 from membership m where m.person_id = h.head_person_id and m.household_id = h.id and m.until is null and m.relationship = '02')) as head_elsewhere`.execute(big.db);
    expect(rows[0]).toEqual({ without: 0, several: 0, headless: 0, head_elsewhere: 0 });
  });

  it('writes a birth event per person and a household_created event per household', async () => {
    const { rows } = await sql<{ births: number; persons: number; created: number; households: number }>`
      select (select count(distinct person_id)::int from registration_event where kind = 'birth') as births,
             (select count(*)::int from person) as persons,
             (select count(distinct household_id)::int from registration_event where kind = 'household_created') as created,
             (select count(*)::int from household) as households`.execute(big.db);
    expect(rows[0]!.births).toBe(rows[0]!.persons);
    expect(rows[0]!.created).toBe(rows[0]!.households);
  });

  it('builds family households of about 2.6 people, with some collective households', async () => {
    const { rows } = await sql<{ kind: string; households: number; people: number }>`
      select h.kind, count(distinct h.id)::int as households, count(*)::int as people
        from household h join membership m on m.household_id = h.id and m.until is null group by h.kind`.execute(big.db);
    const family = rows.find((r) => r.kind === 'family')!;
    expect(family.people / family.households).toBeGreaterThan(FAMILY_HOUSEHOLD_MEAN_SIZE - 0.15);
    expect(family.people / family.households).toBeLessThan(FAMILY_HOUSEHOLD_MEAN_SIZE + 0.15);
    const collective = rows.filter((r) => r.kind !== 'family').reduce((s, r) => s + r.people, 0);
    expect(collective / PEOPLE).toBeGreaterThan(0.02);
    expect(collective / PEOPLE).toBeLessThan(0.09);
  });

  it('matches the 2020 census age structure, sex ratio and Han share within a few points', async () => {
    const { rows } = await sql<{ under15: number; over60: number; men: number; women: number; han: number; n: number }>`
      select count(*) filter (where age(${AS_OF}::date, birth_date) < interval '15 years')::int as under15,
             count(*) filter (where age(${AS_OF}::date, birth_date) >= interval '60 years')::int as over60,
             count(*) filter (where sex = '1')::int as men, count(*) filter (where sex = '2')::int as women,
             count(*) filter (where ethnicity = '01')::int as han, count(*)::int as n
        from person`.execute(big.db);
    const r = rows[0]!;
    expect(Math.abs(r.under15 / r.n - AGE_STRUCTURE_2020.under15)).toBeLessThan(0.025);
    expect(Math.abs(r.over60 / r.n - AGE_STRUCTURE_2020.over60)).toBeLessThan(0.025);
    expect(Math.abs((r.n - r.under15 - r.over60) / r.n - AGE_STRUCTURE_2020.from15to59)).toBeLessThan(0.025);
    expect((100 * r.men) / r.women).toBeGreaterThan(100);
    expect((100 * r.men) / r.women).toBeLessThan(110);
    expect(Math.abs(r.han / r.n - HAN_SHARE)).toBeLessThan(0.02);
  });

  it('draws surnames with their real frequencies (王 李 张 the most common, 5–8% each)', async () => {
    const { rows } = await sql<{ surname: string; n: number }>`
      select left(name, 1) as surname, count(*)::int as n from person where ethnicity = '01'
       group by 1 order by 2 desc limit 5`.execute(big.db);
    expect(rows.slice(0, 3).map((r) => r.surname).sort()).toEqual(['张', '李', '王'].sort());
    const han = (await big.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).where('ethnicity', '=', '01').executeTakeFirstOrThrow()).n;
    for (const r of rows.slice(0, 3)) expect(r.n / Number(han)).toBeGreaterThan(0.05);
  });

  it('fills name_pinyin for search: lowercase letters, no tones or spaces', async () => {
    const bad = await big.db.selectFrom('person').select(['name', 'name_pinyin']).where(sql<boolean>`name_pinyin !~ '^[a-z]+$'`).execute();
    expect(bad).toEqual([]);
    const wang = await big.db.selectFrom('person').select(['name', 'name_pinyin']).where('name', 'like', '王%').where(sql<boolean>`char_length(name) = 2`).limit(5).execute();
    for (const p of wang) expect(p.name_pinyin.startsWith('wang')).toBe(true);
  });

  it('registers residence in another city for people living away from their hukou city (人户分离)', async () => {
    const { rows } = await sql<{ registered: number; same_city: number; events: number }>`
      select (select count(*)::int from residence_registration) as registered,
             (select count(*)::int from residence_registration r
                join membership m on m.person_id = r.person_id and m.until is null
                join household h on h.id = m.household_id
                join authority hc on hc.id = 'county-' || h.county_code
                left join authority hp on hp.id = hc.parent_id and hp.kind = 'prefecture_bureau'
               where hukou_city_of(h.county_code, hp.division_code) = r.city_code) as same_city,
             (select count(*)::int from residence_event where kind = 'registered') as events`.execute(big.db);
    const r = rows[0]!;
    // a third live away (census 2020: 34.9%); about a quarter of those stay in their own city and register nothing
    expect(r.registered / PEOPLE).toBeGreaterThan(0.18);
    expect(r.registered / PEOPLE).toBeLessThan(0.34);
    expect(r.same_city).toBe(0);
    expect(r.events).toBe(r.registered);
  });
});

describe('seedPopulation on a register that already has people', () => {
  it('adds more people without reusing an ID number, household number or id', async () => {
    const before = await big.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const summary = await seedPopulation(big, { people: 2000, seed: 11, asOf: AS_OF });
    expect(summary.firstPersonId).toBe(Number(before.n) + 1);
    const { rows } = await sql<{ persons: number; numbers: number; households: number; household_numbers: number; seq_ok: boolean }>`
      select (select count(*)::int from person) as persons,
             (select count(distinct id_number)::int from person_id_number) as numbers,
             (select count(*)::int from household) as households,
             (select count(distinct household_number)::int from household) as household_numbers,
             (select last_value >= (select max(id) from person) from person_id_seq) as seq_ok`.execute(big.db);
    expect(rows[0]).toEqual({ persons: PEOPLE + 2000, numbers: PEOPLE + 2000, households: rows[0]!.household_numbers, household_numbers: rows[0]!.households, seq_ok: true });
  }, 60_000);

  it('seedDemoIfEmpty leaves a register with people alone', async () => {
    expect(await seedDemoIfEmpty(big)).toBeNull();
    expect((await seedPopulation(big, { people: 10, onlyIfEmpty: true })).skipped).toBe(true);
  });
});

describe('seedPopulation without the privilege to switch triggers off', () => {
  it('loads with triggers on (foreign keys and the one-hukou trigger checked row by row) and gives the same register', async () => {
    const t = await createTestDatabase();
    try {
      await withPlainRole(t.url, async (plain) => {
        const summary = await seedPopulation(plain, { people: 600, seed: 5, asOf: AS_OF });
        expect(summary).toMatchObject({ people: 600, triggersOff: false, rebuiltIndexes: 0 });
      });
      // the same people as the first 600 of a superuser's seed 5 (twinA, above)
      const mine = await t.db.selectFrom('person').select(['id_number', 'name']).execute();
      const reference = new Set((await twinA.db.selectFrom('person').select(['id_number', 'name']).execute()).map((p) => `${p.id_number} ${p.name}`));
      expect(mine.filter((p) => !reference.has(`${p.id_number} ${p.name}`))).toEqual([]);
      const { rows } = await sql<{ without: number }>`
        select count(*)::int as without from person p
         where not exists (select 1 from membership m where m.person_id = p.id and m.until is null)`.execute(t.db);
      expect(rows[0]!.without).toBe(0);
    } finally {
      await t.close();
    }
  }, 60_000);
});

describe('seedPopulation: residence permits of people living away from their hukou (src/residence/seed.ts)', () => {
  it('most registrations of half a year or more carry an issued permit, endorsed on time before each anniversary since', async () => {
    const registrations = await big.db.selectFrom('residence_registration').select(['id', 'registered_on']).execute();
    const permits = await big.db.selectFrom('residence_permit').select(['id', 'registration_id', 'status', 'issued_on', 'endorsed_years', 'endorsement_due_on', 'applied_on']).execute();
    expect(permits.length).toBeGreaterThan(registrations.length * 0.4);
    const registeredOn = new Map(registrations.map((r) => [r.id, r.registered_on]));
    for (const p of permits) {
      expect(p.status).toBe('issued');
      const since = registeredOn.get(p.registration_id)!;
      // 居住证暂行条例 Art. 2: half a year of residence before the application (permits exist since 2016)
      expect(p.applied_on >= (since < '2016-01-01' ? '2016-01-01' : addMonthsIso(since, 6))).toBe(true);
      expect(p.endorsement_due_on! > AS_OF).toBe(true); // every anniversary up to today endorsed
    }
    const endorsements = await big.db.selectFrom('residence_permit_endorsement').select(['permit_id', 'endorsed_on', 'anniversary', 'late']).execute();
    expect(endorsements.length).toBe(permits.reduce((n, p) => n + p.endorsed_years, 0));
    expect(endorsements.every((e) => !e.late && e.endorsed_on < e.anniversary)).toBe(true);
  });
});

function addMonthsIso(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return target.toISOString().slice(0, 10);
}

describe('seedPopulation: births name their parents (户口登记条例 Art. 7)', () => {
  it("children born into a couple's household have a birth record naming both, with a certificate number from 1996", async () => {
    const rows = await sql<{ born: string; certificate_number: string | null; mother_sex: string; father_sex: string; same_household: boolean; mother_name: string; mname: string }>`
      select c.birth_date::text as born, b.certificate_number, m.sex as mother_sex, f.sex as father_sex, m.name as mname, b.mother_name,
             (select household_id from membership where person_id = c.id and until is null) =
             (select household_id from membership where person_id = m.id and until is null) as same_household
        from birth_record b join person c on c.id = b.person_id join person m on m.id = b.mother_person_id join person f on f.id = b.father_person_id`.execute(big.db);
    expect(rows.rows.length).toBeGreaterThan(PEOPLE * 0.1);
    for (const r of rows.rows) {
      expect([r.mother_sex, r.father_sex, r.same_household, r.mother_name]).toEqual(['2', '1', true, r.mname]);
      if (r.born >= '1996-01-01') expect(r.certificate_number).toMatch(/^S[0-9]{9}$/);
      else expect(r.certificate_number).toBeNull();
    }
  });
});
