import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { holdOpen, waitForLockWaiters } from '../../test/locks.ts';
import { cookiesOf, logIn, movableClock } from '../../test/access-fixtures.ts';
import { buildApp } from '../app/build-app.ts';
import { SYSTEM_ACTOR } from './actor.ts';
import { createAccount } from './accounts.service.ts';
import { seedDemoAccounts, type DemoAccount } from './demo-accounts.ts';
import { totpCode, totpStep, hotp, base32Decode } from './totp.ts';

const ADMIN_TOKEN = 'stopgap-admin-token-for-tests';
let tdb: TestDatabase;
let app: FastifyInstance;
let demo: DemoAccount[];
const clock = movableClock('2025-03-01T08:00:00Z');
const logLines: string[] = [];

function demoAccount(role: DemoAccount['role']): DemoAccount & { password: string } {
  const d = demo.find((a) => a.role === role);
  if (!d?.password) throw new Error(`no demo ${role}`);
  return d as DemoAccount & { password: string };
}

async function accountRow(username: string) {
  return tdb.db.selectFrom('account').select(['id', 'failed_attempts', 'locked_until', 'status', 'password_hash', 'must_change_password']).where('username', '=', username).executeTakeFirstOrThrow();
}

async function eventsOf(username: string) {
  const a = await accountRow(username);
  return (await tdb.db.selectFrom('account_event').select(['kind']).where('account_id', '=', a.id).orderBy('id').execute()).map((e) => e.kind);
}

function login(username: string, password: string, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, headers });
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  const logger = pino({ level: 'trace', redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' } }, sink);
  app = await buildApp({ db: tdb.db, logger, clock, accessSettings: { loginPerIp: { perMinute: 10_000, burst: 10_000 }, loginPerUsername: { perMinute: 10_000, burst: 10_000 } } });
  demo = await seedDemoAccounts(tdb.db, clock);
});

afterAll(async () => {
  await app?.close();
  await tdb?.close();
});

