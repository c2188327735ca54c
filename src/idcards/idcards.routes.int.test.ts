import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { useTestApp } from '../../test/app.ts';
import { movableClock, sessionAs, type TestAccount } from '../../test/access-fixtures.ts';
import { applyForPermit, endorsePermit, issuePermit, registerResidence } from '../residence/index.ts';
import { applyForCard } from './apply.service.ts';
import { confirmApplication, deliverCard } from './decide.service.ts';
import { ctxOn, newPerson, PLACE, station, type TestPerson } from '../../test/persons.ts';

const TODAY = '2026-11-26';
const clock = movableClock(`${TODAY}T04:00:00Z`);
const t = useTestApp({ clock });
const BEIJING = station(PLACE.beijingChaoyang);
/** A counter officer of the Chaoyang county bureau (accepts at BEIJING), a registration officer of the Liwan bureau (the hukou place), a bank. */
let counter: TestAccount;
let hukouPlace: TestAccount;
let bank: TestAccount;

beforeAll(async () => {
  counter = await sessionAs(t.app, t.tdb.db, clock, { role: 'counter_officer', authorityId: 'county-110105' });
  hukouPlace = await sessionAs(t.app, t.tdb.db, clock, { role: 'registration_officer', authorityId: 'county-440103' });
  bank = await sessionAs(t.app, t.tdb.db, clock, { role: 'department_client' });
});

/** A call as `who` (default: the Beijing counter officer), stating a case as purpose. */
async function call(method: 'GET' | 'POST', url: string, body?: unknown, who?: TestAccount): Promise<LightMyRequestResponse> {
  const headers = { ...(who ?? counter).headers, 'x-purpose': 'case:CARD-TEST-1' };
  return t.app.inject({ method, url: `/api/v1${url}`, headers, ...(body === undefined ? {} : { payload: body as object }) });
}

