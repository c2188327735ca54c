import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import type { ServiceContext } from '../platform/context.ts';
import { isValidIdNumber } from '../idnumber/index.ts';
import { loadDivisionIndex } from '../reference/index.ts';
import { registerBirth } from './birth.service.ts';
import { addMember } from './members.service.ts';
import { correctParticulars, registerDeath } from './person.service.ts';
import { getHousehold, getPerson, searchPersons } from './read.service.ts';
import { adultIdNumber, newFamily, testContext, TODAY, TOWNSHIP } from '../../test/registry-fixtures.ts';

let tdb: TestDatabase;
let ctx: ServiceContext;

beforeAll(async () => {
  tdb = await createTestDatabase();
  ctx = testContext(tdb.db);
});
afterAll(async () => {
  await tdb.close();
});

const personVersion = async (id: string) => (await getPerson(ctx, id)).person.version;
const householdVersion = async (n: string) => (await getHousehold(ctx, n)).version;

describe('registerDeath', () => {
  it('marks the person deceased, closes the membership and keeps the record and history', async () => {
    const family = await newFamily(ctx);
    const r = await registerDeath(ctx, { idNumber: family.head.idNumber, expectedVersion: await personVersion(family.head.idNumber), deathDate: '2024-05-01' });
    expect(r).toMatchObject({ person: { status: 'deceased' }, householdNeedsNewHead: true, lateRegistration: true });
    const view = await getPerson(ctx, family.head.idNumber);
    expect(view.person).toMatchObject({ status: 'deceased', deathDate: '2024-05-01' });
    expect(view.household).toBeNull();
    expect(view.timeline[0]).toMatchObject({ kind: 'death', occurredOn: '2024-05-01', householdNumber: family.householdNumber });
  });

  it('refuses a second death, a death before birth, and a stale version', async () => {
    const family = await newFamily(ctx);
    const id = family.head.idNumber;
    await expect(registerDeath(ctx, { idNumber: id, expectedVersion: await personVersion(id), deathDate: '1900-01-01' })).rejects.toMatchObject({
      code: 'INVALID_CODE',
      details: [expect.objectContaining({ field: 'deathDate', code: 'DATE_ORDER' })],
    });
    await expect(registerDeath(ctx, { idNumber: id, expectedVersion: 42, deathDate: '2024-06-01' })).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    await registerDeath(ctx, { idNumber: id, expectedVersion: await personVersion(id), deathDate: '2024-06-01' });
    await expect(registerDeath(ctx, { idNumber: id, expectedVersion: await personVersion(id), deathDate: '2024-06-01' })).rejects.toMatchObject({ code: 'PERSON_DECEASED' });
  });
});

