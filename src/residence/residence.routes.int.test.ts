import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { movableClock, sessionAs, type TestAccount } from '../../test/access-fixtures.ts';
import { ctxOn, newPerson, PLACE, station, type TestPerson } from '../idcards/test/persons.ts';
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
