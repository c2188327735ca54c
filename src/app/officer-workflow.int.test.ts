import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { movableClock, sessionAs, type TestAccount } from '../../test/access-fixtures.ts';
import { applyForCard } from '../idcards/index.ts';
import { ctxOn, newPerson, PLACE, station, type TestPerson } from '../../test/persons.ts';
import { createHousehold } from '../registry/index.ts';
import { applyForPermit, registerResidence } from '../residence/index.ts';

/** Issue #12 §4–7 through HTTP: one vocabulary, work queues and records, honest refusals, a readable trail. */

const TODAY = '2026-11-26';
const clock = movableClock(`${TODAY}T04:00:00Z`);
const t = useTestApp({ clock });
const BEIJING = station(PLACE.beijingChaoyang);

/** A counter officer at the Beijing Jianwai station; the registration officer of the Liwan county bureau (the hukou place of the test persons). */
let counter: TestAccount;
let hukouPlace: TestAccount;
let otherHukouOfficer: TestAccount;

beforeAll(async () => {
  counter = await sessionAs(t.app, t.tdb.db, clock, { role: 'counter_officer', authorityId: BEIJING });
  hukouPlace = await sessionAs(t.app, t.tdb.db, clock, { role: 'registration_officer', authorityId: 'county-440103' });
  otherHukouOfficer = await sessionAs(t.app, t.tdb.db, clock, { role: 'registration_officer', authorityId: 'county-440103' });
});

async function call(who: TestAccount, method: 'GET' | 'POST', url: string, opts: { body?: unknown; purpose?: string | null } = {}): Promise<LightMyRequestResponse> {
  const purpose = opts.purpose === undefined ? 'case:WORKFLOW-1' : opts.purpose;
  const headers = { ...who.headers, ...(purpose === null ? {} : { 'x-purpose': purpose }) };
  return t.app.inject({ method, url: `/api/v1${url}`, headers, ...(opts.body === undefined ? {} : { payload: opts.body as object }) });
}

async function ok<T = Record<string, any>>(res: LightMyRequestResponse, status = 200): Promise<T> {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

const code = (res: LightMyRequestResponse) => (res.json() as { error: { code: string } }).error.code;

describe('one vocabulary (§4)', () => {
  it("takes the officer's own authority by default, the old field name for one release, and answers a repeated step the same way", async () => {
    const a = await newPerson(t.tdb.db, { birthDate: '2000-05-05' });
    const b = await newPerson(t.tdb.db, { birthDate: '2000-06-06' });
    const first = await ok(await call(counter, 'POST', '/id-card-applications', { body: { idNumber: a.idNumber, kind: 'first' } }), 201);
    expect(first.acceptingAuthorityId).toBe(BEIJING);
    const old = await ok(await call(counter, 'POST', '/id-card-applications', { body: { idNumber: b.idNumber, kind: 'first', acceptingAuthorityId: BEIJING } }), 201);
    expect(old.acceptingAuthorityId).toBe(BEIJING);
    const elsewhere = await call(counter, 'POST', '/id-card-applications', { body: { idNumber: b.idNumber, kind: 'temporary', authorityId: station(PLACE.guangzhouLiwan) } });
    expect(elsewhere.statusCode).toBe(403);

    // a step with no input takes no body; repeating it answers 200 with the record as it is
    const confirmed = await ok(await call(hukouPlace, 'POST', `/id-card-applications/${first.id}/confirm`));
    const again = await ok(await call(hukouPlace, 'POST', `/id-card-applications/${first.id}/confirm`));
    expect(again.card.id).toBe(confirmed.card.id);
    expect(again.application.state).toBe('confirmed');
    const delivered = await ok(await call(counter, 'POST', `/id-card-applications/${first.id}/deliver`));
    const deliveredAgain = await ok(await call(counter, 'POST', `/id-card-applications/${first.id}/deliver`));
    expect(deliveredAgain).toEqual(delivered);
    // a step the record moved past in another direction stays 409
    expect(code(await call(hukouPlace, 'POST', `/id-card-applications/${first.id}/reject`, { body: { reason: 'late' } }))).toBe('APPLICATION_STATE');
  });

  it('moves name the destination household destinationHouseholdNumber (toHouseholdNumber for one release)', async () => {
    const res = await call(hukouPlace, 'POST', '/households/440103001000001/members/11010519491231002X/move', { body: { expectedVersion: 1, relationship: '02' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'body.destinationHouseholdNumber', code: 'REQUIRED' })]);
  });
});