describe('correctParticulars', () => {
  it('keeps the old name among former names and refreshes the pinyin', async () => {
    const family = await newFamily(ctx, { name: '张建国' });
    const r = await correctParticulars(ctx, {
      idNumber: family.head.idNumber,
      expectedVersion: await personVersion(family.head.idNumber),
      changes: { name: '张建华', occupation: '教师' },
      reason: '本人申请，户口登记条例第十八条',
    });
    expect(r).toMatchObject({ changed: ['name', 'occupation'], previousIdNumber: null, person: { name: '张建华', formerNames: ['张建国'], namePinyin: 'zhangjianhua', occupation: '教师' } });
    const view = await getPerson(ctx, family.head.idNumber);
    expect(view.timeline[0]).toMatchObject({ kind: 'correction', data: expect.objectContaining({ changes: { name: { from: '张建国', to: '张建华' }, occupation: { from: null, to: '教师' } } }) });
  });

  it('issues a new ID number on a birth-date correction, keeping the address code and the old number in history', async () => {
    const family = await newFamily(ctx);
    const birth = await registerBirth(ctx, {
      householdNumber: family.householdNumber,
      expectedVersion: await householdVersion(family.householdNumber),
      name: '张更',
      sex: '2',
      birthDate: '2024-06-10',
      ethnicity: '01',
      relationship: '30',
    });
    const old = birth.person.idNumber;
    const r = await correctParticulars(ctx, { idNumber: old, expectedVersion: birth.person.version, changes: { birthDate: '2024-06-09' }, reason: '出生医学证明' });
    const fresh = r.person.idNumber;
    expect(r.previousIdNumber).toBe(old);
    expect(fresh).not.toBe(old);
    expect(fresh.slice(0, 14)).toBe('11010520240609');
    expect(Number(fresh[16]) % 2).toBe(0);
    expect(isValidIdNumber(fresh, loadDivisionIndex(), 20240615)).toBe(true);

    const byOld = await getPerson(ctx, old);
    expect(byOld.matched).toEqual({ idNumber: old, current: false });
    expect(byOld.person.idNumber).toBe(fresh);
    expect(byOld.idNumbers).toEqual([
      { idNumber: old, validFrom: TODAY, validTo: TODAY, reason: 'birth' },
      { idNumber: fresh, validFrom: TODAY, validTo: null, reason: 'correction of birthDate' },
    ]);
    expect(byOld.timeline.slice(0, 2).map((e) => e.kind)).toEqual(['id_number_change', 'correction']);
  });

  it('issues a new number on a sex correction, with the other parity, under the original address code', async () => {
    const family = await newFamily(ctx, { township: TOWNSHIP.beijingHaidian });
    const before = family.head.idNumber;
    const r = await correctParticulars(ctx, { idNumber: before, expectedVersion: await personVersion(before), changes: { sex: '2' }, reason: '医学证明' });
    expect(r.person.idNumber.slice(0, 14)).toBe(before.slice(0, 14));
    expect(Number(r.person.idNumber[16]) % 2).toBe(0);
  });

  it('refuses a correction that changes nothing, and unknown codes', async () => {
    const family = await newFamily(ctx);
    const id = family.head.idNumber;
    const p = (await getPerson(ctx, id)).person;
    await expect(correctParticulars(ctx, { idNumber: id, expectedVersion: p.version, changes: { name: p.name }, reason: 'x' })).rejects.toMatchObject({
      code: 'INVALID_CODE',
      details: [expect.objectContaining({ code: 'NO_CHANGE' })],
    });
    await expect(correctParticulars(ctx, { idNumber: id, expectedVersion: p.version, changes: { ethnicity: '99', nativePlaceCode: '123456' }, reason: 'x' })).rejects.toMatchObject({
      code: 'INVALID_CODE',
      details: [
        expect.objectContaining({ field: 'changes.ethnicity', code: 'UNKNOWN_ETHNICITY' }),
        expect.objectContaining({ field: 'changes.nativePlaceCode', code: 'UNKNOWN_DIVISION' }),
      ],
    });
  });
});

