import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { logIn, movableClock, sessionAs } from '../../test/access-fixtures.ts';
import { createAccount, sealStoredSecrets } from './accounts.service.ts';
import { SYSTEM_ACTOR } from './actor.ts';
import { openSecret, useSecretKey } from './secret-box.ts';

const clock = movableClock('2026-05-04T02:00:00Z');
const t = useTestApp({ clock });

beforeAll(() => useSecretKey(randomBytes(32)));
afterAll(() => useSecretKey(null));

describe('TOTP secrets at rest', () => {
  it('are stored sealed, and an officer still logs in with the code from their authenticator', async () => {
    const officer = await sessionAs(t.app, t.tdb.db, clock, { role: 'registration_officer', authorityId: 'county-110105' });
    const row = await t.tdb.db.selectFrom('account').select('totp_secret').where('id', '=', officer.accountId).executeTakeFirstOrThrow();
    expect(row.totp_secret).toMatch(/^sealed:v1:/);
    expect(openSecret(row.totp_secret!)).toMatch(/^[A-Z2-7]{32}$/);
    const me = await t.app.inject({ url: '/api/v1/auth/whoami', headers: officer.headers });
    expect(me.statusCode).toBe(200);
  });

  it('written in clear before sealing existed, are sealed at start and keep working', async () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const password = 'Plain-Secret-Before-Sealing-2026';
    useSecretKey(null);
    const created = await createAccount({ db: t.tdb.db, clock, actor: SYSTEM_ACTOR }, { username: 'legacy.officer', displayName: 'legacy', role: 'registration_officer', authorityId: 'county-110105', password, totpSecret: secret });
    expect((await t.tdb.db.selectFrom('account').select('totp_secret').where('id', '=', created.account.id).executeTakeFirstOrThrow()).totp_secret).toBe(secret);
    useSecretKey(randomBytes(32));
    expect(await sealStoredSecrets(t.tdb.db)).toBeGreaterThanOrEqual(1);
    const stored = (await t.tdb.db.selectFrom('account').select('totp_secret').where('id', '=', created.account.id).executeTakeFirstOrThrow()).totp_secret!;
    expect(stored).toMatch(/^sealed:v1:/);
    expect(openSecret(stored)).toBe(secret);
    const session = await logIn(t.app, 'legacy.officer', password, secret, clock);
    expect((await t.app.inject({ url: '/api/v1/auth/whoami', headers: session.headers })).statusCode).toBe(200);
    expect(await sealStoredSecrets(t.tdb.db)).toBe(0);
  });
});