describe('finding work and records (§5)', () => {
  let overdueApp: string;
  let todaysApp: string;
  let person: TestPerson;
  beforeAll(async () => {
    person = await newPerson(t.tdb.db, { birthDate: '1990-01-01' });
    const late = await newPerson(t.tdb.db, { birthDate: '1991-01-01' });
    overdueApp = (await applyForCard(ctxOn(t.tdb.db, '2026-01-05'), { idNumber: late.idNumber, kind: 'first', authorityId: BEIJING })).id;
    todaysApp = (await ok(await call(counter, 'POST', '/id-card-applications', { body: { idNumber: person.idNumber, kind: 'first' } }), 201)).id;
  });

  it('lists what waits for the authority, overdue first, masked, each item opening by its href', async () => {
    const queue = await ok(await call(hukouPlace, 'GET', '/queue?kind=id_card_application', { purpose: null }));
    expect(queue.authorityId).toBe('county-440103');
    const ids = queue.items.map((i: { id: string }) => i.id);
    expect(ids.indexOf(overdueApp)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(overdueApp)).toBeLessThan(ids.indexOf(todaysApp));
    const item = queue.items.find((i: { id: string }) => i.id === todaysApp);
    expect(item).toMatchObject({ kind: 'id_card_application', step: 'confirm', overdue: false, href: `/api/v1/id-card-applications/${todaysApp}` });
    expect(item.person.maskedIdNumber).toMatch(/\*{8}/);
    expect(queue.items.find((i: { id: string }) => i.id === overdueApp).overdue).toBe(true);
    expect(JSON.stringify(queue)).not.toContain(person.idNumber);
    // the accepting counter sees nothing to confirm, and another area's queue is refused
    const counterQueue = await ok(await call(counter, 'GET', '/queue', { purpose: null }));
    expect(counterQueue.items.some((i: { id: string }) => i.id === todaysApp)).toBe(false);
    expect((await call(counter, 'GET', '/queue?authorityId=county-440103', { purpose: null })).statusCode).toBe(403);
  });

  it('reads a residence registration and a permit by id, where they are handled; lists the permit in the queue', async () => {
    const p = await newPerson(t.tdb.db, { birthDate: '1992-02-02' });
    const registration = await registerResidence(ctxOn(t.tdb.db, '2026-01-01'), { idNumber: p.idNumber, authorityId: BEIJING, address: '光华路2号' });
    const permit = await applyForPermit(ctxOn(t.tdb.db, '2026-11-20'), { idNumber: p.idNumber, authorityId: BEIJING, basis: 'employment', basisEvidence: '劳动合同' });
    expect((await ok(await call(counter, 'GET', `/residence-registrations/${registration.id}`))).address).toBe('光华路2号');
    expect((await ok(await call(counter, 'GET', `/residence-permits/${permit.id}`))).status).toBe('applied');
    const refused = await call(hukouPlace, 'GET', `/residence-permits/${permit.id}`);
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.message).toMatch(/not found among the records your authority may see/);
    const queue = await ok(await call(counter, 'GET', '/queue?kind=residence_permit', { purpose: null }));
    expect(queue.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'residence_permit', id: permit.id, step: 'issue', href: `/api/v1/residence-permits/${permit.id}` })]));
    // a residence registration is registered on the spot by default at the officer's counter; ending it twice is the same answer
    const q = await newPerson(t.tdb.db, { birthDate: '1993-03-03' });
    const reg = await ok(await call(counter, 'POST', '/residence-registrations', { body: { idNumber: q.idNumber, address: '光华路3号' } }), 201);
    expect(reg.authorityId).toBe(BEIJING);
    const ended = await ok(await call(counter, 'POST', `/residence-registrations/${reg.id}/end`, { body: { reason: 'left the city' } }));
    expect(await ok(await call(counter, 'POST', `/residence-registrations/${reg.id}/end`, { body: { reason: 'left the city' } }))).toEqual(ended);
  });

  it('a search states a purpose, and its hits carry a handle only the searching officer can open, with a purpose', async () => {
    expect(code(await call(hukouPlace, 'GET', '/persons?birthDateFrom=1990-01-01&birthDateTo=1990-01-01', { purpose: null }))).toBe('PURPOSE_REQUIRED');
    const found = await ok(await call(hukouPlace, 'GET', '/persons?birthDateFrom=1990-01-01&birthDateTo=1990-01-01'));
    const hit = found.results.find((r: { maskedIdNumber: string }) => r.maskedIdNumber.slice(-4) === person.idNumber.slice(-4));
    expect(hit.handle).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const opened = await ok(await call(hukouPlace, 'GET', `/persons/by-handle/${hit.handle}`));
    expect(opened.person.idNumber).toBe(person.idNumber);
    expect(code(await call(hukouPlace, 'GET', `/persons/by-handle/${hit.handle}`, { purpose: null }))).toBe('PURPOSE_REQUIRED');
    expect((await call(otherHukouOfficer, 'GET', `/persons/by-handle/${hit.handle}`)).statusCode).toBe(404);
    const tampered = hit.handle.slice(0, -2) + (hit.handle.endsWith('AA') ? 'BB' : 'AA');
    expect((await call(hukouPlace, 'GET', `/persons/by-handle/${tampered}`)).statusCode).toBe(404);
    clock.set(new Date(clock.now().getTime() + 16 * 60_000).toISOString());
    expect((await call(hukouPlace, 'GET', `/persons/by-handle/${hit.handle}`)).statusCode).toBe(404);
  });

  it('closes an empty household (销户) with its event; one with members is refused', async () => {
    const { household } = await createHousehold(ctxOn(t.tdb.db, TODAY), { kind: 'family', townshipCode: PLACE.guangzhouLiwan, address: '空户路1号' });
    const closed = await ok(await call(hukouPlace, 'POST', `/households/${household.householdNumber}/closure`, { body: { expectedVersion: household.version, reason: 'no members left' } }));
    expect(closed.household.status).toBe('closed');
    expect((await ok(await call(hukouPlace, 'POST', `/households/${household.householdNumber}/closure`, { body: { expectedVersion: household.version } }))).household.status).toBe('closed');
    const events = await t.tdb.db.selectFrom('registration_event').select(['kind']).where('kind', '=', 'household_closed').execute();
    expect(events).toHaveLength(1);
    expect(code(await call(hukouPlace, 'POST', `/households/${person.householdNumber}/closure`, { body: { expectedVersion: 2 } }))).toBe('HOUSEHOLD_NOT_EMPTY');
  });
});

