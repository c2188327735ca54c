import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { movableClock, sessionAs, type TestAccount } from '../../test/access-fixtures.ts';
import { ctxOn, newPerson, PLACE, station, type TestPerson } from '../../test/persons.ts';
import { registerDeath } from '../registry/index.ts';
import { applyForPermit, registerResidence } from './index.ts';

/**
 * Residence through the API, as accounts: accepted at the officer's own counter, decided where it
 * was accepted, and the person visible to the residence place only while the registration is open.
 */

const TODAY = '2026-11-26';
const clock = movableClock(`${TODAY}T04:00:00Z`);
const t = useTestApp({ clock });
const BEIJING = station(PLACE.beijingChaoyang);

let counter: TestAccount;
let registrar: TestAccount;
let shenzhen: TestAccount;
let person: TestPerson;
let registrationId: string;
let permitId: string;

beforeAll(async () => {
  counter = await sessionAs(t.app, t.tdb.db, clock, { role: 'counter_officer', authorityId: 'county-110105' });
  registrar = await sessionAs(t.app, t.tdb.db, clock, { role: 'registration_officer', authorityId: 'county-110105' });
  shenzhen = await sessionAs(t.app, t.tdb.db, clock, { role: 'registration_officer', authorityId: 'county-440305' });
  person = await newPerson(t.tdb.db, { birthDate: '1995-05-05' });
  registrationId = (await registerResidence(ctxOn(t.tdb.db, '2025-01-01'), { idNumber: person.idNumber, authorityId: BEIJING, address: '光华路2号' })).id;
  permitId = (await applyForPermit(ctxOn(t.tdb.db, '2025-07-10'), { idNumber: person.idNumber, authorityId: BEIJING, basis: 'employment', basisEvidence: '劳动合同' })).id;
});

function call(who: TestAccount, method: 'GET' | 'POST', url: string, body?: object): Promise<LightMyRequestResponse> {
  return t.app.inject({ method, url: `/api/v1${url}`, headers: { ...who.headers, 'x-purpose': 'case:RES-1' }, ...(body ? { payload: body } : {}) });
}

const code = (res: LightMyRequestResponse) => (res.json() as { error?: { code: string } }).error?.code;

describe('residence permits answer to accounts and jurisdiction', () => {
  it('are issued by a registration officer where they were accepted: a counter officer is 403, another area 404', async () => {
    expect(code(await call(counter, 'POST', `/residence-permits/${permitId}/issue`))).toBe('FORBIDDEN');
    const elsewhere = await call(shenzhen, 'POST', `/residence-permits/${permitId}/issue`);
    expect(elsewhere.statusCode).toBe(404);
    expect(code(elsewhere)).toBe('RESIDENCE_PERMIT_NOT_FOUND');
    const issued = await call(registrar, 'POST', `/residence-permits/${permitId}/issue`);
    expect(issued.statusCode, issued.body).toBe(200);
    expect(issued.json()).toMatchObject({ id: permitId, status: 'valid', issuedOn: TODAY });
  });

  it('endorsements are made at the officer’s own counter', async () => {
    const foreign = await call(counter, 'POST', `/residence-permits/${permitId}/endorsements`, { authorityId: station(PLACE.shenzhenNanshan) });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.details).toEqual([expect.objectContaining({ field: 'authorityId', code: 'NOT_YOUR_AUTHORITY' })]);
    expect(code(await call(counter, 'POST', `/residence-permits/${permitId}/endorsements`, { authorityId: BEIJING }))).toBe('ENDORSEMENT_NOT_DUE');
  });

  it('the residence place sees the resident while the registration is open, and only then', async () => {
    expect((await call(counter, 'GET', `/persons/${person.idNumber}/identity`)).statusCode).toBe(200);
    expect(code(await call(shenzhen, 'POST', `/residence-registrations/${registrationId}/end`, { reason: '离开北京' }))).toBe('RESIDENCE_REGISTRATION_NOT_FOUND');
    const ended = await call(counter, 'POST', `/residence-registrations/${registrationId}/end`, { reason: '离开北京' });
    expect(ended.statusCode, ended.body).toBe(200);
    const after = await call(counter, 'GET', `/persons/${person.idNumber}/identity`);
    expect(after.statusCode).toBe(404);
    expect(code(after)).toBe('PERSON_NOT_FOUND');
  });
});

describe('a refused registration or permit discloses nothing of a person outside the counter\'s area', () => {
  it('names neither where they live, nor their hukou station, nor their death date', async () => {
    const db = t.tdb.db;
    // Hukou in Guangzhou, resident in Shenzhen: not visible to the Chaoyang counter.
    const shenzhenResident = await newPerson(db, { birthDate: '1992-02-02' });
    await registerResidence(ctxOn(db, '2025-01-01'), { idNumber: shenzhenResident.idNumber, authorityId: station(PLACE.shenzhenNanshan), address: '南头路2号' });
    // Hukou in Haidian (Beijing, another county): also not visible to the Chaoyang counter.
    const haidian = await newPerson(db, { birthDate: '1993-03-03', township: '110108001' });
    const deceased = await newPerson(db, { birthDate: '1950-05-05' });
    const version = (await db.selectFrom('person').select('version').where('id_number', '=', deceased.idNumber).executeTakeFirstOrThrow()).version;
    await registerDeath(ctxOn(db, '2026-01-09'), { idNumber: deceased.idNumber, expectedVersion: version, deathDate: '2026-01-07' });
    for (const p of [shenzhenResident, haidian, deceased]) expect(code(await call(counter, 'GET', `/persons/${p.idNumber}`))).toBe('PERSON_NOT_FOUND');

    const noRegistration = await call(counter, 'POST', '/residence-permits', { idNumber: shenzhenResident.idNumber, authorityId: BEIJING, basis: 'employment', basisEvidence: '劳动合同' });
    expect(code(noRegistration)).toBe('NO_RESIDENCE_REGISTRATION');
    expect(noRegistration.body).not.toContain('440300');

    const hukouCity = await call(counter, 'POST', '/residence-registrations', { idNumber: haidian.idNumber, authorityId: BEIJING, address: '光华路3号' });
    expect(code(hukouCity)).toBe('RESIDENCE_IN_HUKOU_CITY');
    expect(hukouCity.body).not.toContain('110108001');

    const dead = await call(counter, 'POST', '/residence-registrations', { idNumber: deceased.idNumber, authorityId: BEIJING, address: '光华路4号' });
    expect(code(dead)).toBe('PERSON_DECEASED');
    expect(dead.body).not.toContain('2026-01-07');
  });
});
