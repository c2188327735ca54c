import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import type { Db } from '../src/platform/db/database.ts';
import { AppError } from '../src/platform/errors.ts';
import { composeIdNumber } from '../src/idnumber/index.ts';
import { createAccount, personVisibleTo, SYSTEM_ACTOR, totpCode, type AccountRole } from '../src/access/index.ts';
import { issueApiToken } from '../src/access/index.ts';
import { noteReturnedRecords } from '../src/audit/index.ts';

let household = 0;

/**
 * A person with a current hukou in a household of `townshipCode`, written straight into the register
 * tables (the registry's services are still being built; this keeps the access tests independent of
 * their signatures). Person, household and membership go in one transaction: the deferred
 * "active person has one hukou" constraint holds at commit.
 */
export async function insertPersonWithHukou(
  db: Db,
  p: { townshipCode: string; name?: string; birthDate?: string; sequence?: number },
): Promise<{ personId: number; householdId: number; idNumber: string; countyCode: string }> {
  const countyCode = p.townshipCode.slice(0, 6);
  const birthDate = p.birthDate ?? '1990-01-01';
  household += 1;
  const seq = p.sequence ?? ((household * 7) % 999) + 1;
  const idNumber = composeIdNumber(countyCode, birthDate, seq);
  return db.transaction().execute(async (trx) => {
    const person = await trx
      .insertInto('person')
      .values({ id_number: idNumber, name: p.name ?? '张晓明', sex: seq % 2 === 1 ? '1' : '2', birth_date: birthDate, ethnicity: '01' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('person_id_number').values({ id_number: idNumber, person_id: person.id, valid_from: birthDate, reason: 'test' }).execute();
    const h = await trx
      .insertInto('household')
      .values({
        household_number: `T${process.pid}${String(household).padStart(6, '0')}${Math.floor(Math.random() * 1e6)}`,
        kind: 'family',
        county_code: countyCode,
        township_code: p.townshipCode,
        address: '测试路1号',
        authority_id: `station-${p.townshipCode}`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('membership').values({ person_id: person.id, household_id: h.id, relationship: '01', since: birthDate }).execute();
    await trx.updateTable('household').set({ head_person_id: person.id }).where('id', '=', h.id).execute();
    return { personId: person.id, householdId: h.id, idNumber, countyCode };
  });
}

/**
 * A minimal access-logged "person by ID number" route, shaped like the registry's: role check,
 * purpose, jurisdiction in the query, records noted. Used by the access-log tests, which need a read
 * independent of the register's evolving views (`logged: false` gives the same read unlogged).
 */
export function personReadRoute(db: Db, opts: { prefix: string; logged: boolean }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      `${opts.prefix}/:idNumber`,
      {
        onRequest: app.guard('person.read'),
        ...(opts.logged ? { config: { accessLog: { action: 'person.read', subject: 'person' as const, ref: (r) => (r.params as { idNumber: string }).idNumber } } } : {}),
        schema: {
          params: Type.Object({ idNumber: Type.String({ pattern: '^[0-9]{17}[0-9X]$' }) }),
          response: { 200: Type.Object({ idNumber: Type.String(), name: Type.String(), sex: Type.String(), birthDate: Type.String() }) },
        },
      },
      async (request) => {
        const row = await db
          .selectFrom('person')
          .select(['person.id', 'person.id_number', 'person.name', 'person.sex', 'person.birth_date'])
          .where('person.id_number', '=', request.params.idNumber)
          .where(personVisibleTo(request.actor, sql.ref('person.id'), request.purpose))
          .executeTakeFirst();
        if (!row) throw new AppError('NOT_FOUND', `No person holds ID number ${request.params.idNumber}.`);
        noteReturnedRecords(request, { personIds: [row.id] });
        return { idNumber: row.id_number, name: row.name, sex: row.sex, birthDate: row.birth_date, internalNote: 'not in the schema: never sent' };
      },
    );
  };
}

/** Cookie header value from a response's Set-Cookie headers (name=value pairs, non-empty values only). */
export function cookiesOf(res: LightMyRequestResponse): string {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list
    .map((c) => c.split(';')[0]!)
    .filter((c) => !c.endsWith('='))
    .join('; ');
}

export interface Session {
  cookie: string;
  csrf: string;
  /** Headers for a state-changing request with this session. */
  headers: Record<string, string>;
}

/**
 * Logs in through the API (password, then the TOTP code when the role needs one). A code is accepted
 * once per 30-second step, so with a movable clock each login first moves it on by a step.
 */
export async function logIn(app: FastifyInstance, username: string, password: string, totpSecret?: string, clock?: ReturnType<typeof movableClock>): Promise<Session> {
  if (totpSecret && clock) clock.advance(30_000);
  const at = clock ? clock.now() : new Date();
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  let cookie = cookiesOf(res);
  let body = res.json<{ state: string; csrfToken: string }>();
  if (body.state === 'second_factor_required') {
    if (!totpSecret) throw new Error(`${username} needs a TOTP secret`);
    const t = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/totp',
      headers: { cookie, 'x-csrf-token': body.csrfToken },
      payload: { code: totpCode(totpSecret, at) },
    });
    if (t.statusCode !== 200) throw new Error(`totp ${username} failed: ${t.statusCode} ${t.body}`);
    cookie = cookiesOf(t) || cookie;
    body = t.json();
  }
  return { cookie, csrf: body.csrfToken, headers: { cookie, 'x-csrf-token': body.csrfToken } };
}

/** A clock tests can move. */
export function movableClock(startIso: string) {
  let t = new Date(startIso).getTime();
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
    set(iso: string) {
      t = new Date(iso).getTime();
    },
  };
}

export interface TestAccount extends Session {
  accountId: number;
  /** The actor id events and the access log record: `user:<accountId>`. */
  actorId: string;
  role: AccountRole;
  authorityId: string;
}

let accountSequence = 0;

/**
 * A real account of `role` at `authorityId`, logged in through the API (password, then TOTP for
 * officers and administrators) with a session cookie; `headers` carry the cookie and the CSRF token.
 * Department clients have no password: they get an API token (`Authorization: Bearer hk_…`).
 * `clock` must be the app's movable clock (each TOTP login moves it on by a step).
 */
export async function sessionAs(
  app: FastifyInstance,
  db: Db,
  clock: ReturnType<typeof movableClock>,
  spec: { role: AccountRole; authorityId?: string; personIdNumber?: string },
): Promise<TestAccount> {
  accountSequence += 1;
  const username = `t${process.pid}.${accountSequence}.${spec.role.replace('_', '-')}`;
  const password = `Correct-Horse-${accountSequence}-Battery-${process.pid}`;
  const created = await createAccount(
    { db, clock, actor: SYSTEM_ACTOR },
    { username, displayName: `${spec.role} ${accountSequence}`, role: spec.role, authorityId: spec.authorityId, personIdNumber: spec.personIdNumber, password },
  );
  const account = { accountId: created.account.id, actorId: `user:${created.account.id}`, role: spec.role, authorityId: created.account.authorityId };
  if (spec.role === 'department_client') {
    const { token } = await issueApiToken({ db, clock }, { accountId: created.account.id, name: 'test', expiresInDays: 1, issuedBy: 'system' });
    return { ...account, cookie: '', csrf: '', headers: { authorization: `Bearer ${token}` } };
  }
  return { ...account, ...(await logIn(app, username, password, created.totp?.secret, clock)) };
}