describe('honest refusals that leak nothing (§6)', () => {
  it('out of area: not found among the records your authority may see, and what any counter can do', async () => {
    const p = await newPerson(t.tdb.db, { birthDate: '1994-04-04' });
    const res = await call(counter, 'GET', `/persons/${p.idNumber}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toMatch(/not found among the records your authority may see/);
    expect(res.json().error.message).toMatch(/id-card-applications/);
    expect(res.json().error.message).not.toMatch(/no person holds/i);
  });

  it('an application: purpose must name an existing application concerning that person', async () => {
    const p = await newPerson(t.tdb.db, { birthDate: '1995-05-05' });
    const other = await newPerson(t.tdb.db, { birthDate: '1995-06-06' });
    const mine = await applyForCard(ctxOn(t.tdb.db, TODAY), { idNumber: p.idNumber, kind: 'first', authorityId: BEIJING });
    const theirs = await applyForCard(ctxOn(t.tdb.db, TODAY), { idNumber: other.idNumber, kind: 'first', authorityId: BEIJING });
    expect(code(await call(hukouPlace, 'GET', `/persons/${p.idNumber}`, { purpose: 'application:foo' }))).toBe('PURPOSE_UNKNOWN_APPLICATION');
    expect(code(await call(hukouPlace, 'GET', `/persons/${p.idNumber}`, { purpose: `application:${theirs.id}` }))).toBe('PURPOSE_UNKNOWN_APPLICATION');
    await ok(await call(hukouPlace, 'GET', `/persons/${p.idNumber}`, { purpose: `application:${mine.id}` }));
    // the refusal is in the access log, with nothing returned
    const logged = await t.tdb.db.selectFrom('access_log').select(['outcome', 'person_ids']).where('purpose', '=', 'application:foo').execute();
    expect(logged).toEqual([{ outcome: 'PURPOSE_UNKNOWN_APPLICATION', person_ids: [] }]);
  });

  it('the OpenAPI document declares X-Purpose on the routes that take one', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> };
    for (const [path, method] of [
      ['/api/v1/persons/{idNumber}', 'get'],
      ['/api/v1/persons', 'get'],
      ['/api/v1/persons/{idNumber}/identity', 'get'],
      ['/api/v1/households/{number}', 'get'],
      ['/api/v1/persons/by-handle/{handle}', 'get'],
      ['/api/v1/transfers/{id}', 'get'],
    ] as const) {
      expect(doc.paths[path]?.[method]?.parameters?.some((p) => p.in === 'header' && p.name === 'x-purpose'), `${method} ${path}`).toBe(true);
    }
  });
});

describe("the citizen's trail and own routes (§7)", () => {
  it('shows an ID card application accepted about them, with the authority name and role in words; /me, /me/person, /me/identity', async () => {
    const p = await newPerson(t.tdb.db, { birthDate: '1996-07-07' });
    const citizen = await sessionAs(t.app, t.tdb.db, clock, { role: 'citizen', personIdNumber: p.idNumber });
    await ok(await call(counter, 'POST', '/id-card-applications', { body: { idNumber: p.idNumber, kind: 'first' } }), 201);
    const trail = await ok(await call(citizen, 'GET', '/me/access-log', { purpose: null }));
    expect(trail.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'id_card_event',
          action: 'application_accepted',
          authority: expect.stringContaining('派出所'),
          role: { en: 'counter officer', zh: '窗口民警' },
          actionWords: { en: 'accepted your ID card application', zh: '受理了您的身份证申请' },
          byYou: false,
        }),
      ]),
    );
    expect((await ok(await call(citizen, 'GET', '/me/person', { purpose: null }))).person.idNumber).toBe(p.idNumber);
    expect((await ok(await call(citizen, 'GET', '/me/identity', { purpose: null }))).idCard.applications).toHaveLength(1);
    const me = await ok(await call(citizen, 'GET', '/me', { purpose: null }));
    expect(me).toMatchObject({ role: 'citizen', personLinked: true, links: { person: '/api/v1/me/person' } });
    // own reads are not in the trail as someone else's
    const after = await ok(await call(citizen, 'GET', '/me/access-log', { purpose: null }));
    expect(after.items.filter((i: { byYou: boolean; kind: string }) => i.kind === 'access' && !i.byYou).length).toBe(trail.items.filter((i: { kind: string }) => i.kind === 'access').length);
  });
});
