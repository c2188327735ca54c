import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { insertPersonWithHukou } from '../../test/access-fixtures.ts';
import type { Actor } from './actor.ts';
import { areaContains, jurisdictionOf, whereInJurisdiction } from './jurisdiction.ts';
import { personVisibleTo } from './person-visibility.ts';
import { ACCOUNT_ROLES } from './roles.ts';

let tdb: TestDatabase;
const people: { personId: number; householdId: number; countyCode: string; townshipCode: string | null }[] = [];
const authorities: string[] = ['mps', 'prov-110000', 'prov-440000', 'prov-120000', 'county-110105', 'county-110106', 'station-110105001', 'station-110105002'];

beforeAll(async () => {
  tdb = await createTestDatabase();
  const townships = await sql<{ code: string }>`
    select min(code) as code from township where county_code in ('110105', '110106', '120101', '440305', '440306') group by county_code
    union select '110105002'`.execute(tdb.db);
  for (const t of townships.rows) {
    for (let i = 0; i < 2; i++) {
      const p = await insertPersonWithHukou(tdb.db, { townshipCode: t.code, sequence: people.length + 10 });
      people.push({ personId: p.personId, householdId: p.householdId, countyCode: p.countyCode, townshipCode: t.code });
    }
  }
  // a household whose township is unknown: visible from the county up, not to any station
  const p = await insertPersonWithHukou(tdb.db, { townshipCode: '110105001', sequence: 500 });
  await tdb.db.updateTable('household').set({ township_code: null }).where('id', '=', p.householdId).execute();
  people.push({ personId: p.personId, householdId: p.householdId, countyCode: '110105', townshipCode: null });
  const prefs = await tdb.db.selectFrom('authority').select('id').where('id', 'in', ['pref-440300', 'pref-120100']).execute();
  authorities.push(...prefs.map((r) => r.id), 'station-440305001', `station-${townships.rows.find((r) => r.code.startsWith('440305'))!.code}`);
});

afterAll(async () => {
  await tdb?.close();
});

/** Who should see which person, computed without SQL. */
function expectedVisible(actor: Actor): number[] {
  const j = jurisdictionOf(actor);
  if (j.kind === 'none') return [];
  if (j.kind === 'self') return people.filter((p) => p.personId === j.personId).map((p) => p.personId);
  return people.filter((p) => areaContains(j.area, p)).map((p) => p.personId);
}

async function visibleBySql(actor: Actor): Promise<number[]> {
  const rows = await tdb.db.selectFrom('person').select('person.id').where(personVisibleTo(actor, sql.ref('person.id'))).orderBy('person.id').execute();
  return rows.map((r) => r.id);
}

async function householdsBySql(actor: Actor): Promise<number[]> {
  const rows = await tdb.db
    .selectFrom('household')
    .select('household.id')
    .where((eb) => whereInJurisdiction(eb, actor, { countyCol: 'household.county_code', townshipCol: 'household.township_code' }))
    .orderBy('household.id')
    .execute();
  return rows.map((r) => r.id);
}

describe('jurisdiction in SQL', () => {
  it('sanity: the fixture spans townships, counties, prefectures and provinces', () => {
    expect(new Set(people.map((p) => p.countyCode.slice(0, 2))).size).toBe(3);
    expect(authorities).toContain('pref-440300');
  });

  it('a station sees its township, a county bureau its county, a province its province', async () => {
    const station = await visibleBySql({ id: 'u', role: 'counter_officer', authorityId: 'station-110105001' });
    expect(station).toEqual(people.filter((p) => p.townshipCode === '110105001').map((p) => p.personId));
    const county = await visibleBySql({ id: 'u', role: 'registration_officer', authorityId: 'county-110105' });
    expect(county).toEqual(people.filter((p) => p.countyCode === '110105').map((p) => p.personId));
    const province = await visibleBySql({ id: 'u', role: 'supervisor', authorityId: 'prov-440000' });
    expect(province).toEqual(people.filter((p) => p.countyCode.startsWith('44')).map((p) => p.personId));
    expect(await visibleBySql({ id: 'u', role: 'statistician', authorityId: 'mps' })).toEqual([]);
    expect(await visibleBySql({ id: 'u', role: 'administrator', authorityId: 'mps' })).toEqual([]);
    expect(await visibleBySql({ id: 'u', role: 'citizen', authorityId: 'mps', personId: people[3]!.personId })).toEqual([people[3]!.personId]);
    expect(await visibleBySql({ id: 'u', role: 'citizen', authorityId: 'mps' })).toEqual([]);
  });

  it('property: for any role and authority, SQL returns exactly the persons and households of the pure rule', async () => {
    const roles = [...ACCOUNT_ROLES, 'operator' as const];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...roles), fc.constantFrom(...authorities), fc.constantFrom(...people.map((p) => p.personId)), async (role, authorityId, ownPersonId) => {
        const actor: Actor = { id: 'user:1', role, authorityId, accountId: 1, ...(role === 'citizen' ? { personId: ownPersonId } : {}) };
        expect(await visibleBySql(actor)).toEqual(expectedVisible(actor));
        const j = jurisdictionOf(actor);
        const households = j.kind === 'area' ? people.filter((p) => areaContains(j.area, p)).map((p) => p.householdId) : [];
        expect(await householdsBySql(actor)).toEqual(households.sort((a, b) => a - b));
      }),
      { numRuns: 80 },
    );
  });

  it('a person who moved out of the area is no longer visible there', async () => {
    const p = people.find((x) => x.townshipCode === '110105002')!;
    const officer: Actor = { id: 'u', role: 'counter_officer', authorityId: 'station-110105002' };
    expect(await visibleBySql(officer)).toContain(p.personId);
    const target = people.find((x) => x.countyCode === '110106')!;
    await tdb.db.transaction().execute(async (trx) => {
      await trx.updateTable('membership').set({ until: '2025-01-01' }).where('person_id', '=', p.personId).where('until', 'is', null).execute();
      await trx.insertInto('membership').values({ person_id: p.personId, household_id: target.householdId, relationship: '99', since: '2025-01-01' }).execute();
    });
    expect(await visibleBySql(officer)).not.toContain(p.personId);
    expect(await visibleBySql({ id: 'u', role: 'counter_officer', authorityId: `station-${target.townshipCode}` })).toContain(p.personId);
  });
});
