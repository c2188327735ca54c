import fc from 'fast-check';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { movableClock, sessionAs, type TestAccount } from '../../test/access-fixtures.ts';
import { applyForCard } from '../idcards/index.ts';
import { applyTransfer } from '../registry/index.ts';
import { newFamily, testContext } from '../../test/registry-fixtures.ts';
import { registerResidence } from '../residence/index.ts';
import { areaContains, areaWithin, authorityArea, type Area } from './jurisdiction.ts';
import { OFFICER_ROLES } from './roles.ts';

/**
 * Property (issue #4): no endpoint ever returns a person outside the caller's jurisdiction. A small
 * population spread over Beijing, Tianjin and Guangdong — some living away from their hukou
 * (residence registration), some with an open ID card application elsewhere, some with an open
 * interprovincial transfer applied for at the destination — is read by officers
 * at authorities of every level through every GET endpoint that returns personal data. Each answer
 * must be exactly what the rules of docs/access.md allow, computed here without SQL: 200 with that
 * person (and only households in area) when visible, 404 otherwise.
 */

const clock = movableClock('2026-03-02T04:00:00Z');
const t = useTestApp({ clock });

interface Resident {
  idNumber: string;
  name: string;
  householdNumber: string;
  countyCode: string;
  townshipCode: string;
  /** Station of an open residence registration away from the hukou city. */
  residenceAuthority: string | null;
  /** Open ID card applications: accepting authority and hukou-place station. */
  applications: { id: string; accepting: string; hukou: string }[];
  /** Open interprovincial transfers (applied at the destination): the destination household's place. */
  transfers: { id: string; countyCode: string; townshipCode: string }[];
}

const residents: Resident[] = [];
const officers: (TestAccount & { area: Area })[] = [];
const SURNAMES = ['赵', '钱', '孙', '李', '周', '吴', '郑', '王', '冯', '陈'];
const GIVEN = ['子涵', '思远', '雨桐', '浩然'];

const OFFICER_AUTHORITIES = [
  'mps',
  'prov-110000',
  'county-110105',
  'station-110105001',
  'station-110105002',
  'county-110108',
  'prov-120000',
  'county-120101',
  'prov-440000',
  'pref-440300',
  'county-440305',
  'station-440305001',
];

beforeAll(async () => {
  const ctx = testContext(t.tdb.db, clock);
  const townships = await sql<{ code: string }>`
    select min(code) as code from township where county_code in ('110105', '110108', '120101', '440305', '440306') group by county_code
    union select '110105002' order by code`.execute(t.tdb.db);
  for (const { code } of townships.rows) {
    for (let i = 0; i < 2; i++) {
      const n = residents.length;
      const name = `${SURNAMES[n % SURNAMES.length]}${GIVEN[Math.floor(n / SURNAMES.length)]}`;
      const f = await newFamily(ctx, { township: code, name });
      residents.push({ idNumber: f.head.idNumber, name, householdNumber: f.householdNumber, countyCode: code.slice(0, 6), townshipCode: code, residenceAuthority: null, applications: [], transfers: [] });
    }
  }
  const inCounty = (county: string) => residents.filter((r) => r.countyCode === county);
  // Living away from the hukou city: residence registered at a station of another city.
  const moves: [Resident, string][] = [
    [inCounty('110105')[0]!, 'station-440305001'],
    [inCounty('440305')[1]!, 'station-110105002'],
    [inCounty('120101')[0]!, `station-${inCounty('110108')[0]!.townshipCode}`],
  ];
  for (const [r, station] of moves) {
    await registerResidence(ctx, { idNumber: r.idNumber, authorityId: station, address: '租住路1号' });
    r.residenceAuthority = station;
  }
  // ID cards handled anywhere: an application accepted far from the hukou place.
  const applications: [Resident, string][] = [
    [inCounty('110105')[1]!, 'station-440305001'],
    [inCounty('440306')[0]!, 'county-120101'],
  ];
  for (const [r, accepting] of applications) {
    const app = await applyForCard(ctx, { idNumber: r.idNumber, kind: 'first', authorityId: accepting });
    r.applications.push({ id: app.id, accepting, hukou: `station-${r.townshipCode}` });
  }
  // Hukou transfer done at the destination: applied there, still open (the person is still registered at the origin).
  const transfers: [Resident, string][] = [
    [inCounty('110108')[1]!, inCounty('440306')[1]!.townshipCode],
    [inCounty('440305')[0]!, inCounty('120101')[1]!.townshipCode],
  ];
  for (const [r, township] of transfers) {
    const destination = await newFamily(ctx, { township, name: '迁入户主' });
    const transfer = await applyTransfer(ctx, { idNumber: r.idNumber, destinationHouseholdNumber: destination.householdNumber, relationship: '99', category: 'other' });
    r.transfers.push({ id: transfer.id, countyCode: township.slice(0, 6), townshipCode: township });
  }
  for (const [i, authorityId] of OFFICER_AUTHORITIES.entries()) {
    const account = await sessionAs(t.app, t.tdb.db, clock, { role: OFFICER_ROLES[i % OFFICER_ROLES.length]!, authorityId });
    officers.push({ ...account, area: authorityArea(authorityId)! });
  }
});

