import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { cookiesOf, insertPersonWithHukou, movableClock, sessionAs, type TestAccount } from '../../test/access-fixtures.ts';
import { TOWNSHIP } from '../../test/registry-fixtures.ts';
import { composeIdNumber } from '../idnumber/index.ts';
import { createAccount, SYSTEM_ACTOR, totpCode } from './index.ts';
import { issueApiToken } from './auth.service.ts';
import { FREE_ATTEMPTS } from './lockout.ts';

/** Issue #11 item 6: the smaller holes the probe found in lockout, TOTP and restoring a hukou. */
const clock = movableClock('2024-06-15T04:00:00Z');
const t = useTestApp({ clock });

const login = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });

async function accountRow(username: string) {
  return t.tdb.db.selectFrom('account').select(['id', 'failed_attempts', 'locked_until']).where('username', '=', username).executeTakeFirstOrThrow();
}

describe('an account in a backoff lock', () => {
  it('cannot use its API tokens while locked, and can again once the lock has run out', async () => {
    const created = await createAccount({ db: t.tdb.db, clock, actor: SYSTEM_ACTOR }, { username: 'locked-scripter', displayName: 's', role: 'statistician', authorityId: 'prov-110000', password: 'locked-scripter-password' });
    const { token } = await issueApiToken({ db: t.tdb.db, clock }, { accountId: created.account.id, name: 'script', expiresInDays: 30, issuedBy: 'system' });
    const whoami = () => t.app.inject({ method: 'GET', url: '/api/v1/auth/whoami', headers: { authorization: `Bearer ${token}` } });
    expect((await whoami()).statusCode).toBe(200);
    for (let i = 0; i < FREE_ATTEMPTS; i++) await login('locked-scripter', `wrong-guess-${i}`);
    expect((await accountRow('locked-scripter')).locked_until).not.toBeNull();
    const refused = await whoami();
    expect(refused.statusCode, refused.body).toBe(423);
    expect(refused.json().error).toMatchObject({ code: 'ACCOUNT_LOCKED', details: { lockedBy: 'backoff' } });
    clock.advance(61_000);
    expect((await whoami()).statusCode).toBe(200);
  });
});

describe('a TOTP race', () => {
  it('the losers of concurrent submissions of the right code are refused but not counted as failed attempts', async () => {
    const created = await createAccount({ db: t.tdb.db, clock, actor: SYSTEM_ACTOR }, { username: 'racing-officer', displayName: 'r', role: 'counter_officer', authorityId: 'station-110105001', password: 'racing-officer-password' });
    clock.advance(30_000);
    const first = await login('racing-officer', 'racing-officer-password');
    expect(first.statusCode, first.body).toBe(200);
    const headers = { cookie: cookiesOf(first), 'x-csrf-token': first.json<{ csrfToken: string }>().csrfToken };
    const code = totpCode(created.totp!.secret, clock.now());
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.app.inject({ method: 'POST', url: '/api/v1/auth/totp', headers, payload: { code } })));
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.every((s) => s === 200 || s === 401)).toBe(true);
    expect((await accountRow('racing-officer')).failed_attempts).toBe(0);
    const failures = await t.tdb.db.selectFrom('account_event').select('kind').where('account_id', '=', created.account.id).where('kind', '=', 'second_factor_failed').execute();
    expect(failures).toEqual([]);
  });

  it('a wrong code still counts', async () => {
    await createAccount({ db: t.tdb.db, clock, actor: SYSTEM_ACTOR }, { username: 'guessing-officer', displayName: 'g', role: 'counter_officer', authorityId: 'station-110105001', password: 'guessing-officer-password' });
    const first = await login('guessing-officer', 'guessing-officer-password');
    const headers = { cookie: cookiesOf(first), 'x-csrf-token': first.json<{ csrfToken: string }>().csrfToken };
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp', headers, payload: { code: '000000' } });
    expect(wrong.statusCode).toBe(401);
    expect((await accountRow('guessing-officer')).failed_attempts).toBe(1);
  });
});

describe('restoring a hukou', () => {
  let beijing: TestAccount;
  beforeAll(async () => {
    beijing = await sessionAs(t.app, t.tdb.db, clock, { role: 'registration_officer', authorityId: 'prov-110000' });
  });

  it('a person with a current hukou outside the officer\'s area answers 404 exactly like a number nobody holds', async () => {
    const headers = { ...beijing.headers, 'x-purpose': 'case:RESTORE-1' };
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/households', headers, payload: { kind: 'family', townshipCode: TOWNSHIP.beijingChaoyang, address: '恢复路1号' } });
    expect(created.statusCode, created.body).toBe(201);
    const h = created.json<{ household: { householdNumber: string; version: number } }>().household;
    const elsewhere = await insertPersonWithHukou(t.tdb.db, { townshipCode: TOWNSHIP.shenzhenNanshan });
    const restore = (idNumber: string) =>
      t.app.inject({ method: 'POST', url: `/api/v1/households/${h.householdNumber}/members`, headers, payload: { expectedVersion: h.version, relationship: '02', idNumber } });
    const outOfArea = await restore(elsewhere.idNumber);
    const nobody = await restore(composeIdNumber('440305', '1950-03-03', 17));
    expect(nobody.statusCode, nobody.body).toBe(404);
    expect(outOfArea.statusCode, outOfArea.body).toBe(404);
    expect(outOfArea.json().error.code).toBe(nobody.json().error.code);
    expect(outOfArea.json().error.details).toEqual({ idNumber: elsewhere.idNumber });
  });
});