describe('password login', () => {
  it('a citizen logs in: Secure HttpOnly SameSite=Strict session cookie, CSRF cookie, whoami', async () => {
    const c = demoAccount('citizen');
    const res = await login(c.username, c.password);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'authenticated', account: { username: c.username, role: 'citizen', authorityId: 'mps' } });
    const setCookie = res.headers['set-cookie'] as string[];
    expect(setCookie[0]).toMatch(/^__Host-hukou_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; Secure; SameSite=Strict; HttpOnly$/);
    expect(setCookie[1]).toMatch(/^__Host-hukou_csrf=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; Secure; SameSite=Strict$/);
    const who = await app.inject({ url: '/api/v1/auth/whoami', headers: { cookie: cookiesOf(res) } });
    expect(who.statusCode).toBe(200);
    expect(who.json()).toMatchObject({ role: 'citizen', via: 'session', secondFactor: 'not_required', csrfToken: res.json().csrfToken });
    // the session token is stored only as its SHA-256
    const token = cookiesOf(res).split(';')[0]!.split('=')[1]!;
    const stored = await tdb.db.selectFrom('auth_session').select('token_hash').execute();
    expect(stored.some((s) => s.token_hash.toString('base64url') === token)).toBe(false);
    expect(stored.every((s) => s.token_hash.length === 32)).toBe(true);
  });

  it('a wrong password or unknown username is INVALID_CREDENTIALS, and only the failure count and the log change', async () => {
    const s = demoAccount('statistician');
    const before = await accountRow(s.username);
    const sessionsBefore = await tdb.db.selectFrom('auth_session').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const wrong = await login(s.username, 'not-the-password');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const unknown = await login('nobody-here', 'whatever-password');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
    const after = await accountRow(s.username);
    expect(after.failed_attempts).toBe(before.failed_attempts + 1);
    expect(after.password_hash).toBe(before.password_hash);
    const sessionsAfter = await tdb.db.selectFrom('auth_session').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(sessionsAfter.n).toBe(sessionsBefore.n);
    expect(await eventsOf(s.username)).toContain('login_failed');
    const anonymous = await tdb.db.selectFrom('account_event').select(['detail']).where('account_id', 'is', null).execute();
    expect(JSON.stringify(anonymous)).not.toContain('nobody-here');
    // a success resets the count
    expect((await login(s.username, s.password)).statusCode).toBe(200);
    expect((await accountRow(s.username)).failed_attempts).toBe(0);
  });

  it('locks with exponential backoff after 5 consecutive failures; ACCOUNT_LOCKED even with the right password', async () => {
    await createAccount({ db: tdb.db, clock, actor: SYSTEM_ACTOR }, { username: 'backoff-victim', displayName: 'v', role: 'statistician', authorityId: 'prov-110000', password: 'correct-horse-battery' });
    for (let i = 1; i <= 5; i++) {
      const r = await login('backoff-victim', `wrong-${i}`);
      expect(r.json().error.code).toBe('INVALID_CREDENTIALS');
    }
    const locked = await login('backoff-victim', 'correct-horse-battery');
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error).toMatchObject({ code: 'ACCOUNT_LOCKED', details: { lockedBy: 'backoff', retryAfterSeconds: 60 } });
    expect((await accountRow('backoff-victim')).failed_attempts).toBe(5); // refusals while locked are not failures
    clock.advance(61_000);
    expect((await login('backoff-victim', 'wrong-6')).json().error.code).toBe('INVALID_CREDENTIALS');
    const second = await login('backoff-victim', 'correct-horse-battery');
    expect(second.json().error).toMatchObject({ code: 'ACCOUNT_LOCKED', details: { retryAfterSeconds: 120 } });
    clock.advance(121_000);
    const ok = await login('backoff-victim', 'correct-horse-battery');
    expect(ok.statusCode).toBe(200);
    expect((await accountRow('backoff-victim')).failed_attempts).toBe(0);
    expect(await eventsOf('backoff-victim')).toEqual(expect.arrayContaining(['auto_locked', 'login_refused_locked', 'login_succeeded']));
  });
});