describe('searchPersons', () => {
  beforeAll(async () => {
    const bj = await newFamily(ctx, { name: '欧阳明华' });
    const sz = await newFamily(ctx, { township: TOWNSHIP.shenzhenNanshan, name: '陈明' });
    for (const [family, name, sex] of [
      [bj, '欧阳小明', '1'],
      [sz, '陈小明', '1'],
      [sz, '陈晓敏', '2'],
    ] as const) {
      const id = adultIdNumber(sex, family.householdNumber.slice(0, 6));
      await addMember(ctx, {
        householdNumber: family.householdNumber,
        expectedVersion: await householdVersion(family.householdNumber),
        relationship: '20',
        person: { idNumber: id.idNumber, name, sex, birthDate: id.birthDate, ethnicity: '01' },
      });
    }
  });

  it('finds by part of a Chinese name and masks ID numbers and names', async () => {
    const { results } = await searchPersons(ctx, { name: '小明' });
    expect(results.map((r) => r.maskedName).sort()).toEqual(['欧**明', '陈*明']);
    for (const r of results) expect(r.maskedIdNumber).toMatch(/^\d{6}\*{8}\d{3}[0-9X]$/);
    expect(JSON.stringify(results)).not.toMatch(/小明/);
  });

  it('finds by pinyin, any case and spacing', async () => {
    const { results } = await searchPersons(ctx, { name: 'Xiao Ming' });
    expect(results).toHaveLength(2);
    const { results: ming } = await searchPersons(ctx, { name: 'chenxiaoming' });
    expect(ming.map((r) => r.maskedName)).toEqual(['陈*明']);
  });

  it('filters by division of the current household (province, prefecture, county)', async () => {
    const province = await searchPersons(ctx, { name: '明', division: '44' });
    expect(province.results.every((r) => r.countyCode === '440305')).toBe(true);
    expect(province.results.map((r) => r.maskedName).sort()).toEqual(['陈*', '陈*明']);
    expect((await searchPersons(ctx, { name: '明', division: '440300' })).results).toHaveLength(2);
    expect((await searchPersons(ctx, { name: '明', division: '110105' })).results.map((r) => r.maskedName).sort()).toEqual(['欧**华', '欧**明']);
  });

  it('filters by birth-date range and pages with a cursor', async () => {
    const all = await searchPersons(ctx, { birthDateFrom: '1970-01-01', birthDateTo: '1989-12-31', limit: 100 });
    expect(all.results.length).toBeGreaterThan(4);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await searchPersons(ctx, { birthDateFrom: '1970-01-01', birthDateTo: '1989-12-31', limit: 3, cursor });
      expect(page.results.length).toBeLessThanOrEqual(3);
      seen.push(...page.results.map((r) => r.maskedIdNumber + r.birthDate));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.results.map((r) => r.maskedIdNumber + r.birthDate));
  });

  it('requires a criterion', async () => {
    await expect(searchPersons(ctx, {})).rejects.toMatchObject({ code: 'INVALID_CODE', details: [expect.objectContaining({ code: 'NO_CRITERIA' })] });
  });

  it('uses the name-character and pinyin trigram indexes', async () => {
    await sql`analyze person`.execute(tdb.db);
    await sql`set enable_seqscan = off`.execute(tdb.db);
    const plan = async (q: ReturnType<typeof sql>) => (await sql<{ 'QUERY PLAN': string }>`explain ${q}`.execute(tdb.db)).rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(await plan(sql`select id from person where string_to_array(name, null::text) @> ${['小', '明']}::text[]`)).toMatch(/person_name_chars_idx/);
    expect(await plan(sql`select id from person where name_pinyin like '%xiaoming%'`)).toMatch(/person_pinyin_trgm_idx/);
  });
});

describe('the one-hukou constraint in the database itself', () => {
  it('rejects a second current membership written by raw SQL', async () => {
    const a = await newFamily(ctx);
    const b = await newFamily(ctx);
    await expect(
      sql`insert into membership (person_id, household_id, relationship, since)
          select p.id, h.id, '80', '2024-06-15' from person p, household h
          where p.id_number = ${a.head.idNumber} and h.household_number = ${b.householdNumber}`.execute(tdb.db),
    ).rejects.toMatchObject({ code: '23505', constraint: 'membership_one_current_idx' });
  });

  it('rejects an active person without a hukou at commit (raw SQL)', async () => {
    const family = await newFamily(ctx);
    await expect(
      sql`update membership set until = '2024-06-15' where until is null and person_id = (select id from person where id_number = ${family.head.idNumber})`.execute(tdb.db),
    ).rejects.toMatchObject({ code: '23514', constraint: 'person_has_one_hukou' });
    const id = adultIdNumber('1');
    await expect(
      sql`insert into person (id_number, name, sex, birth_date, ethnicity) values (${id.idNumber}, '无户', '1', ${id.birthDate}, '01')`.execute(tdb.db),
    ).rejects.toMatchObject({ code: '23514', constraint: 'person_has_one_hukou' });
  });

  it('accepts closing one membership and opening the next in one transaction', async () => {
    const a = await newFamily(ctx);
    const b = await newFamily(ctx);
    await tdb.db.transaction().execute(async (trx) => {
      await sql`update membership set until = '2024-06-15' where until is null and person_id = (select id from person where id_number = ${a.head.idNumber})`.execute(trx);
      await sql`insert into membership (person_id, household_id, relationship, since)
                select p.id, h.id, '80', '2024-06-15' from person p, household h
                where p.id_number = ${a.head.idNumber} and h.household_number = ${b.householdNumber}`.execute(trx);
    });
    expect((await getPerson(ctx, a.head.idNumber)).household?.householdNumber).toBe(b.householdNumber);
  });

  it('keeps registration events append-only', async () => {
    await expect(sql`update registration_event set reason = 'x'`.execute(tdb.db)).rejects.toMatchObject({ code: '42501' });
    await expect(sql`delete from registration_event`.execute(tdb.db)).rejects.toMatchObject({ code: '42501' });
  });
});
