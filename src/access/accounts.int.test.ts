import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { cookiesOf, insertPersonWithHukou, logIn, movableClock, type Session } from '../../test/access-fixtures.ts';
import { buildApp } from '../app/build-app.ts';
import { SYSTEM_ACTOR } from './actor.ts';
import { createAccount } from './accounts.service.ts';
import { seedDemoAccounts, type DemoAccount } from './demo-accounts.ts';

let tdb: TestDatabase;
let app: FastifyInstance;
let demo: DemoAccount[];
let admin: Session;
const clock = movableClock('2025-03-01T08:00:00Z');

const byRole = (role: DemoAccount['role']) => demo.find((d) => d.role === role)!;

beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await buildApp({ db: tdb.db, logger: false, clock });
  demo = await seedDemoAccounts(tdb.db, clock);
  const a = byRole('administrator');
  admin = await logIn(app, a.username, a.password!, a.totpSecret, clock);
});

afterAll(async () => {
  await app?.close();
  await tdb?.close();
});

describe('demo accounts', () => {
  it('exist for every role, idempotently, with the citizen linked once a person exists', async () => {
    expect([...new Set(demo.map((d) => d.role))].sort()).toEqual(['administrator', 'citizen', 'counter_officer', 'department_client', 'registration_officer', 'statistician', 'supervisor']);
    // officers at both places of the demo family (hukou in Chengdu, living in Shenzhen) and a prefecture bureau
    expect(demo.map((d) => d.authorityId)).toEqual(expect.arrayContaining(['station-510104017', 'county-510104', 'pref-510100', 'station-440305001', 'county-440305']));
    expect(byRole('citizen').personId).toBeNull(); // the register was empty
    const p = await insertPersonWithHukou(tdb.db, { townshipCode: '110105001' });
    const again = await seedDemoAccounts(tdb.db, clock);
    expect(again.map((d) => d.username)).toEqual(demo.map((d) => d.username));
    expect(again.find((d) => d.role === 'citizen')!.personId).toBe(p.personId);
    expect(await tdb.db.selectFrom('account').select('id').execute()).toHaveLength(demo.length);
    const client = byRole('department_client');
    expect((await app.inject({ url: '/api/v1/auth/whoami', headers: { authorization: `Bearer ${client.apiToken}` } })).json()).toMatchObject({ role: 'department_client', via: 'token' });
  });
});