async function ok<T = Record<string, any>>(res: LightMyRequestResponse, status = 200): Promise<T> {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

function errorCode(res: LightMyRequestResponse): string {
  return (res.json() as { error: { code: string } }).error.code;
}

describe('authentication', () => {
  it('refuses every route without credentials, before reading the body', async () => {
    for (const [method, url] of [
      ['POST', '/api/v1/id-card-applications'],
      ['POST', '/api/v1/id-cards/check'],
      ['POST', '/api/v1/id-cards/loss-reports'],
      ['GET', '/api/v1/persons/11010519491231002X/identity'],
      ['POST', '/api/v1/residence-registrations'],
      ['POST', '/api/v1/residence-permits/6f1c3c2e-1b7a-4d7e-9a59-0c1f2e3d4b5a/endorsements'],
    ] as const) {
      const res = await t.app.inject({ method, url, payload: { junk: true } });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
    }
  });
});

describe('a permit holder living in Beijing with a Guangzhou hukou, through the API', () => {
  let person: TestPerson;
  let permitId: string;
  beforeAll(async () => {
    const db = t.tdb.db;
    person = await newPerson(db, { birthDate: '1996-04-04' });
    await registerResidence(ctxOn(db, '2025-01-01'), { idNumber: person.idNumber, authorityId: BEIJING, address: '光华路1号' });
    const permit = await applyForPermit(ctxOn(db, '2025-07-10'), { idNumber: person.idNumber, authorityId: BEIJING, basis: 'employment', basisEvidence: '劳动合同' });
    permitId = permit.id;
    await issuePermit(ctxOn(db, '2025-07-20'), { permitId });
    await endorsePermit(ctxOn(db, '2026-07-01'), { permitId, authorityId: BEIJING });
  });

  it('applies, confirms, delivers; the check answers only yes/no and a reference; a loss report turns it to no', async () => {
    const app = await ok(await call('POST', '/id-card-applications', { idNumber: person.idNumber, kind: 'first', authorityId: BEIJING }), 201);
    expect(app).toMatchObject({ kind: 'first', state: 'accepted', scope: 'interprovincial', ageOnApplication: 30, validityMonths: 240, late: true, dueOn: '2027-01-25' });
    expect(app.hukouAuthorityId).toBe(station(PLACE.guangzhouLiwan));

    // The hukou place confirms (the accepting counter may not); the accepting authority delivers.
    expect(errorCode(await call('POST', `/id-card-applications/${app.id}/confirm`))).toBe('FORBIDDEN');
    const confirmed = await ok(await call('POST', `/id-card-applications/${app.id}/confirm`, undefined, hukouPlace));
    expect(confirmed.card).toMatchObject({ status: 'valid', validFrom: TODAY, validUntil: '2046-11-26' });
    expect(errorCode(await call('POST', `/id-card-applications/${app.id}/deliver`, undefined, hukouPlace))).toBe('FORBIDDEN');
    const delivered = await ok(await call('POST', `/id-card-applications/${app.id}/deliver`));
    expect(delivered.application).toMatchObject({ state: 'delivered', deliveredOn: TODAY, overdue: false });

    const yes = await ok(await call('POST', '/id-cards/check', { idNumber: person.idNumber, validFrom: TODAY }, bank));
    expect(Object.keys(yes).sort()).toEqual(['reference', 'valid']);
    expect(yes.valid).toBe(true);

    await ok(await call('POST', '/id-cards/loss-reports', { idNumber: person.idNumber, authorityId: BEIJING }), 201);
    const no = await ok(await call('POST', '/id-cards/check', { idNumber: person.idNumber, validFrom: TODAY }, bank));
    expect(no.valid).toBe(false);
    expect(no.reference).not.toBe(yes.reference);

    const reissue = await ok(await call('POST', '/id-card-applications', { idNumber: person.idNumber, kind: 'reissue', authorityId: BEIJING }), 201);
    expect(reissue).toMatchObject({ scope: 'interprovincial', residencePermitId: permitId, fee: { standardYuan: 40, dueYuan: 40, waiver: null } });
  });

  it('shows one identity: card status and history, residence, permit, endorsements, facts', async () => {
    const v = await ok(await call('GET', `/persons/${person.idNumber}/identity`));
    expect(v.person).toEqual({ idNumber: person.idNumber, name: person.name, birthDate: '1996-04-04', status: 'active', hukouAuthorityId: station(PLACE.guangzhouLiwan) });
    expect(v.idCard.status).toBe('reported_lost');
    expect(v.idCard.applications.map((a: { kind: string; state: string }) => [a.kind, a.state])).toEqual([
      ['reissue', 'accepted'],
      ['first', 'delivered'],
    ]);
    expect(v.idCard.events.map((e: { kind: string }) => e.kind)).toEqual([
      'application_accepted',
      'loss_reported',
      'card_delivered',
      'card_issued',
      'application_confirmed',
      'application_accepted',
    ]);
    expect(new Set(v.idCard.events.map((e: { scope: string }) => e.scope))).toEqual(new Set(['interprovincial']));
    expect(v.residence.registrations).toHaveLength(1);
    expect(v.residence.permits[0]).toMatchObject({ id: permitId, status: 'valid', endorsement: { status: 'not_due', anniversary: '2027-07-20' } });
    expect(v.residence.endorsements).toEqual([expect.objectContaining({ endorsedOn: '2026-07-01', late: false, anniversary: '2026-07-20' })]);
    expect(v.residence.facts).toMatchObject({ cityCode: '110000', residenceYears: 1, continuousResidence: true, residenceCountedFrom: '2025-01-01' });

    // The read is in the access log, under the person whose data left.
    const personId = (await t.tdb.db.selectFrom('person').select('id').where('id_number', '=', person.idNumber).executeTakeFirstOrThrow()).id;
    const entry = await t.tdb.db.selectFrom('access_log').select(['action', 'subject_ref', 'person_ids', 'actor_id']).where('action', '=', 'identity.read').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'identity.read', subject_ref: person.idNumber, actor_id: counter.actorId });
    expect(entry.person_ids.map(Number)).toEqual([personId]);
  });
});

