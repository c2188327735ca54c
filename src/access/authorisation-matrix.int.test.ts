import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { movableClock, sessionAs, type TestAccount } from '../../test/access-fixtures.ts';
import type { ServiceContext } from '../platform/context.ts';
import { newFamily, testContext, TOWNSHIP, type Family } from '../../test/registry-fixtures.ts';
import type { AccountRole } from './roles.ts';

/**
 * The authorisation matrix of issue #4 over the real HTTP API: role × operation × a record inside
 * or outside the caller's jurisdiction → the status the caller gets. A role that may never do an
 * operation is 403 FORBIDDEN; a record outside the jurisdiction is 404, exactly like one that does
 * not exist; anonymous calls are 401. "Inside" is Beijing Chaoyang, township 建外街道 (110105001);
 * "outside" is Shenzhen Nanshan (440305001). For a citizen, "inside" is their own record and
 * "outside" somebody else's.
 */

const clock = movableClock('2026-03-02T04:00:00Z');
const t = useTestApp({ clock });
const PURPOSE = 'case:MATRIX-1';

type Where = 'inside' | 'outside';
type Who = 'citizen' | 'counter_officer' | 'registration_officer' | 'supervisor' | 'statistician' | 'administrator' | 'department_client' | 'anonymous';
type Op = 'person read' | 'household read' | 'search' | 'birth registration' | 'move' | 'identity view' | 'card check' | 'card application';

/** Expected status per role and operation: [inside, outside]. */
const MATRIX: Record<Who, Record<Op, [number, number]>> = {
  citizen: {
    'person read': [200, 404],
    'household read': [403, 403],
    search: [403, 403],
    'birth registration': [403, 403],
    move: [403, 403],
    'identity view': [200, 404],
    'card check': [403, 403],
    'card application': [403, 403],
  },
  counter_officer: {
    'person read': [200, 404],
    'household read': [200, 404],
    search: [200, 200],
    'birth registration': [403, 403],
    move: [403, 403],
    'identity view': [200, 404],
    'card check': [200, 200],
    'card application': [201, 201],
  },
  registration_officer: {
    'person read': [200, 404],
    'household read': [200, 404],
    search: [200, 200],
    'birth registration': [201, 404],
    move: [200, 404],
    'identity view': [200, 404],
    'card check': [200, 200],
    'card application': [201, 201],
  },
  supervisor: {
    'person read': [200, 404],
    'household read': [200, 404],
    search: [200, 200],
    'birth registration': [201, 404],
    move: [200, 404],
    'identity view': [200, 404],
    'card check': [200, 200],
    'card application': [201, 201],
  },
  statistician: {
    'person read': [403, 403],
    'household read': [403, 403],
    search: [403, 403],
    'birth registration': [403, 403],
    move: [403, 403],
    'identity view': [403, 403],
    'card check': [403, 403],
    'card application': [403, 403],
  },
  administrator: {
    'person read': [403, 403],
    'household read': [403, 403],
    search: [403, 403],
    'birth registration': [403, 403],
    move: [403, 403],
    'identity view': [403, 403],
    'card check': [403, 403],
    'card application': [403, 403],
  },
  department_client: {
    'person read': [403, 403],
    'household read': [403, 403],
    search: [403, 403],
    'birth registration': [403, 403],
    move: [403, 403],
    'identity view': [403, 403],
    'card check': [200, 200],
    'card application': [403, 403],
  },
  anonymous: {
    'person read': [401, 401],
    'household read': [401, 401],
    search: [401, 401],
    'birth registration': [401, 401],
    move: [401, 401],
    'identity view': [401, 401],
    'card check': [401, 401],
    'card application': [401, 401],
  },
};

const ACCOUNTS: Record<Exclude<Who, 'anonymous' | 'citizen'>, { role: AccountRole; authorityId?: string }> = {
  counter_officer: { role: 'counter_officer', authorityId: 'station-110105001' },
  registration_officer: { role: 'registration_officer', authorityId: 'county-110105' },
  supervisor: { role: 'supervisor', authorityId: 'county-110105' },
  statistician: { role: 'statistician', authorityId: 'prov-110000' },
  administrator: { role: 'administrator', authorityId: 'mps' },
  department_client: { role: 'department_client' },
};

const TOWNSHIPS: Record<Where, string> = { inside: TOWNSHIP.beijingChaoyang, outside: TOWNSHIP.shenzhenNanshan };
const NAMES: Record<Where, string> = { inside: '欧阳矩阵', outside: '司马矩阵' };

let ctx: ServiceContext;
const accounts = new Map<Who, TestAccount>();
/** The long-lived person of each place (the citizen is the inside one), and a household to move people into. */
const resident = {} as Record<Where, Family>;
const destination = {} as Record<Where, Family>;

