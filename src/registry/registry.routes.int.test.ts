import { beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { useTestApp } from '../../test/app.ts';
import { movableClock, sessionAs, type TestAccount } from '../../test/access-fixtures.ts';
import { maskIdNumber, SYSTEM_ACTOR } from '../access/index.ts';
import { registerResidence } from '../residence/index.ts';
import { adultIdNumber, TOWNSHIP } from '../../test/registry-fixtures.ts';

/** What HUKOU_ADMIN_TOKEN used to be: a shared secret outside the account system. */
const TOKEN = 'registry-test-token-0123456789';
const clock = movableClock('2024-06-15T04:00:00Z');
const t = useTestApp({ clock });
/** Registration officers of the Beijing and Guangdong provincial departments (their areas: the province). */
let beijing: TestAccount;
let guangdong: TestAccount;

beforeAll(async () => {
  beijing = await sessionAs(t.app, t.tdb.db, clock, { role: 'registration_officer', authorityId: 'prov-110000' });
  guangdong = await sessionAs(t.app, t.tdb.db, clock, { role: 'registration_officer', authorityId: 'prov-440000' });
});

/** A call as `who` (default: the Beijing officer), stating a case as purpose. */
async function call(method: 'GET' | 'POST', url: string, body?: unknown, who: TestAccount = beijing): Promise<LightMyRequestResponse> {
  return t.app.inject({ method, url: `/api/v1${url}`, headers: { ...who.headers, 'x-purpose': 'case:REG-TEST-1' }, ...(body === undefined ? {} : { payload: body as object }) });
}

const officerFor = (township: string) => (township.startsWith('44') ? guangdong : beijing);

async function ok<T = Record<string, any>>(res: LightMyRequestResponse, status = 200): Promise<T> {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

/** A household with a head, created through the API. */
async function family(township: string = TOWNSHIP.beijingChaoyang) {
  const who = officerFor(township);
  const { household } = await ok(await call('POST', '/households', { kind: 'family', townshipCode: township, address: '接口路1号' }, who), 201);
  const id = adultIdNumber('1', township.slice(0, 6));
  const added = await ok(
    await call(
      'POST',
      `/households/${household.householdNumber}/members`,
      {
        expectedVersion: household.version,
        relationship: '02',
        person: { idNumber: id.idNumber, name: '周建国', sex: '1', birthDate: id.birthDate, ethnicity: '01' },
      },
      who,
    ),
    201,
  );
  return { householdNumber: household.householdNumber as string, headId: id.idNumber, version: added.household.version as number };
}

describe('register API authentication', () => {
  it('refuses reads and writes without credentials: 401 UNAUTHENTICATED, before looking at the body', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/persons/11010519491231002X'],
      ['GET', '/api/v1/households/110105001000001'],
      ['GET', '/api/v1/persons?name=张'],
      ['POST', '/api/v1/households'],
      ['POST', '/api/v1/transfers/expire'],
    ] as const) {
      const res = await t.app.inject({ method, url, payload: method === 'POST' ? { nonsense: true } : undefined });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
    const wrong = await t.app.inject({ method: 'GET', url: '/api/v1/persons/11010519491231002X', headers: { authorization: 'Bearer wrong-token-0123456789' } });
    expect(wrong.statusCode).toBe(401);
  });

  it('no longer accepts a shared stopgap token: only issued API tokens and sessions authenticate', async () => {
    const f = await family();
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/households/${f.householdNumber}`, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('register API', () => {
  it('creates a household, registers a birth, and shows the 户口簿 and the person', async () => {
    const f = await family();
    const birth = await ok(
      await call('POST', `/households/${f.householdNumber}/births`, { expectedVersion: f.version, name: '周小明', sex: '1', birthDate: '2024-06-01', ethnicity: '01', relationship: '20' }),
      201,
    );
    expect(birth).toMatchObject({ person: { name: '周小明', status: 'active', version: 1 }, lateRegistration: false, registrationDue: '2024-07-01' });

    const booklet = await ok(await call('GET', `/households/${f.householdNumber}`));
    expect(booklet).toMatchObject({
      householdNumber: f.householdNumber,
      kind: 'family',
      township: { code: TOWNSHIP.beijingChaoyang, name: '建外街道' },
      authority: { id: 'station-110105001', name: '建外街道派出所' },
      head: { idNumber: f.headId, name: '周建国' },
    });
    expect(booklet.members.map((m: { relationship: string; relationshipName: string; name: string }) => [m.relationship, m.relationshipName, m.name])).toEqual([
      ['02', '户主', '周建国'],
      ['20', '子', '周小明'],
    ]);

    const person = await ok(await call('GET', `/persons/${birth.person.idNumber}`));
    expect(Object.keys(person).sort()).toEqual(['birth', 'household', 'householdWithheld', 'idNumbers', 'matched', 'person', 'timeline', 'transfers']);
    expect(person.household).toMatchObject({ householdNumber: f.householdNumber, relationship: '20' });
    expect(person.timeline[0]).toMatchObject({ kind: 'birth', legalBasis: '户口登记条例 第七条', actorId: beijing.actorId, authorityName: '建外街道派出所' });
  });

  it('finds a person by a lowercase x and says 404 PERSON_NOT_FOUND for an unknown number', async () => {
    const res = await call('GET', '/persons/11010519491231002x');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'PERSON_NOT_FOUND', details: { idNumber: '11010519491231002X' } });
    expect((await call('GET', '/households/999999999999999')).json().error.code).toBe('HOUSEHOLD_NOT_FOUND');
  });

  it('searches with masked results only', async () => {
    await family();
    const res = await ok(await call('GET', `/persons?name=${encodeURIComponent('周建')}&division=11&limit=5`));
    expect(res.results.length).toBeGreaterThan(0);
    for (const r of res.results) {
      expect(Object.keys(r).sort()).toEqual(['birthDate', 'countyCode', 'handle', 'maskedIdNumber', 'maskedName', 'sex', 'status']);
      expect(r.maskedName).toBe('周*国');
      expect(r.maskedIdNumber).toMatch(/^110105\*{8}/);
    }
    const pinyin = await ok(await call('GET', '/persons?name=zhoujianguo'));
    expect(pinyin.results.length).toBe(res.results.length);
  });

  it('answers 400 for malformed input and 422 INVALID_CODE with per-field details for unknown codes', async () => {
    const f = await family();
    const malformed = await call('POST', `/households/${f.householdNumber}/births`, { expectedVersion: 'one', name: '', sex: 'M' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('VALIDATION_FAILED');

    const res = await call('POST', `/households/${f.householdNumber}/births`, {
      expectedVersion: f.version,
      name: '周错',
      sex: '1',
      birthDate: '2024-06-01',
      ethnicity: '88',
      relationship: '98',
      nativePlaceCode: '999999',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'INVALID_CODE',
      details: expect.arrayContaining([
        { field: 'ethnicity', code: 'UNKNOWN_ETHNICITY', message: expect.any(String) },
        { field: 'relationship', code: 'UNKNOWN_RELATIONSHIP', message: expect.any(String) },
        { field: 'nativePlaceCode', code: 'UNKNOWN_DIVISION', message: expect.any(String) },
      ]),
    });
    const township = await call('POST', '/households', { kind: 'family', townshipCode: '110105999', address: 'x' });
    expect(township.statusCode).toBe(422);
    expect(township.json().error.details).toEqual([expect.objectContaining({ field: 'townshipCode', code: 'UNKNOWN_TOWNSHIP' })]);
  });

  it('answers 400 VALIDATION_FAILED for a name or address of spaces only, one detail per field', async () => {
    const f = await family();
    const birth = await call('POST', `/households/${f.householdNumber}/births`, { expectedVersion: f.version, name: '   ', sex: '1', birthDate: '2024-06-01', ethnicity: '01', relationship: '20' });
    expect(birth.statusCode).toBe(400);
    expect(birth.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'body.name' })] });
    const household = await call('POST', '/households', { kind: 'family', townshipCode: TOWNSHIP.beijingChaoyang, address: '\u3000' });
    expect(household.statusCode).toBe(400);
    expect(household.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'body.address' })] });
  });

  it('answers 409 for a stale version, a second hukou, a non-member and a deceased person', async () => {
    const a = await family();
    const b = await family(TOWNSHIP.beijingHaidian);
    const stale = await call('POST', `/households/${a.householdNumber}/births`, { expectedVersion: a.version - 1, name: '周', sex: '1', birthDate: '2024-06-01', ethnicity: '01', relationship: '20' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'VERSION_CONFLICT', details: { expectedVersion: a.version - 1, currentVersion: a.version } });

    const second = await call('POST', `/households/${b.householdNumber}/members`, { expectedVersion: b.version, relationship: '80', idNumber: a.headId });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('SECOND_HUKOU');

    const notMember = await call('POST', `/households/${b.householdNumber}/members/${a.headId}/move`, { expectedVersion: 1, destinationHouseholdNumber: a.householdNumber, relationship: '80' });
    expect(notMember.statusCode).toBe(409);
    expect(notMember.json().error.code).toBe('NOT_A_MEMBER');

    const death = await ok(await call('POST', `/persons/${a.headId}/death`, { expectedVersion: 1, deathDate: '2024-06-14' }));
    expect(death).toMatchObject({ householdNeedsNewHead: true, person: { status: 'deceased', version: 2 } });
    const deceased = await call('POST', `/households/${a.householdNumber}/members/${a.headId}/move`, { expectedVersion: 2, destinationHouseholdNumber: b.householdNumber, relationship: '80' });
    expect(deceased.statusCode).toBe(409);
    expect(deceased.json().error.code).toBe('PERSON_DECEASED');
  });

  it('moves a member, and of two concurrent moves exactly one wins while the other gets 409', async () => {
    const from = await family();
    const a = await family(TOWNSHIP.beijingHaidian);
    const b = await family(TOWNSHIP.beijingHaidian);
    const moves = await Promise.all(
      [a, b].map((to) => call('POST', `/households/${from.householdNumber}/members/${from.headId}/move`, { expectedVersion: 1, destinationHouseholdNumber: to.householdNumber, relationship: '80' })),
    );
    expect(moves.map((m) => m.statusCode).sort()).toEqual([200, 409]);
    const winner = moves.find((m) => m.statusCode === 200)!.json();
    expect(winner).toMatchObject({ person: { version: 2 }, fromNeedsNewHead: true });
    expect(moves.find((m) => m.statusCode === 409)!.json().error.code).toBe('VERSION_CONFLICT');
  });

  it('replays a write retried with the same idempotency key, writing it once', async () => {
    const body = { kind: 'collective', townshipCode: TOWNSHIP.beijingChaoyang, address: '宿舍', idempotencyKey: 'client-tx-42' };
    const first = await ok(await call('POST', '/households', body), 201);
    const second = await ok(await call('POST', '/households', body), 201);
    expect(second).toEqual(first);
  });

  it('corrects particulars and finds the person by the former number', async () => {
    const f = await family();
    const corrected = await ok(
      await call('POST', `/persons/${f.headId}/corrections`, { expectedVersion: 1, changes: { name: '周建华', sex: '2' }, reason: '公证书' }),
    );
    expect(corrected).toMatchObject({ previousIdNumber: f.headId, changed: ['name', 'sex'], person: { name: '周建华', formerNames: ['周建国'], sex: '2' } });
    const byFormer = await ok(await call('GET', `/persons/${f.headId}`));
    expect(byFormer.matched).toEqual({ idNumber: f.headId, current: false });
    expect(byFormer.person.idNumber).toBe(corrected.person.idNumber);
  });

  it('runs an interprovincial transfer through the API: apply, approve (steps run), trail at both ends', async () => {
    const origin = await family();
    const destination = await family(TOWNSHIP.shenzhenNanshan);
    const sameProvince = await call('POST', '/transfers', {
      idNumber: origin.headId,
      expectedVersion: 1,
      destinationHouseholdNumber: (await family(TOWNSHIP.beijingHaidian)).householdNumber,
      relationship: '80',
      category: 'job_transfer',
    });
    expect(sameProvince.json().error.code).toBe('TRANSFER_NOT_INTERPROVINCIAL');

    // Applied for at the destination (the Guangdong officer), for a person whose hukou is in Beijing.
    const applied = await ok(
      // no expectedVersion: the destination cannot read the person before the application exists
      await call('POST', '/transfers', { idNumber: origin.headId, destinationHouseholdNumber: destination.householdNumber, relationship: '71', category: 'job_transfer' }, guangdong),
      201,
    );
    expect(applied).toMatchObject({ state: 'applied', nextStep: 'destination_decision' });
    // With the transfer as purpose the destination now reads the person (without their Beijing household).
    const applicant = t.app.inject({ url: `/api/v1/persons/${origin.headId}`, headers: { ...guangdong.headers, 'x-purpose': `application:${applied.id}` } });
    expect((await applicant).json()).toMatchObject({ person: { idNumber: origin.headId }, household: null, householdWithheld: true });
    expect((await call('GET', `/persons/${origin.headId}`, undefined, guangdong)).json().error.code).toBe('PERSON_NOT_FOUND');
    expect((await call('POST', `/transfers/${applied.id}/approve`, {}, beijing)).json().error.code).toBe('FORBIDDEN');
    const approved = await ok(await call('POST', `/transfers/${applied.id}/approve`, {}, guangdong));
    expect(approved).toMatchObject({ stepError: null, transfer: { state: 'destination_moved_in', nextStep: null } });
    expect(approved.transfer.events).toHaveLength(8);
    expect(approved.transfer.events.filter((e: { actorId: string }) => e.actorId === 'system')).toHaveLength(4);

    const again = await ok(await call('POST', `/transfers/${applied.id}/approve`, {}, guangdong));
    expect(again.transfer.events).toHaveLength(8);
    expect((await ok(await call('POST', `/transfers/${applied.id}/advance`, undefined, guangdong))).performed).toBeNull();

    const person = await ok(await call('GET', `/persons/${origin.headId}`, undefined, guangdong));
    expect(person.household.householdNumber).toBe(destination.householdNumber);
    expect(person.transfers).toEqual([expect.objectContaining({ id: applied.id, state: 'destination_moved_in' })]);
    // Beijing no longer answers for the person, but both ends still see the transfer.
    expect((await call('GET', `/persons/${origin.headId}`)).json().error.code).toBe('PERSON_NOT_FOUND');
    expect((await ok(await call('GET', `/transfers/${applied.id}`))).state).toBe('destination_moved_in');
    expect((await call('GET', '/transfers/00000000-0000-0000-0000-000000000000')).json().error.code).toBe('TRANSFER_NOT_FOUND');
    expect((await ok(await call('POST', '/transfers/expire'))).expired).toEqual([]);
  });

  it('documents the register routes in OpenAPI with the bearer scheme', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const path of ['/api/v1/households', '/api/v1/households/{number}/births', '/api/v1/persons/{idNumber}', '/api/v1/transfers/{id}/approve']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/api/v1/persons/{idNumber}'].get.security).toEqual([{ bearerAuth: [] }]);
  });
});

describe('GET /me/household (a citizen\'s own 户口簿)', () => {
  it('shows the citizen the booklet of their household, logs the read of the other members, and is not for officers', async () => {
    const { household: created } = await ok(await call('POST', '/households', { kind: 'family', townshipCode: TOWNSHIP.beijingChaoyang, address: '户口簿路1号' }), 201);
    const head = adultIdNumber('1');
    const spouse = adultIdNumber('2');
    let r = await ok(await call('POST', `/households/${created.householdNumber}/members`, {
      expectedVersion: created.version, relationship: '02', person: { idNumber: head.idNumber, name: '户主甲', sex: '1', birthDate: head.birthDate, ethnicity: '01' },
    }), 201);
    r = await ok(await call('POST', `/households/${created.householdNumber}/members`, {
      expectedVersion: r.household.version, relationship: '10', person: { idNumber: spouse.idNumber, name: '配偶乙', sex: '2', birthDate: spouse.birthDate, ethnicity: '01' },
    }), 201);
    const citizen = await sessionAs(t.app, t.tdb.db, clock, { role: 'citizen', personIdNumber: spouse.idNumber });
    const res = await t.app.inject({ url: '/api/v1/me/household', headers: citizen.headers });
    const booklet = await ok(res);
    expect(booklet.householdNumber).toBe(created.householdNumber);
    expect(booklet.members.map((m: { idNumber: string }) => m.idNumber)).toEqual([head.idNumber, spouse.idNumber]);
    const entry = await t.tdb.db.selectFrom('access_log').select(['actor_id', 'action', 'subject_kind', 'outcome']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(entry).toEqual({ actor_id: citizen.actorId, action: 'household.read', subject_kind: 'household', outcome: 'returned' });
    expect((await t.app.inject({ url: '/api/v1/me/household', headers: beijing.headers })).json().error.code).toBe('FORBIDDEN');
    const unlinked = await sessionAs(t.app, t.tdb.db, clock, { role: 'citizen' });
    expect((await t.app.inject({ url: '/api/v1/me/household', headers: unlinked.headers })).json().error.code).toBe('HOUSEHOLD_NOT_FOUND');
  });
});

describe('what the register discloses beyond the caller\'s area', () => {
  /** Registration officers of the Chaoyang and Haidian county bureaus (same province, neither sees the other's households). */
  let chaoyang: TestAccount;
  let haidian: TestAccount;
  beforeAll(async () => {
    chaoyang = await sessionAs(t.app, t.tdb.db, clock, { role: 'registration_officer', authorityId: 'county-110105' });
    haidian = await sessionAs(t.app, t.tdb.db, clock, { role: 'registration_officer', authorityId: 'county-110108' });
  });

  it('refusing a transfer or a restored hukou names neither the household nor the death date of a person outside the area', async () => {
    const origin = await family(TOWNSHIP.beijingChaoyang);
    const receiving = await family(TOWNSHIP.beijingHaidian);
    expect((await call('GET', `/persons/${origin.headId}`, undefined, haidian)).json().error.code).toBe('PERSON_NOT_FOUND');

    const sameProvince = await call('POST', '/transfers', { idNumber: origin.headId, destinationHouseholdNumber: receiving.householdNumber, relationship: '80', category: 'job_transfer' }, haidian);
    expect(sameProvince.json().error.code).toBe('TRANSFER_NOT_INTERPROVINCIAL');
    expect(sameProvince.body).not.toContain(origin.householdNumber);
    expect(sameProvince.body).not.toContain(TOWNSHIP.beijingChaoyang);

    await ok(await call('POST', `/persons/${origin.headId}/death`, { expectedVersion: 1, deathDate: '2024-06-03' }, chaoyang));
    const restore = await call('POST', `/households/${receiving.householdNumber}/members`, { expectedVersion: receiving.version, relationship: '80', idNumber: origin.headId }, haidian);
    const transfer = await call('POST', '/transfers', { idNumber: origin.headId, destinationHouseholdNumber: (await family(TOWNSHIP.shenzhenNanshan)).householdNumber, relationship: '80', category: 'other' }, guangdong);
    for (const res of [restore, transfer]) {
      expect(res.json().error.code).toBe('PERSON_DECEASED');
      expect(res.body).not.toContain('2024-06-03');
    }
  });

  it("a person's timeline shows other persons' ID numbers only when their household is shown (and logged)", async () => {
    const f = await family(TOWNSHIP.beijingChaoyang);
    const spouse = adultIdNumber('2');
    const added = await ok(
      await call('POST', `/households/${f.householdNumber}/members`, {
        expectedVersion: f.version, relationship: '10', person: { idNumber: spouse.idNumber, name: '配偶丙', sex: '2', birthDate: spouse.birthDate, ethnicity: '01' },
      }, chaoyang),
      201,
    );
    await ok(await call('POST', `/households/${f.householdNumber}/head`, { expectedVersion: added.household.version, newHeadIdNumber: spouse.idNumber, relationships: [{ idNumber: f.headId, relationship: '10' }] }, chaoyang));
    // The spouse now lives in Shenzhen: the Guangdong officer sees her through her residence, not her Beijing household.
    await registerResidence({ db: t.tdb.db, clock, actor: SYSTEM_ACTOR }, { idNumber: spouse.idNumber, authorityId: 'station-440305001', address: '南头路1号' });

    const byResidence = await ok(await call('GET', `/persons/${spouse.idNumber}`, undefined, guangdong));
    expect(byResidence).toMatchObject({ household: null, householdWithheld: true });
    expect(byResidence.timeline.find((e: { kind: string }) => e.kind === 'head_change').data.formerHead).toBe(maskIdNumber(f.headId));
    expect(JSON.stringify(byResidence)).not.toContain(f.headId);

    // Her own record is not logged, so it holds no one else's number either.
    const citizen = await sessionAs(t.app, t.tdb.db, clock, { role: 'citizen', personIdNumber: spouse.idNumber });
    const own = await ok(await t.app.inject({ url: `/api/v1/persons/${spouse.idNumber}`, headers: citizen.headers }));
    expect(JSON.stringify(own)).not.toContain(f.headId);

    // The hukou place sees the household, its members and their numbers, and the log says so.
    const inArea = await ok(await call('GET', `/persons/${f.headId}`, undefined, chaoyang));
    expect(inArea.timeline.find((e: { kind: string }) => e.kind === 'relationship_change').data.newHead).toBe(spouse.idNumber);
  });

  it('every transfer step answers with the transfer, so every answer is in the access log, a no-op too', async () => {
    const origin = await family(TOWNSHIP.beijingChaoyang);
    const destination = await family(TOWNSHIP.shenzhenNanshan);
    const applied = await ok(await call('POST', '/transfers', { idNumber: origin.headId, destinationHouseholdNumber: destination.householdNumber, relationship: '71', category: 'job_transfer' }, guangdong), 201);
    // bigint[] comes back as strings
    const personId = String((await t.tdb.db.selectFrom('person').select('id').where('id_number', '=', origin.headId).executeTakeFirstOrThrow()).id);
    const lastEntry = () =>
      t.tdb.db.selectFrom('access_log').select(['actor_id', 'action', 'purpose', 'subject_ref', 'person_ids', 'outcome']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();

    // Nothing is due until the destination decides: the origin's "advance" changes nothing and returns the transfer.
    const noop = await ok(await t.app.inject({ method: 'POST', url: `/api/v1/transfers/${applied.id}/advance`, headers: chaoyang.headers }));
    expect(noop).toMatchObject({ performed: null, transfer: { person: { idNumber: origin.headId } } });
    expect(await lastEntry()).toMatchObject({
      actor_id: chaoyang.actorId, action: 'transfer.advance', purpose: `application:${applied.id}`, subject_ref: `transfer:${applied.id}`, person_ids: [personId], outcome: 'returned',
    });

    await ok(await call('POST', `/transfers/${applied.id}/approve`, {}, guangdong));
    expect(await lastEntry()).toMatchObject({ actor_id: guangdong.actorId, action: 'transfer.approve', person_ids: [personId], outcome: 'returned' });
    const refused = await call('POST', `/transfers/${applied.id}/reject`, { reason: 'too late' }, guangdong);
    expect(refused.json().error.code).toBe('TRANSFER_STATE');
    expect(await lastEntry()).toMatchObject({ actor_id: guangdong.actorId, action: 'transfer.reject', person_ids: [], outcome: 'TRANSFER_STATE' });
  });
});