describe('idempotency keys through the API', () => {
  let colleague: TestAccount;
  let person: TestPerson;
  beforeAll(async () => {
    colleague = await sessionAs(t.app, t.tdb.db, clock, { role: 'counter_officer', authorityId: 'county-110105' });
    person = await newPerson(t.tdb.db, { birthDate: '1993-09-09' });
  });

  async function rows(table: 'id_card_application' | 'id_card_event' | 'residence_registration' | 'residence_event'): Promise<number> {
    const { id } = await t.tdb.db.selectFrom('person').select('id').where('id_number', '=', person.idNumber).executeTakeFirstOrThrow();
    return Number((await t.tdb.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).where('person_id', '=', id).executeTakeFirstOrThrow()).n);
  }

  it('a retry with the same idempotencyKey gets the first answer and writes nothing; another operation is 409, another account is answered afresh', async () => {
    const body = { idNumber: person.idNumber, kind: 'first', authorityId: BEIJING, idempotencyKey: 'api-apply-1' };
    const first = await ok(await call('POST', '/id-card-applications', body), 201);
    const events = await rows('id_card_event');
    expect(await ok(await call('POST', '/id-card-applications', body), 201)).toEqual(first);
    expect(await rows('id_card_application')).toBe(1);
    expect(await rows('id_card_event')).toBe(events);

    // Steps that take no body take a key-only body; without a body they work as before.
    const confirmed = await ok(await call('POST', `/id-card-applications/${first.id}/confirm`, { idempotencyKey: 'api-confirm-1' }, hukouPlace));
    expect(confirmed.card).toMatchObject({ status: 'valid', validFrom: TODAY });
    expect(await ok(await call('POST', `/id-card-applications/${first.id}/confirm`, { idempotencyKey: 'api-confirm-1' }, hukouPlace))).toEqual(confirmed);
    expect(await rows('id_card_event')).toBe(events + 2);

    const reused = await call('POST', '/id-cards/loss-reports', { idNumber: person.idNumber, authorityId: BEIJING, idempotencyKey: 'api-apply-1' });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { idempotencyKey: 'api-apply-1', operation: 'applyForCard' } });
    expect(await rows('id_card_event')).toBe(events + 2);

    const colleagues = await call('POST', '/id-card-applications', body, colleague);
    expect(colleagues.statusCode).toBe(409);
    expect(errorCode(colleagues)).toBe('APPLICATION_IN_PROGRESS');

    const registration = { idNumber: person.idNumber, authorityId: BEIJING, address: '光华路3号', idempotencyKey: 'api-register-1' };
    const registered = await ok(await call('POST', '/residence-registrations', registration), 201);
    expect(await ok(await call('POST', '/residence-registrations', registration), 201)).toEqual(registered);
    expect([await rows('residence_registration'), await rows('residence_event')]).toEqual([1, 1]);
  });

  it('refuses an empty or over-long key with 400', async () => {
    for (const idempotencyKey of ['', 'k'.repeat(101)]) {
      const res = await call('POST', '/id-cards/loss-reports', { idNumber: person.idNumber, authorityId: BEIJING, idempotencyKey });
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    }
    expect(errorCode(await call('POST', '/id-card-applications/6f1c3c2e-1b7a-4d7e-9a59-0c1f2e3d4b5a/deliver', { idempotencyKey: '' }))).toBe('VALIDATION_FAILED');
  });
});