beforeAll(async () => {
  ctx = testContext(t.tdb.db, clock);
  for (const where of ['inside', 'outside'] as const) {
    resident[where] = await newFamily(ctx, { township: TOWNSHIPS[where], name: NAMES[where] });
    destination[where] = await newFamily(ctx, { township: TOWNSHIPS[where] });
  }
  for (const [who, spec] of Object.entries(ACCOUNTS)) accounts.set(who as Who, await sessionAs(t.app, t.tdb.db, clock, spec));
  accounts.set('citizen', await sessionAs(t.app, t.tdb.db, clock, { role: 'citizen', personIdNumber: resident.inside.head.idNumber }));
});

async function personVersion(idNumber: string): Promise<number> {
  return (await t.tdb.db.selectFrom('person').select('version').where('id_number', '=', idNumber).executeTakeFirstOrThrow()).version;
}

async function householdVersion(number: string): Promise<number> {
  return (await t.tdb.db.selectFrom('household').select('version').where('household_number', '=', number).executeTakeFirstOrThrow()).version;
}

function call(who: Who, method: 'GET' | 'POST', url: string, body?: object): Promise<LightMyRequestResponse> {
  const headers = who === 'anonymous' ? {} : { ...accounts.get(who)!.headers, 'x-purpose': PURPOSE };
  return t.app.inject({ method, url: `/api/v1${url}`, headers, ...(body ? { payload: body } : {}) });
}

const OPERATIONS: Record<Op, (who: Who, where: Where) => Promise<LightMyRequestResponse>> = {
  'person read': (who, where) => call(who, 'GET', `/persons/${resident[where].head.idNumber}`),
  'household read': (who, where) => call(who, 'GET', `/households/${resident[where].householdNumber}`),
  search: (who, where) => call(who, 'GET', `/persons?name=${encodeURIComponent(NAMES[where])}`),
  'birth registration': async (who, where) => {
    const number = resident[where].householdNumber;
    return call(who, 'POST', `/households/${number}/births`, {
      expectedVersion: await householdVersion(number),
      name: '矩阵新生',
      sex: '2',
      birthDate: '2026-02-20',
      ethnicity: '01',
      relationship: '30',
    });
  },
  move: async (who, where) => {
    // a fresh family each time: a move that succeeds changes the register
    const mover = await newFamily(ctx, { township: TOWNSHIPS[where] });
    return call(who, 'POST', `/households/${mover.householdNumber}/members/${mover.head.idNumber}/move`, {
      expectedVersion: await personVersion(mover.head.idNumber),
      destinationHouseholdNumber: destination[where].householdNumber,
      relationship: '80',
    });
  },
  'identity view': (who, where) => call(who, 'GET', `/persons/${resident[where].head.idNumber}/identity`),
  'card check': (who, where) => call(who, 'POST', '/id-cards/check', { idNumber: resident[where].head.idNumber, validFrom: '2020-01-01' }),
  'card application': async (who, where) => {
    // a fresh applicant each time: a person has one open application at a time
    const applicant = await newFamily(ctx, { township: TOWNSHIPS[where] });
    const spec = who in ACCOUNTS ? ACCOUNTS[who as keyof typeof ACCOUNTS] : undefined;
    const counter = spec?.authorityId && spec.authorityId !== 'mps' && !spec.authorityId.startsWith('prov-') ? spec.authorityId : 'station-110105001';
    return call(who, 'POST', '/id-card-applications', { idNumber: applicant.head.idNumber, kind: 'first', authorityId: counter });
  },
};

const EXPECTED_CODE: Record<number, string | null> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 200: null, 201: null };

const cases = (Object.keys(MATRIX) as Who[]).flatMap((who) =>
  (Object.keys(MATRIX[who]) as Op[]).flatMap((op) => (['inside', 'outside'] as const).map((where, i) => ({ who, op, where, status: MATRIX[who][op][i]! }))),
);

describe('authorisation matrix (role × operation × jurisdiction) over HTTP', () => {
  it('covers every role, operation and side', () => {
    expect(cases).toHaveLength(8 * 8 * 2);
  });

  it.each(cases)('$who · $op · $where → $status', async ({ who, op, where, status }) => {
    const res = await OPERATIONS[op](who, where);
    expect(res.statusCode, res.body).toBe(status);
    if (status === 404) expect(res.json().error.code).toMatch(/^(PERSON|HOUSEHOLD)_NOT_FOUND$/);
    else if (EXPECTED_CODE[status]) expect(res.json().error.code).toBe(EXPECTED_CODE[status]);
    if (op === 'search' && status === 200) expect(res.json().results).toHaveLength(where === 'inside' ? 1 : 0);
    if (op === 'card check' && status === 200) expect(Object.keys(res.json()).sort()).toEqual(['reference', 'valid']);
  });
});

