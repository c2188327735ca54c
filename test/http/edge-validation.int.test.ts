import { beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { useTestApp } from '../app.ts';
import { movableClock, sessionAs, type TestAccount } from '../access-fixtures.ts';
import { adultIdNumber, TOWNSHIP } from '../registry-fixtures.ts';

/**
 * Issue #11 items 2 and 3: inputs the probe found answering 500 (database data exceptions passed
 * through) or silently coerced into real writes. Each is refused at the edge with 400
 * VALIDATION_FAILED naming the field, and writes nothing.
 */
const clock = movableClock('2024-06-15T04:00:00Z');
const t = useTestApp({ clock });
let officer: TestAccount;
let admin: TestAccount;
let household: { number: string; version: number; headId: string };

type Method = 'GET' | 'POST';
async function call(method: Method, url: string, payload?: unknown, who: TestAccount = officer): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...who.headers, 'x-purpose': 'case:EDGE-1' };
  if (typeof payload === 'string') headers['content-type'] = 'application/json';
  return t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

function expectRefused(res: LightMyRequestResponse, field: string): void {
  expect(res.statusCode, res.body).toBe(400);
  const body = res.json<{ error: { code: string; details: { field: string }[] } }>();
  expect(body.error.code).toBe('VALIDATION_FAILED');
  expect(body.error.details.map((d) => d.field)).toContain(field);
}

async function householdState(number: string) {
  const res = await call('GET', `/households/${number}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ household: { version: number }; members: unknown[] }>();
}

beforeAll(async () => {
  officer = await sessionAs(t.app, t.tdb.db, clock, { role: 'registration_officer', authorityId: 'prov-110000' });
  admin = await sessionAs(t.app, t.tdb.db, clock, { role: 'administrator', authorityId: 'prov-110000' });
  const created = await call('POST', '/households', { kind: 'family', townshipCode: TOWNSHIP.beijingChaoyang, address: '边界路1号' });
  expect(created.statusCode, created.body).toBe(201);
  const h = created.json<{ household: { householdNumber: string; version: number } }>().household;
  const id = adultIdNumber('1', TOWNSHIP.beijingChaoyang.slice(0, 6));
  const added = await call('POST', `/households/${h.householdNumber}/members`, {
    expectedVersion: h.version,
    relationship: '02',
    person: { idNumber: id.idNumber, name: '周建国', sex: '1', birthDate: id.birthDate, ethnicity: '01' },
  });
  expect(added.statusCode, added.body).toBe(201);
  household = { number: h.householdNumber, version: added.json<{ household: { version: number } }>().household.version, headId: id.idNumber };
});

describe('strict JSON bodies (no coercion)', () => {
  it.each([
    ['true', true],
    ['"2"', '2'],
    ['[1]', [1]],
  ])('refuses "expectedVersion": %s on a birth and registers nothing', async (_label, expectedVersion) => {
    const before = await householdState(household.number);
    const res = await call('POST', `/households/${household.number}/births`, {
      expectedVersion,
      name: '周小宝',
      sex: '1',
      birthDate: '2024-06-01',
      ethnicity: '01',
      relationship: '20',
    });
    expectRefused(res, 'body.expectedVersion');
    expect(await householdState(household.number)).toEqual(before);
  });

  it('refuses "occupation": true on a correction and changes nothing', async () => {
    const person = async () => (await call('GET', `/persons/${household.headId}`)).json<Record<string, unknown>>();
    const before = await person();
    const res = await call('POST', `/persons/${household.headId}/corrections`, { expectedVersion: 1, changes: { occupation: true }, reason: '核对' });
    expectRefused(res, 'body.changes.occupation');
    expect(await person()).toEqual(before);
  });

  it('still converts path and query strings by their declared types', async () => {
    const res = await call('GET', '/persons?name=zhou&limit=5');
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe('text the database cannot store is refused at the edge', () => {
  it('a NUL in a query string', async () => expectRefused(await call('GET', '/persons?name=%00'), 'querystring.name'));
  it('a NUL in a path parameter', async () => expectRefused(await call('GET', '/transfers/%00'), 'params.id'));
  it('a NUL in an idempotency key', async () =>
    expectRefused(await call('POST', '/households', { kind: 'family', townshipCode: TOWNSHIP.beijingChaoyang, address: '边界路2号', idempotencyKey: '\u0000' }), 'body.idempotencyKey'));
  it('a NUL in an address', async () =>
    expectRefused(await call('POST', '/households', { kind: 'family', townshipCode: TOWNSHIP.beijingChaoyang, address: '边界\u0000路' }), 'body.address'));
  it('a lone UTF-16 surrogate in a JSON body', async () =>
    expectRefused(await call('POST', '/households', `{"kind":"family","townshipCode":"${TOWNSHIP.beijingChaoyang}","address":"\\ud800路"}`), 'body.address'));
  it('keeps a paired surrogate (a character outside the BMP) as text', async () => {
    const res = await call('POST', '/households', { kind: 'family', townshipCode: TOWNSHIP.beijingChaoyang, address: '𠀀路3号' });
    expect(res.statusCode, res.body).toBe(201);
  });
});

describe('integers and dates within what the columns hold', () => {
  it('an account id beyond 64 bits', async () => expectRefused(await call('GET', '/accounts/99999999999999999999', undefined, admin), 'params.id'));
  it('an offset beyond 64 bits', async () => expectRefused(await call('GET', '/accounts?offset=99999999999999999999', undefined, admin), 'querystring.offset'));
  it('an expected version beyond int4', async () => {
    const res = await call('POST', `/households/${household.number}/births`, { expectedVersion: 3_000_000_000, name: '周小宝', sex: '1', birthDate: '2024-06-01', ethnicity: '01', relationship: '20' });
    expectRefused(res, 'body.expectedVersion');
  });
  it('year 0000 in a search', async () => expectRefused(await call('GET', '/persons?birthDateFrom=0000-01-01'), 'querystring.birthDateFrom'));
  it('year 0000 for divisions in force', async () => expectRefused(await call('GET', '/divisions?at=0000-01-01'), 'querystring.at'));
  it('a date far in the future', async () => expectRefused(await call('GET', '/divisions?at=9999-12-31'), 'querystring.at'));
  it('a date in range is answered', async () => expect((await call('GET', '/divisions?at=1990-01-01')).statusCode).toBe(200));
});