describe('second factor', () => {
  it('officers get a pending session: everything but TOTP is SECOND_FACTOR_REQUIRED until a fresh code', async () => {
    const r = demoAccount('registration_officer');
    const res = await login(r.username, r.password);
    expect(res.json()).toMatchObject({ state: 'second_factor_required' });
    const cookie = cookiesOf(res);
    const csrf = res.json().csrfToken as string;
    const blocked = await app.inject({ url: '/api/v1/auth/tokens', headers: { cookie } });
    expect(blocked.statusCode).toBe(401);
    expect(blocked.json().error.code).toBe('SECOND_FACTOR_REQUIRED');
    expect((await app.inject({ url: '/api/v1/auth/whoami', headers: { cookie } })).json()).toMatchObject({ secondFactor: 'pending' });

    const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/totp', headers: { cookie, 'x-csrf-token': csrf }, payload: { code: '000000' } });
    expect(wrong.json().error.code).toBe('SECOND_FACTOR_INVALID');
    clock.advance(30_000);
    const code = totpCode(r.totpSecret!, clock.now());
    const good = await app.inject({ method: 'POST', url: '/api/v1/auth/totp', headers: { cookie, 'x-csrf-token': csrf }, payload: { code } });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ state: 'authenticated' });
    const verified = cookiesOf(good);
    expect((await app.inject({ url: '/api/v1/auth/tokens', headers: { cookie: verified } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/auth/whoami', headers: { cookie: verified } })).json()).toMatchObject({ secondFactor: 'verified' });

    // the same code cannot be replayed for another session
    const again = await login(r.username, r.password);
    const replay = await app.inject({ method: 'POST', url: '/api/v1/auth/totp', headers: { cookie: cookiesOf(again), 'x-csrf-token': again.json().csrfToken }, payload: { code } });
    expect(replay.json().error.code).toBe('SECOND_FACTOR_INVALID');
  });

  it('a pending session expires after five minutes', async () => {
    const a = demoAccount('administrator');
    const res = await login(a.username, a.password);
    clock.advance(5 * 60_000 + 1000);
    const late = await app.inject({ method: 'POST', url: '/api/v1/auth/totp', headers: { cookie: cookiesOf(res), 'x-csrf-token': res.json().csrfToken }, payload: { code: totpCode(a.totpSecret!, clock.now()) } });
    expect(late.statusCode).toBe(401);
    expect(late.json().error.code).toBe('SESSION_EXPIRED');
  });
});

describe('sessions', () => {
  it('expire after 30 idle minutes (SESSION_EXPIRED, cookies cleared) and 12 hours at most', async () => {
    const c = demoAccount('citizen');
    const s = await logIn(app, c.username, c.password);
    clock.advance(29 * 60_000);
    expect((await app.inject({ url: '/api/v1/auth/whoami', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    clock.advance(31 * 60_000);
    const idle = await app.inject({ url: '/api/v1/auth/whoami', headers: { cookie: s.cookie } });
    expect(idle.statusCode).toBe(401);
    expect(idle.json().error).toMatchObject({ code: 'SESSION_EXPIRED', details: { reason: 'idle too long' } });
    expect(idle.headers['set-cookie']).toEqual(expect.arrayContaining([expect.stringMatching(/^__Host-hukou_session=; Path=\/; Max-Age=0/)]));

    const t = await logIn(app, c.username, c.password);
    for (let i = 0; i < 25; i++) {
      clock.advance(29 * 60_000);
      await app.inject({ url: '/api/v1/auth/whoami', headers: { cookie: t.cookie } });
    }
    const old = await app.inject({ url: '/api/v1/auth/whoami', headers: { cookie: t.cookie } });
    expect(old.json().error).toMatchObject({ code: 'SESSION_EXPIRED', details: { reason: 'past its lifetime' } });
  });

  it('state-changing requests with the session cookie need the matching X-CSRF-Token', async () => {
    const s = demoAccount('statistician');
    const sess = await logIn(app, s.username, s.password);
    const none = await app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: { cookie: sess.cookie }, payload: { name: 'x' } });
    expect(none.statusCode).toBe(403);
    expect(none.json().error.code).toBe('CSRF_FAILED');
    const other = await logIn(app, s.username, s.password);
    const forged = await app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: { cookie: sess.cookie, 'x-csrf-token': other.csrf }, payload: { name: 'x' } });
    expect(forged.json().error.code).toBe('CSRF_FAILED');
    expect(await tdb.db.selectFrom('api_token').select('id').where('name', '=', 'x').execute()).toHaveLength(0);
    const ok = await app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: sess.headers, payload: { name: 'x' } });
    expect(ok.statusCode).toBe(201);
  });

  it('logout ends the session', async () => {
    const c = demoAccount('citizen');
    const s = await logIn(app, c.username, c.password);
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: s.headers });
    expect(out.statusCode).toBe(204);
    const after = await app.inject({ url: '/api/v1/auth/whoami', headers: { cookie: s.cookie } });
    expect(after.json().error.code).toBe('SESSION_EXPIRED');
  });
});

