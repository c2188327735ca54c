import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/db.ts';
import { SYSTEM_ACTOR, type Actor } from '../access/index.ts';
import { ctxOn, newPerson, refusal, station } from '../../test/persons.ts';
import { fixedClock } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { getPerson } from '../registry/index.ts';
import { serviceCatalog } from './catalog.ts';
import { acceptApplication, approveApplication, completeApplication, startReview, type StepDeps } from './steps.service.ts';
import { submitApplication } from './submit.service.ts';
import { loadWorkingCalendar } from './working-days.ts';

/** The approval's register effects (saga steps keyed by the application), through the services. */
const tdb = useTestDatabase();

const TODAY = '2026-11-26';
const SICHUAN = '510104017';
const officer: Actor = { id: 'user:9001', role: 'registration_officer', authorityId: 'county-510104' };
const as = (actor: Actor): ServiceContext => ({ db: tdb.db, clock: fixedClock(`${TODAY}T04:00:00Z`), actor });
const deps = (): StepDeps => ({ catalog: serviceCatalog(), calendar: loadWorkingCalendar(), certificateIssuer: null });

async function toReview(serviceCode: string, subjectIdNumber: string, facts: Record<string, unknown>) {
  const a = await submitApplication(as(officer), serviceCatalog(), { serviceCode, subjectIdNumber, acceptingAuthorityId: station(SICHUAN), facts });
  await acceptApplication(as(officer), deps(), { trackingNumber: a.trackingNumber! });
  await startReview(as(officer), { trackingNumber: a.trackingNumber! });
  return a.trackingNumber!;
}

describe('register effects of approvals', () => {
  it('registers a death on approval, once; completion does not repeat it', async () => {
    const person = await newPerson(tdb.db, { birthDate: '1940-01-01', township: SICHUAN });
    const tn = await toReview('death_registration', person.idNumber, { deathDate: '2026-11-20' });
    const approved = await approveApplication(as(officer), deps(), { trackingNumber: tn });
    expect(approved.outcome).toMatchObject({ effect: 'death', status: 'done', approvedBy: officer.id });
    const view = await getPerson(ctxOn(tdb.db, TODAY), person.idNumber);
    expect(view.person).toMatchObject({ status: 'deceased', deathDate: '2026-11-20' });
    const done = await completeApplication(as(officer), { trackingNumber: tn });
    expect(done.state).toBe('completed');
  });

  it('registers a birth into the applicant parent’s household on approval', async () => {
    const parent = await newPerson(tdb.db, { birthDate: '1995-05-05', township: SICHUAN });
    const tn = await toReview('birth_registration', parent.idNumber, { name: '李小宝', sex: '2', birthDate: '2026-11-01', ethnicity: '01', relationship: '30' });
    const approved = await approveApplication(as(officer), deps(), { trackingNumber: tn });
    expect(approved.outcome).toMatchObject({ effect: 'birth', status: 'done', register: { householdNumber: parent.householdNumber } });
    const child = await getPerson({ db: tdb.db, clock: fixedClock(`${TODAY}T04:00:00Z`), actor: SYSTEM_ACTOR }, String((approved.outcome!.register as { idNumber: string }).idNumber));
    expect(child.person).toMatchObject({ name: '李小宝', birthDate: '2026-11-01' });
  });

  it('refuses a death registration without a death date, writing nothing', async () => {
    const person = await newPerson(tdb.db, { birthDate: '1941-01-01', township: SICHUAN });
    const e = await refusal(submitApplication(as(officer), serviceCatalog(), { serviceCode: 'death_registration', subjectIdNumber: person.idNumber, acceptingAuthorityId: station(SICHUAN) }));
    expect(e.code).toBe('VALIDATION_FAILED');
    const n = await tdb.db.selectFrom('application').select((eb) => eb.fn.countAll<number>().as('n')).where('subject_id_number', '=', person.idNumber).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });

  it('refuses a certificate approval without an issuer, leaving it in review', async () => {
    const person = await newPerson(tdb.db, { birthDate: '1970-01-01', township: SICHUAN });
    const tn = await toReview('household_certificate_registration', person.idNumber, {});
    expect((await refusal(approveApplication(as(officer), deps(), { trackingNumber: tn }))).code).toBe('CERTIFICATE_ISSUER_UNAVAILABLE');
  });
});