describe('bad input', () => {
  it('answers schema errors with 400, rule violations with their codes, and writes nothing', async () => {
    const person = await newPerson(t.tdb.db, { birthDate: '2001-01-01' });
    const bad = await call('POST', '/id-card-applications', { idNumber: person.idNumber, kind: 'bogus', authorityId: BEIJING });
    expect(bad.statusCode).toBe(400);
    expect(errorCode(bad)).toBe('VALIDATION_FAILED');

    expect(errorCode(await call('POST', '/id-card-applications', { idNumber: person.idNumber, kind: 'reissue', authorityId: BEIJING }))).toBe('REISSUE_WITHOUT_LOSS_REPORT');
    expect(errorCode(await call('POST', '/id-card-applications', { idNumber: person.idNumber, kind: 'renewal', authorityId: BEIJING }))).toBe('NO_CARD_TO_RENEW');
    const unknown = await call('POST', '/id-card-applications', { idNumber: person.idNumber, kind: 'first', authorityId: 'station-110105999' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.details).toEqual([expect.objectContaining({ field: 'authorityId', code: 'UNKNOWN_AUTHORITY' })]);
    const elsewhere = await call('POST', '/id-card-applications', { idNumber: person.idNumber, kind: 'first', authorityId: station(PLACE.shenzhenNanshan) });
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().error.details).toEqual([expect.objectContaining({ field: 'authorityId', code: 'NOT_YOUR_AUTHORITY' })]);
    expect((await call('GET', '/id-card-applications/6f1c3c2e-1b7a-4d7e-9a59-0c1f2e3d4b5a')).statusCode).toBe(404);

    const reg = await ok(await call('POST', '/residence-registrations', { idNumber: person.idNumber, authorityId: BEIJING, address: '东三环1号' }), 201);
    expect(reg.registeredOn).toBe(TODAY);
    const noBasis = await call('POST', '/residence-permits', { idNumber: person.idNumber, authorityId: BEIJING });
    expect(noBasis.statusCode).toBe(422);
    expect(errorCode(noBasis)).toBe('PERMIT_BASIS_REQUIRED');
    const tooSoon = await call('POST', '/residence-permits', { idNumber: person.idNumber, authorityId: BEIJING, basis: 'study', basisEvidence: '学籍' });
    expect(tooSoon.statusCode).toBe(409);
    expect(tooSoon.json().error).toMatchObject({ code: 'RESIDENCE_TOO_SHORT', details: { eligibleFrom: '2027-05-26' } });

    const identity = await ok(await call('GET', `/persons/${person.idNumber}/identity`));
    expect(identity.idCard).toMatchObject({ status: 'none', current: null, cards: [], applications: [], events: [] });
    expect(identity.residence.permits).toEqual([]);
  });

  it('documents every route in the OpenAPI description', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, unknown> };
    for (const path of [
      '/api/v1/id-card-applications',
      '/api/v1/id-card-applications/{id}/confirm',
      '/api/v1/id-cards/check',
      '/api/v1/id-cards/loss-reports',
      '/api/v1/persons/{idNumber}/identity',
      '/api/v1/residence-registrations',
      '/api/v1/residence-permits',
      '/api/v1/residence-permits/{id}/endorsements',
    ]) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
  });
});

describe('a refused application discloses nothing of a person outside the counter\'s area', () => {
  it('names neither the registered name nor the card dates of someone the officer cannot read', async () => {
    const db = t.tdb.db;
    const person = await newPerson(db, { birthDate: '1990-08-08', name: '欧阳守秘' });
    const app = await applyForCard(ctxOn(db, '2019-05-17'), { idNumber: person.idNumber, kind: 'first', authorityId: station(PLACE.guangzhouLiwan) });
    const { card } = await confirmApplication(ctxOn(db, '2019-05-17'), { applicationId: app.id });
    await deliverCard(ctxOn(db, '2019-05-20'), { applicationId: app.id });
    expect(card).toMatchObject({ validFrom: '2019-05-17', validUntil: '2039-05-17' });
    // Hukou in Guangzhou, no residence in Beijing: the Beijing counter cannot read the person.
    expect(errorCode(await call('GET', `/persons/${person.idNumber}`))).toBe('PERSON_NOT_FOUND');

    const apply = (body: object) => call('POST', '/id-card-applications', { idNumber: person.idNumber, authorityId: BEIJING, ...body });
    const refusals = [await apply({ kind: 'renewal', reason: 'name_change' }), await apply({ kind: 'first' }), await apply({ kind: 'temporary' })];
    await applyForCard(ctxOn(db, '2026-11-02'), { idNumber: person.idNumber, kind: 'renewal', reason: 'damage', authorityId: station(PLACE.guangzhouLiwan) });
    refusals.push(await apply({ kind: 'renewal', reason: 'damage' }));
    expect(refusals.map(errorCode)).toEqual(['NAME_NOT_CHANGED', 'FIRST_CARD_ALREADY_ISSUED', 'SECOND_VALID_CARD', 'APPLICATION_IN_PROGRESS']);
    for (const res of refusals) {
      expect(res.body).not.toContain(person.name);
      for (const date of ['2019-05-17', '2039-05-17', '2026-11-02']) expect(res.body).not.toContain(date);
    }
  });
});