describe('API tokens', () => {
  it('are shown once, stored hashed, work as bearer tokens, and stop working when revoked', async () => {
    const s = demoAccount('statistician');
    const sess = await logIn(app, s.username, s.password);
    const created = await app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: sess.headers, payload: { name: 'reporting job', expiresInDays: 30 } });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json<{ token: string; id: number }>();
    expect(token).toMatch(/^hk_[A-Za-z0-9_-]{43}$/);
    const bearer = { authorization: `Bearer ${token}` };
    const who = await app.inject({ url: '/api/v1/auth/whoami', headers: bearer });
    expect(who.json()).toMatchObject({ via: 'token', role: 'statistician', authorityId: 'prov-110000', csrfToken: null });
    // no CSRF check for bearer tokens (not sent automatically by browsers)
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: bearer, payload: { name: 'second' } })).statusCode).toBe(201);
    const list = await app.inject({ url: '/api/v1/auth/tokens', headers: bearer });
    expect(list.body).not.toContain(token);
    expect(list.json().items.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['reporting job', 'second']));
    const stored = await tdb.db.selectFrom('api_token').select(['token_hash', 'prefix']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.token_hash.toString('hex')).not.toContain(Buffer.from(token).toString('hex'));
    expect(stored.prefix).toBe(token.slice(0, 9));

    expect((await app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${id}`, headers: bearer })).statusCode).toBe(204);
    const revoked = await app.inject({ url: '/api/v1/auth/whoami', headers: bearer });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.code).toBe('SESSION_EXPIRED');
    const bogus = await app.inject({ url: '/api/v1/auth/whoami', headers: { authorization: 'Bearer hk_not-a-real-token' } });
    expect(bogus.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('expire', async () => {
    const s = demoAccount('statistician');
    const sess = await logIn(app, s.username, s.password);
    const { token } = (await app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: sess.headers, payload: { name: 'short', expiresInDays: 1 } })).json<{ token: string }>();
    clock.advance(86_400_000 + 1000);
    const res = await app.inject({ url: '/api/v1/auth/whoami', headers: { authorization: `Bearer ${token}` } });
    expect(res.json().error).toMatchObject({ code: 'SESSION_EXPIRED', details: { reason: 'token expired' } });
  });

  it('refuses a bearer secret that is not an issued API token (the old HUKOU_ADMIN_TOKEN stopgap is gone)', async () => {
    const res = await app.inject({ url: '/api/v1/auth/whoami', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('administrator password reset', () => {
  it('forces a password change before anything else; weak new passwords are refused', async () => {
    const admin = demoAccount('administrator');
    const adminSession = await logIn(app, admin.username, admin.password, admin.totpSecret, clock);
    const target = await accountRow('demo-citizen');
    const reset = await app.inject({ method: 'POST', url: `/api/v1/accounts/${target.id}/reset-password`, headers: adminSession.headers, payload: {} });
    expect(reset.statusCode).toBe(200);
    const temporary = reset.json<{ temporaryPassword: string }>().temporaryPassword;
    expect((await login('demo-citizen', demoAccount('citizen').password)).json().error.code).toBe('INVALID_CREDENTIALS');

    const res = await login('demo-citizen', temporary);
    expect(res.json().state).toBe('password_change_required');
    const cookie = cookiesOf(res);
    const headers = { cookie, 'x-csrf-token': res.json().csrfToken as string };
    expect((await app.inject({ url: '/api/v1/me/access-log', headers })).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const weak = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers, payload: { currentPassword: temporary, newPassword: 'short' } });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().error.code).toBe('WEAK_PASSWORD');
    const changed = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers, payload: { currentPassword: temporary, newPassword: demoAccount('citizen').password } });
    expect(changed.statusCode).toBe(204);
    expect((await accountRow('demo-citizen')).must_change_password).toBe(false);
    expect((await app.inject({ url: '/api/v1/auth/whoami', headers })).json().mustChangePassword).toBe(false);
    expect(await eventsOf('demo-citizen')).toEqual(expect.arrayContaining(['password_reset', 'password_changed']));
  });
});

describe('secrets', () => {
  it('never reach the log: no password, session token, CSRF token or API token', async () => {
    const s = demoAccount('statistician');
    const sess = await logIn(app, s.username, s.password);
    const { token } = (await app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: sess.headers, payload: { name: 'log-check' } })).json<{ token: string }>();
    await app.inject({ url: '/api/v1/auth/whoami', headers: { authorization: `Bearer ${token}` } });
    await login(s.username, 'a-wrong-password-to-log');
    const all = logLines.join('');
    expect(all.length).toBeGreaterThan(0);
    const sessionToken = sess.cookie.split(';')[0]!.split('=')[1]!;
    for (const secret of [s.password, 'a-wrong-password-to-log', sessionToken, sess.csrf, token, ADMIN_TOKEN]) expect(all).not.toContain(secret);
  });
});

describe('login rate limit', () => {
  it('refuses bursts from one address with RATE_LIMITED and Retry-After', async () => {
    const limited = await buildApp({ db: tdb.db, logger: false, clock, accessSettings: { loginPerIp: { perMinute: 3, burst: 3 } } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: `user${i}x`, password: 'pw' } })).statusCode);
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      const res = await limited.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'someone', password: 'pw' } });
      expect(res.json().error.code).toBe('RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});

/** A 6-digit code that matches no step in the drift window around `at`. */
function wrongCode(secret: string, at: Date): string {
  const key = base32Decode(secret);
  const step = totpStep(at);
  const valid = new Set([-1, 0, 1].map((d) => hotp(key, step + d)));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

describe('attacks on authentication', () => {
  it('the second factor rotates the session token: the cookie from before the TOTP code is not an authenticated session', async () => {
    const r = demoAccount('supervisor');
    clock.advance(30_000);
    const pending = await login(r.username, r.password);
    const before = cookiesOf(pending);
    const headers = { cookie: before, 'x-csrf-token': pending.json().csrfToken as string };
    const good = await app.inject({ method: 'POST', url: '/api/v1/auth/totp', headers, payload: { code: totpCode(r.totpSecret!, clock.now()) } });
    expect(good.statusCode).toBe(200);
    const after = cookiesOf(good);
    expect(after).toMatch(/__Host-hukou_session=/);
    expect(after.split(';')[0]).not.toBe(before.split(';')[0]);
    expect(good.json().csrfToken).not.toBe(pending.json().csrfToken);
    // whoever saw the pre-TOTP token (it was issued before the second factor) gains nothing
    const old = await app.inject({ url: '/api/v1/auth/tokens', headers: { cookie: before } });
    expect(old.statusCode).toBe(401);
    expect(old.json().error.code).toBe('SESSION_EXPIRED');
    const fresh = await app.inject({ url: '/api/v1/auth/whoami', headers: { cookie: after } });
    expect(fresh.json()).toMatchObject({ secondFactor: 'verified', csrfToken: good.json().csrfToken });
  });

  it('a right password does not reset the failures of a TOTP code still owed: guessing codes across logins locks the account', async () => {
    const secret = 'HUKOUTESTTOTPBRUTEFORCEVICTIMAAA';
    await createAccount({ db: tdb.db, clock, actor: SYSTEM_ACTOR }, { username: 'totp-guess-victim', displayName: 'v', role: 'counter_officer', authorityId: 'station-110105001', password: 'totp-victim-password', totpSecret: secret });
    const guess = async (res: Awaited<ReturnType<typeof login>>) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/totp', headers: { cookie: cookiesOf(res), 'x-csrf-token': res.json().csrfToken }, payload: { code: wrongCode(secret, clock.now()) } });
    const first = await login('totp-guess-victim', 'totp-victim-password');
    expect(first.json().state).toBe('second_factor_required');
    for (let i = 0; i < 4; i++) expect((await guess(first)).json().error.code).toBe('SECOND_FACTOR_INVALID');
    const second = await login('totp-guess-victim', 'totp-victim-password');
    expect(second.json().state).toBe('second_factor_required');
    expect((await accountRow('totp-guess-victim')).failed_attempts).toBe(4);
    expect((await guess(second)).json().error.code).toBe('SECOND_FACTOR_INVALID');
    const third = await login('totp-guess-victim', 'totp-victim-password');
    expect(third.statusCode).toBe(423);
    expect(third.json().error).toMatchObject({ code: 'ACCOUNT_LOCKED', details: { lockedBy: 'backoff' } });
    // the right code, once the lock has passed, still ends the count
    clock.advance(61_000);
    const s = await logIn(app, 'totp-guess-victim', 'totp-victim-password', secret, clock);
    expect(s.cookie).toMatch(/__Host-hukou_session=/);
    expect((await accountRow('totp-guess-victim')).failed_attempts).toBe(0);
  });

  it('guessing the current password through a password change counts toward the lockout and is refused while locked', async () => {
    await createAccount({ db: tdb.db, clock, actor: SYSTEM_ACTOR }, { username: 'pw-change-victim', displayName: 'v', role: 'statistician', authorityId: 'prov-110000', password: 'pw-change-victim-1' });
    const sess = await logIn(app, 'pw-change-victim', 'pw-change-victim-1');
    const change = (currentPassword: string) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: sess.headers, payload: { currentPassword, newPassword: 'a-brand-new-passphrase' } });
    for (let i = 1; i <= 5; i++) expect((await change(`guess-${i}`)).json().error.code).toBe('INVALID_CREDENTIALS');
    const hashBefore = (await accountRow('pw-change-victim')).password_hash;
    const right = await change('pw-change-victim-1');
    expect(right.statusCode).toBe(423);
    expect(right.json().error).toMatchObject({ code: 'ACCOUNT_LOCKED', details: { lockedBy: 'backoff' } });
    expect((await accountRow('pw-change-victim')).password_hash).toBe(hashBefore);
  });

  it('logout and password change need the CSRF token; a password change ends the other sessions, keeps this one', async () => {
    await createAccount({ db: tdb.db, clock, actor: SYSTEM_ACTOR }, { username: 'csrf-victim', displayName: 'v', role: 'statistician', authorityId: 'prov-110000', password: 'csrf-victim-password' });
    const mine = await logIn(app, 'csrf-victim', 'csrf-victim-password');
    const elsewhere = await logIn(app, 'csrf-victim', 'csrf-victim-password');
    const forgedOut = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: mine.cookie } });
    expect(forgedOut.json().error.code).toBe('CSRF_FAILED');
    const body = { currentPassword: 'csrf-victim-password', newPassword: 'brand-new-passphrase-42' };
    const forgedChange = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { cookie: mine.cookie }, payload: body });
    expect(forgedChange.json().error.code).toBe('CSRF_FAILED');
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: mine.headers, payload: body })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/v1/auth/whoami', headers: { cookie: elsewhere.cookie } })).json().error.code).toBe('SESSION_EXPIRED');
    expect((await app.inject({ url: '/api/v1/auth/whoami', headers: { cookie: mine.cookie } })).statusCode).toBe(200);
  });

  it('a login in flight when concurrent failures lock the account is refused, right or wrong alike (no oracle, no extra count)', async () => {
    await createAccount({ db: tdb.db, clock, actor: SYSTEM_ACTOR }, { username: 'race-victim', displayName: 'v', role: 'statistician', authorityId: 'prov-110000', password: 'race-victim-password' });
    const { id } = await accountRow('race-victim');
    const lockedUntil = new Date(clock.now().getTime() + 60_000);
    // the other guesses of the burst: they lock the account while these two are verifying
    const holder = await holdOpen(tdb.db, async (trx) => {
      await trx.selectFrom('account').select('id').where('id', '=', id).forUpdate().execute();
      await trx.updateTable('account').set({ failed_attempts: 5, locked_until: lockedUntil }).where('id', '=', id).execute();
    });
    const right = login('race-victim', 'race-victim-password');
    const wrong = login('race-victim', 'a-wrong-guess');
    await waitForLockWaiters(tdb.db, 2);
    await holder.release();
    const [r, w] = await Promise.all([right, wrong]);
    expect(r.statusCode).toBe(423);
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(w.statusCode).toBe(423);
    expect(r.json().error.code).toBe(w.json().error.code);
    const row = await accountRow('race-victim');
    expect(row.failed_attempts).toBe(5);
    expect(row.locked_until?.getTime()).toBe(lockedUntil.getTime());
    expect(await tdb.db.selectFrom('auth_session').select('token_hash').where('account_id', '=', id).execute()).toHaveLength(0);
  });
});