describe('administrators', () => {
  it('create an officer: first password and TOTP secret shown once; the officer must change the password', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: admin.headers,
      payload: { username: 'wang.li', displayName: '王力', role: 'registration_officer', authorityId: 'station-110105002' },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ account: { username: 'wang.li', role: 'registration_officer', authorityId: 'station-110105002', mustChangePassword: true, secondFactorEnrolled: true } });
    expect(body.totp.uri).toContain(`secret=${body.totp.secret}`);
    expect(JSON.stringify(await app.inject({ url: `/api/v1/accounts/${body.account.id}`, headers: admin.headers }).then((r) => r.json()))).not.toContain(body.totp.secret);
    const first = await logIn(app, 'wang.li', body.initialPassword, body.totp.secret, clock);
    const who = await app.inject({ url: '/api/v1/auth/whoami', headers: { cookie: first.cookie } });
    expect(who.json()).toMatchObject({ mustChangePassword: true, secondFactor: 'verified' });
  });

  it('refuse unknown authorities, platform roles with an authority, and duplicate usernames', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/v1/accounts', headers: admin.headers, payload: { username: 'x.y', displayName: 'x', role: 'counter_officer', authorityId: 'station-999999999' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toMatchObject({ code: 'ACCOUNT_INVALID', details: [{ field: 'body.authorityId', code: 'UNKNOWN' }] });
    const none = await app.inject({ method: 'POST', url: '/api/v1/accounts', headers: admin.headers, payload: { username: 'x.y', displayName: 'x', role: 'supervisor' } });
    expect(none.json().error.details[0]).toMatchObject({ field: 'body.authorityId', code: 'REQUIRED' });
    const citizen = await app.inject({ method: 'POST', url: '/api/v1/accounts', headers: admin.headers, payload: { username: 'x.y', displayName: 'x', role: 'citizen', authorityId: 'county-110105' } });
    expect(citizen.json().error.details[0].code).toBe('PLATFORM_ROLE');
    const dup = await app.inject({ method: 'POST', url: '/api/v1/accounts', headers: admin.headers, payload: { username: 'demo-counter', displayName: 'x', role: 'citizen' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('ACCOUNT_EXISTS');
  });

  it('manage only accounts of authorities inside their own area', async () => {
    const tianjin = await createAccount({ db: tdb.db, clock, actor: SYSTEM_ACTOR }, { username: 'tj-admin', displayName: '天津管理员', role: 'administrator', authorityId: 'prov-120000', password: 'tianjin-admin-pass', totpSecret: 'HUKOUTIANJINADMINAAAAAAAAAAAAAAA' });
    const tj = await logIn(app, 'tj-admin', 'tianjin-admin-pass', 'HUKOUTIANJINADMINAAAAAAAAAAAAAAA', clock);
    const beijingOfficer = demo.find((d) => d.username === 'demo-registrar')!;
    const id = (await tdb.db.selectFrom('account').select('id').where('username', '=', beijingOfficer.username).executeTakeFirstOrThrow()).id;
    const get = await app.inject({ url: `/api/v1/accounts/${id}`, headers: tj.headers });
    expect(get.statusCode).toBe(404);
    expect(get.json().error.code).toBe('ACCOUNT_NOT_FOUND');
    const lock = await app.inject({ method: 'POST', url: `/api/v1/accounts/${id}/lock`, headers: tj.headers, payload: { reason: 'not mine' } });
    expect(lock.json().error.code).toBe('ACCOUNT_NOT_FOUND');
    const list = await app.inject({ url: '/api/v1/accounts?limit=500', headers: tj.headers });
    expect(list.json().items.map((a: { username: string }) => a.username)).toEqual(['tj-admin']);
    const create = await app.inject({ method: 'POST', url: '/api/v1/accounts', headers: tj.headers, payload: { username: 'bj.officer', displayName: 'x', role: 'counter_officer', authorityId: 'station-110105001' } });
    expect(create.json().error.details[0].code).toBe('OUTSIDE_AREA');
    const national = await app.inject({ url: `/api/v1/accounts?role=administrator`, headers: admin.headers });
    expect(national.json().items.map((a: { id: number }) => a.id)).toContain(tianjin.account.id);
  });

  it('lock an account (its sessions end, its logins are refused) and unlock it', async () => {
    const s = byRole('statistician');
    const sess = await logIn(app, s.username, s.password!);
    const id = (await tdb.db.selectFrom('account').select('id').where('username', '=', s.username).executeTakeFirstOrThrow()).id;
    const lock = await app.inject({ method: 'POST', url: `/api/v1/accounts/${id}/lock`, headers: admin.headers, payload: { reason: 'left the bureau' } });
    expect(lock.json()).toMatchObject({ status: 'locked', lockedReason: 'left the bureau' });
    expect((await app.inject({ url: '/api/v1/auth/whoami', headers: { cookie: sess.cookie } })).json().error.code).toBe('SESSION_EXPIRED');
    const refused = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: s.username, password: s.password } });
    expect(refused.statusCode).toBe(423);
    expect(refused.json().error).toMatchObject({ code: 'ACCOUNT_LOCKED', details: { lockedBy: 'administrator' } });
    const unlock = await app.inject({ method: 'POST', url: `/api/v1/accounts/${id}/unlock`, headers: admin.headers });
    expect(unlock.json()).toMatchObject({ status: 'active', lockedReason: null });
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: s.username, password: s.password } });
    expect(res.statusCode).toBe(200);
    expect(cookiesOf(res)).toContain('__Host-hukou_session=');
  });

  it('issue tokens to department clients only; a locked client token stops working', async () => {
    const id = (await tdb.db.selectFrom('account').select('id').where('username', '=', 'demo-department').executeTakeFirstOrThrow()).id;
    const res = await app.inject({ method: 'POST', url: `/api/v1/accounts/${id}/tokens`, headers: admin.headers, payload: { name: 'education bureau', expiresInDays: 30 } });
    expect(res.statusCode).toBe(201);
    const token = res.json().token as string;
    expect((await app.inject({ url: '/api/v1/auth/whoami', headers: { authorization: `Bearer ${token}` } })).json().role).toBe('department_client');
    const officerId = (await tdb.db.selectFrom('account').select('id').where('username', '=', 'demo-counter').executeTakeFirstOrThrow()).id;
    expect((await app.inject({ method: 'POST', url: `/api/v1/accounts/${officerId}/tokens`, headers: admin.headers, payload: { name: 'x' } })).json().error.code).toBe('FORBIDDEN');
    await app.inject({ method: 'POST', url: `/api/v1/accounts/${id}/lock`, headers: admin.headers, payload: { reason: 'contract ended' } });
    const locked = await app.inject({ url: '/api/v1/auth/whoami', headers: { authorization: `Bearer ${token}` } });
    expect(locked.json().error.code).toBe('ACCOUNT_LOCKED');
  });

  it('link a citizen account to the person record', async () => {
    const p = await insertPersonWithHukou(tdb.db, { townshipCode: '110105003', name: '李四' });
    const created = await app.inject({ method: 'POST', url: '/api/v1/accounts', headers: admin.headers, payload: { username: 'li.si', displayName: '李四', role: 'citizen' } });
    expect(created.json().account.personId).toBeNull();
    const linked = await app.inject({ method: 'POST', url: `/api/v1/accounts/${created.json().account.id}/person`, headers: admin.headers, payload: { personIdNumber: p.idNumber } });
    expect(linked.json()).toMatchObject({ personId: p.personId, role: 'citizen' });
    const twice = await app.inject({ method: 'POST', url: '/api/v1/accounts', headers: admin.headers, payload: { username: 'li.si.2', displayName: '李四', role: 'citizen', personIdNumber: p.idNumber } });
    expect(twice.json().error.code).toBe('ACCOUNT_EXISTS');
  });
});

describe('role-level refusals', () => {
  it('non-administrators may not manage accounts (FORBIDDEN); the stopgap token may', async () => {
    const r = byRole('registration_officer');
    const officer = await logIn(app, r.username, r.password!, r.totpSecret, clock);
    const res = await app.inject({ url: '/api/v1/accounts', headers: officer.headers });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    const c = byRole('citizen');
    const citizen = await logIn(app, c.username, c.password!);
    expect((await app.inject({ url: '/api/v1/accounts', headers: citizen.headers })).json().error.code).toBe('FORBIDDEN');
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: citizen.headers, payload: { name: 'x' } })).json().error.code).toBe('FORBIDDEN');
  });
});
