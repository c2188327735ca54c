import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import type { TestDatabase } from '../../test/db.ts';
import { seedDemoAccounts, type Actor, type Purpose } from '../access/index.ts';
import { systemClock } from '../platform/clock.ts';
import { getHousehold, getPerson } from '../registry/index.ts';
import { getIdentity } from '../idcards/index.ts';
import { DEMO_PEOPLE, seedDemoPeople, type DemoPeople } from './demo-people.ts';

// the app registers the modules' person-visibility rules (residence place, applications)
const t = useTestApp();
let tdb: TestDatabase;
let people: DemoPeople;
const purpose: Purpose = { kind: 'case', ref: 'demo-walkthrough', text: 'case:demo-walkthrough' };

beforeAll(async () => {
  tdb = t.tdb;
  people = await seedDemoPeople(tdb.db);
});

const officer = (role: Actor['role'], authorityId: string): { db: TestDatabase['db']; clock: typeof systemClock; actor: Actor } => ({
  db: tdb.db,
  clock: systemClock,
  actor: { id: `user:${authorityId}`, role, authorityId },
});

describe('the demo family README uses', () => {
  it('has its hukou in Chengdu and a baby registered by birth naming both parents, in the 户口簿 the Chengdu registrar reads', async () => {
    const booklet = await getHousehold(officer('registration_officer', 'county-510104'), people.householdNumber);
    expect(booklet.authority.id).toBe(DEMO_PEOPLE.hukouStation);
    expect(booklet.members.map((m) => m.name)).toEqual(['王建川', '李梅', '王小满']);
    const baby = booklet.members.find((m) => m.name === '王小满')!;
    expect(baby.birth).toEqual({
      certificateNumber: DEMO_PEOPLE.birthCertificate,
      mother: { name: '李梅', idNumber: people.motherIdNumber, linked: true },
      father: { name: '王建川', idNumber: people.fatherIdNumber, linked: true },
    });
  });

  it('李梅 lives in Shenzhen: the Shenzhen officers see her through her residence, with a valid ID card and an issued, endorsed permit', async () => {
    const shenzhen = officer('counter_officer', DEMO_PEOPLE.residenceStation);
    const identity = await getIdentity(shenzhen, people.motherIdNumber, purpose);
    const shown = identity as unknown as {
      idCard: { status: string };
      residence: { registrations: { authorityId: string; endedOn: string | null }[]; permits: { status: string; cityCode: string }[]; endorsements: { late: boolean }[] };
    };
    expect(shown.idCard.status).toBe('valid');
    expect(shown.residence.registrations).toMatchObject([{ authorityId: DEMO_PEOPLE.residenceStation, endedOn: null }]);
    expect(shown.residence.permits).toMatchObject([{ status: 'valid', cityCode: '440300' }]);
    expect(shown.residence.endorsements).toMatchObject([{ late: false }]);
    const view = await getPerson(officer('registration_officer', 'county-440305'), people.motherIdNumber, purpose);
    expect(view.householdWithheld).toBe(true); // her household is in Chengdu, outside Shenzhen's jurisdiction
  });

  it('is created once: a second run changes nothing; the demo citizen is 李梅', async () => {
    const again = await seedDemoPeople(tdb.db);
    expect(again).toEqual(people);
    const accounts = await seedDemoAccounts(tdb.db, systemClock, { citizenIdNumber: people.motherIdNumber });
    const citizen = accounts.find((a) => a.role === 'citizen')!;
    const mother = await tdb.db.selectFrom('person').select('id').where('id_number', '=', people.motherIdNumber).executeTakeFirstOrThrow();
    expect(citizen.personId).toBe(mother.id);
    const authorities = accounts.map((a) => a.authorityId);
    expect(authorities).toEqual(expect.arrayContaining([DEMO_PEOPLE.hukouStation, 'county-510104', 'pref-510100', DEMO_PEOPLE.residenceStation, 'county-440305', 'mps', 'prov-110000']));
  });
});