/** Which authorities' acts the officer answers for (pure). */
const within = (area: Area, authorityId: string) => areaWithin(authorityArea(authorityId)!, area);
const householdInArea = (area: Area, r: Resident) => areaContains(area, { countyCode: r.countyCode, townshipCode: r.townshipCode });

/** docs/access.md, "A person is visible to an officer when …", without SQL. */
function visible(area: Area, r: Resident, purpose: string | null): boolean {
  if (householdInArea(area, r)) return true;
  if (r.residenceAuthority && within(area, r.residenceAuthority)) return true;
  if (r.transfers.some((tr) => purpose === `application:${tr.id}` && areaContains(area, tr))) return true;
  return r.applications.some((a) => purpose === `application:${a.id}` && (within(area, a.accepting) || within(area, a.hukou)));
}

type Endpoint = 'person' | 'identity' | 'household' | 'search' | 'application' | 'transfer';

describe('no endpoint returns a person outside the caller’s jurisdiction', () => {
  it('sanity: the population spans three provinces, lives away from home, has applications elsewhere', () => {
    expect(new Set(residents.map((r) => r.countyCode.slice(0, 2)))).toEqual(new Set(['11', '12', '44']));
    expect(residents.filter((r) => r.residenceAuthority)).toHaveLength(3);
    expect(residents.filter((r) => r.applications.length)).toHaveLength(2);
    expect(residents.filter((r) => r.transfers.length)).toHaveLength(2);
    expect(officers).toHaveLength(OFFICER_AUTHORITIES.length);
  });

  it('property: random officer × person × endpoint × purpose → exactly the visible ones, never anyone else', async () => {
    const withApplications = residents.flatMap((r) => [...r.applications.map((a) => a.id), ...r.transfers.map((tr) => tr.id)]);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: officers.length - 1 }),
        fc.integer({ min: 0, max: residents.length - 1 }),
        fc.constantFrom<Endpoint>('person', 'identity', 'household', 'search', 'application', 'transfer'),
        fc.oneof(fc.constant('case:PROP-1'), fc.constantFrom(...withApplications.map((id) => `application:${id}`))),
        async (o, p, endpoint, purpose) => {
          const officer = officers[o]!;
          const r = residents[p]!;
          // a purpose naming an application must name one concerning the person read (issue #12 §6): checked
          // on the person endpoints below; the other endpoints state a purpose that concerns their record
          const concerns = !purpose.startsWith('application:') || [...r.applications, ...r.transfers].some((a) => purpose === `application:${a.id}`);
          const personEndpoint = endpoint === 'person' || endpoint === 'identity';
          const headers = { ...officer.headers, 'x-purpose': personEndpoint || concerns ? purpose : 'case:PROP-1' };
          const get = (url: string) => t.app.inject({ url: `/api/v1${url}`, headers });
          if (endpoint === 'person' || endpoint === 'identity') {
            const res = await get(endpoint === 'person' ? `/persons/${r.idNumber}` : `/persons/${r.idNumber}/identity`);
            const expected = visible(officer.area, r, purpose);
            if (expected && !concerns) {
              expect(res.statusCode, `${officer.authorityId} ${endpoint} ${r.idNumber} ${purpose}: ${res.body.slice(0, 200)}`).toBe(400);
              expect(res.json().error.code).toBe('PURPOSE_UNKNOWN_APPLICATION');
              return;
            }
            expect(res.statusCode, `${officer.authorityId} ${endpoint} ${r.idNumber} ${purpose}: ${res.body.slice(0, 200)}`).toBe(expected ? 200 : 404);
            if (!expected) {
              expect(res.json().error.code).toBe('PERSON_NOT_FOUND');
              return;
            }
            const body = res.json();
            expect(body.person.idNumber).toBe(r.idNumber);
            if (endpoint === 'person') {
              // the household (and its other members) only when it is in the area
              expect(body.householdWithheld).toBe(!householdInArea(officer.area, r));
              expect(body.household?.householdNumber ?? null).toBe(householdInArea(officer.area, r) ? r.householdNumber : null);
            }
          } else if (endpoint === 'household') {
            const res = await get(`/households/${r.householdNumber}`);
            const expected = householdInArea(officer.area, r);
            expect(res.statusCode).toBe(expected ? 200 : 404);
            if (expected) expect(res.json().members.map((m: { idNumber: string }) => m.idNumber)).toEqual([r.idNumber]);
          } else if (endpoint === 'search') {
            // a search states a case (an application purpose must concern the persons it returns, issue #12 §6)
            const search = (url: string) => t.app.inject({ url: `/api/v1${url}`, headers: { ...officer.headers, 'x-purpose': 'case:PROP-SEARCH' } });
            const res = await search(`/persons?name=${encodeURIComponent(r.name)}`);
            expect(res.statusCode).toBe(200);
            // search states no application purpose: hukou or residence in the area only
            const found = visible(officer.area, r, null);
            expect(res.json().results).toHaveLength(found ? 1 : 0);
            // the hukou county only when the household is in the area, and only then searchable by it
            if (found) expect(res.json().results[0].countyCode).toBe(householdInArea(officer.area, r) ? r.countyCode : null);
            const byDivision = await search(`/persons?name=${encodeURIComponent(r.name)}&division=${r.countyCode}`);
            expect(byDivision.json().results).toHaveLength(householdInArea(officer.area, r) ? 1 : 0);
          } else if (endpoint === 'transfer') {
            const transfer = r.transfers[0];
            if (!transfer) return;
            // both ends see the transfer and its trail: the origin household's area and the destination's
            const res = await get(`/transfers/${transfer.id}`);
            const expected = householdInArea(officer.area, r) || areaContains(officer.area, transfer);
            expect(res.statusCode, `${officer.authorityId} transfer of ${r.idNumber}: ${res.body.slice(0, 200)}`).toBe(expected ? 200 : 404);
            if (expected) expect(res.json().person.idNumber).toBe(r.idNumber);
          } else {
            const app = r.applications[0];
            if (!app) return;
            const res = await get(`/id-card-applications/${app.id}`);
            const expected = within(officer.area, app.accepting) || within(officer.area, app.hukou);
            expect(res.statusCode).toBe(expected ? 200 : 404);
            if (expected) expect(res.json().idNumber).toBe(r.idNumber);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('search finds a resident through their residence but shows neither their hukou county nor matches it as a division', async () => {
    const r = residents.find((x) => x.residenceAuthority === 'station-440305001')!;
    const shenzhen = officers.find((o) => o.authorityId === 'station-440305001')!;
    const search = (query: string) => t.app.inject({ url: `/api/v1/persons?${query}`, headers: { ...shenzhen.headers, 'x-purpose': 'case:SEARCH-1' } });
    const byName = (await search(`name=${encodeURIComponent(r.name)}`)).json();
    expect(byName.results).toHaveLength(1);
    expect(byName.results[0].countyCode).toBeNull();
    expect((await search(`name=${encodeURIComponent(r.name)}&division=${r.countyCode}`)).json().results).toEqual([]);
  });

  it('an open transfer is seen at both ends; the destination sees the person only for that transfer', async () => {
    const r = residents.find((x) => x.transfers.length && x.countyCode === '110108')!;
    const transfer = r.transfers[0]!;
    expect(transfer.countyCode).toBe('440306');
    const as = (authorityId: string) => officers.find((o) => o.authorityId === authorityId)!;
    const read = (who: string, url: string, purpose: string) => t.app.inject({ url: `/api/v1${url}`, headers: { ...as(who).headers, 'x-purpose': purpose } });
    expect((await read('pref-440300', `/transfers/${transfer.id}`, 'case:T-1')).statusCode).toBe(200); // destination
    expect((await read('county-110108', `/transfers/${transfer.id}`, 'case:T-1')).statusCode).toBe(200); // origin
    expect((await read('county-440305', `/transfers/${transfer.id}`, 'case:T-1')).statusCode).toBe(404); // neither
    expect((await read('pref-440300', `/persons/${r.idNumber}`, `application:${transfer.id}`)).statusCode).toBe(200);
    expect((await read('pref-440300', `/persons/${r.idNumber}`, 'case:T-1')).statusCode).toBe(404);
  });

  it('the application rule holds only for the application named, and only while it is open', async () => {
    const r = residents.find((x) => x.applications.length && x.countyCode === '110105')!;
    const app = r.applications[0]!;
    const shenzhen = officers.find((o) => o.authorityId === 'station-440305001')!;
    const read = (purpose: string) => t.app.inject({ url: `/api/v1/persons/${r.idNumber}`, headers: { ...shenzhen.headers, 'x-purpose': purpose } });
    expect((await read(`application:${app.id}`)).statusCode).toBe(200);
    expect((await read('case:NOT-THE-APPLICATION')).statusCode).toBe(404);
    await t.tdb.db.updateTable('id_card_application').set({ state: 'rejected', decision_reason: 'test: closed' }).where('id', '=', app.id).execute();
    expect((await read(`application:${app.id}`)).statusCode).toBe(404);
    await t.tdb.db.updateTable('id_card_application').set({ state: 'accepted', decision_reason: null }).where('id', '=', app.id).execute();
  });
});