describe('outside the jurisdiction is indistinguishable from not existing', () => {
  it('the same code and message shape as for an ID number or household number nobody holds', async () => {
    const outside = await call('registration_officer', 'GET', `/persons/${resident.outside.head.idNumber}`);
    const nobody = await call('registration_officer', 'GET', '/persons/11010519491231002X');
    const norm = (res: LightMyRequestResponse, n: string) => ({ ...res.json().error, message: res.json().error.message.replace(n, '#'), details: {}, requestId: '' });
    expect(norm(outside, resident.outside.head.idNumber)).toEqual(norm(nobody, '11010519491231002X'));
    const household = await call('registration_officer', 'GET', `/households/${resident.outside.householdNumber}`);
    const noHousehold = await call('registration_officer', 'GET', '/households/110105001999999');
    expect(norm(household, resident.outside.householdNumber)).toEqual(norm(noHousehold, '110105001999999'));
  });

  it('officers must state a purpose to read a full record; citizens reading their own need none', async () => {
    const headers = accounts.get('counter_officer')!.headers;
    const res = await t.app.inject({ url: `/api/v1/persons/${resident.inside.head.idNumber}`, headers });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('PURPOSE_REQUIRED');
    const own = await t.app.inject({ url: `/api/v1/persons/${resident.inside.head.idNumber}`, headers: accounts.get('citizen')!.headers });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ person: { idNumber: resident.inside.head.idNumber }, household: null, householdWithheld: true });
  });
});

describe('the access log records reads, with purpose and fields, and refusals', () => {
  const lastEntry = () =>
    t.tdb.db.selectFrom('access_log').select(['actor_id', 'purpose', 'action', 'subject_ref', 'person_ids', 'household_ids', 'fields', 'outcome']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
  const personId = async (idNumber: string) => (await t.tdb.db.selectFrom('person').select('id').where('id_number', '=', idNumber).executeTakeFirstOrThrow()).id;

  it('a full read: who, purpose, whose data (the person and the household members shown), which fields', async () => {
    const res = await call('counter_officer', 'GET', `/persons/${resident.inside.head.idNumber}`);
    expect(res.statusCode).toBe(200);
    const e = await lastEntry();
    expect(e).toMatchObject({ actor_id: accounts.get('counter_officer')!.actorId, purpose: PURPOSE, action: 'person.read', subject_ref: resident.inside.head.idNumber, outcome: 'returned' });
    const members = await t.tdb.db
      .selectFrom('membership')
      .innerJoin('household', 'household.id', 'membership.household_id')
      .select('membership.person_id')
      .where('household.household_number', '=', resident.inside.householdNumber)
      .where('membership.until', 'is', null)
      .execute();
    expect(e.person_ids.map(Number).sort((a, b) => a - b)).toEqual(members.map((m) => m.person_id).sort((a, b) => a - b));
    expect(e.person_ids.map(Number)).toContain(await personId(resident.inside.head.idNumber));
    expect(e.household_ids).toHaveLength(1);
    expect(e.fields).toEqual(expect.arrayContaining(['person.name', 'person.idNumber', 'household.members[].name', 'timeline[].kind']));
  });

  it('a search: the persons listed, masked fields', async () => {
    await call('registration_officer', 'GET', `/persons?name=${encodeURIComponent(NAMES.inside)}`);
    const e = await lastEntry();
    expect(e).toMatchObject({ action: 'person.search', outcome: 'returned' });
    expect(new URLSearchParams(e.subject_ref).get('name')).toBe(NAMES.inside);
    expect(e.person_ids.map(Number)).toEqual([await personId(resident.inside.head.idNumber)]);
    expect(e.fields).toEqual(expect.arrayContaining(['results[].maskedIdNumber', 'results[].maskedName']));
  });

  it('refusals are logged with their code and nothing returned: out of area, wrong role, no purpose', async () => {
    await call('supervisor', 'GET', `/households/${resident.outside.householdNumber}`);
    expect(await lastEntry()).toMatchObject({ action: 'household.read', outcome: 'HOUSEHOLD_NOT_FOUND', person_ids: [], fields: [], purpose: PURPOSE });
    await call('statistician', 'GET', `/persons/${resident.inside.head.idNumber}/identity`);
    expect(await lastEntry()).toMatchObject({ action: 'identity.read', outcome: 'FORBIDDEN', person_ids: [] });
    await t.app.inject({ url: `/api/v1/households/${resident.inside.householdNumber}`, headers: accounts.get('counter_officer')!.headers });
    expect(await lastEntry()).toMatchObject({ action: 'household.read', outcome: 'PURPOSE_REQUIRED', purpose: null });
  });

  it('a citizen reading their own record leaves no third-party entry; reading another person is logged as refused', async () => {
    const before = await lastEntry();
    expect((await call('citizen', 'GET', `/persons/${resident.inside.head.idNumber}`)).statusCode).toBe(200);
    expect(await lastEntry()).toEqual(before);
    expect((await call('citizen', 'GET', `/persons/${resident.outside.head.idNumber}`)).statusCode).toBe(404);
    expect(await lastEntry()).toMatchObject({ actor_id: accounts.get('citizen')!.actorId, outcome: 'PERSON_NOT_FOUND', subject_ref: resident.outside.head.idNumber });
  });
});
