import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { logIn } from '../../test/access-fixtures.ts';
import { buildApp } from '../app/build-app.ts';
import { systemClock } from '../platform/clock.ts';
import { listenTo } from '../platform/db/listen.ts';
import { SYSTEM_ACTOR } from './actor.ts';
import { createAccount, lockAccount } from './accounts.service.ts';
import { issueApiToken } from './auth.service.ts';
import { CREDENTIAL_CACHE_MS, CREDENTIALS_CHANNEL, credentialsChanged } from './credential-cache.ts';

// Credentials are cached in process (src/access/credential-cache.ts): these show that revocation,
// logout and locks still take effect — at once through this process, on the notification from
// another one, and within CREDENTIAL_CACHE_MS when no notification arrives.

let tdb: TestDatabase;
let app: FastifyInstance;
const ctx = () => ({ db: tdb.db, clock: systemClock, actor: { ...SYSTEM_ACTOR, id: 'test' } });
let n = 0;

async function tokenOf(role: 'statistician' | 'department_client' = 'department_client') {
  const created = await createAccount(ctx(), { username: `cache.${role}.${n++}`, displayName: 'cache test', role, authorityId: role === 'statistician' ? 'prov-110000' : undefined, password: role === 'statistician' ? 'cache-test-password-1' : undefined });
  const issued = await issueApiToken({ db: tdb.db, clock: systemClock }, { accountId: created.account.id, name: 'cache test', expiresInDays: 1, issuedBy: 'test' });
  return { accountId: created.account.id, tokenId: issued.id, headers: { authorization: `Bearer ${issued.token}` } };
}

const whoami = (headers: Record<string, string>) => app.inject({ url: '/api/v1/auth/whoami', headers });

beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await buildApp({ db: tdb.db, logger: false });
});

afterAll(async () => {
  await app?.close();
  await tdb?.close();
});

describe('cached credentials', () => {
  it('a token revoked through the API is refused on the very next request', async () => {
    const t = await tokenOf('statistician');
    expect((await whoami(t.headers)).statusCode).toBe(200); // now cached
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${t.tokenId}`, headers: t.headers })).statusCode).toBe(204);
    const after = await whoami(t.headers);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('SESSION_EXPIRED');
  });

  it('an account locked by an administrator is refused on the next request, by token and by session', async () => {
    const t = await tokenOf('statistician');
    const username = (await tdb.db.selectFrom('account').select('username').where('id', '=', t.accountId).executeTakeFirstOrThrow()).username;
    const session = await logIn(app, username, 'cache-test-password-1');
    expect((await whoami(t.headers)).statusCode).toBe(200);
    expect((await whoami({ cookie: session.cookie })).statusCode).toBe(200);
    await lockAccount(ctx(), t.accountId, 'test: lost laptop');
    expect((await whoami(t.headers)).json().error.code).toBe('ACCOUNT_LOCKED');
    expect((await whoami({ cookie: session.cookie })).statusCode).toBe(401);
  });

  it('a logged-out session is refused on the next request', async () => {
    const t = await tokenOf('statistician');
    const username = (await tdb.db.selectFrom('account').select('username').where('id', '=', t.accountId).executeTakeFirstOrThrow()).username;
    const s = await logIn(app, username, 'cache-test-password-1');
    expect((await whoami({ cookie: s.cookie })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: s.headers })).statusCode).toBe(204);
    expect((await whoami({ cookie: s.cookie })).json().error.code).toBe('SESSION_EXPIRED');
  });

  it('a revocation committed by another process is refused once its notification arrives', async () => {
    const t = await tokenOf();
    let notified: () => void = () => {};
    let connected: () => void = () => {};
    const isConnected = new Promise<void>((r) => (connected = r));
    // what `hukou serve` runs (src/app/server.ts); it also fires once on connect
    const listener = listenTo(tdb.url, CREDENTIALS_CHANNEL, () => {
      credentialsChanged();
      connected();
      notified();
    });
    try {
      await isConnected;
      expect((await whoami(t.headers)).statusCode).toBe(200);
      const arrived = new Promise<void>((r) => (notified = r));
      // another process: plain SQL on its own connection, nothing of this process involved
      await tdb.pool.query('update api_token set revoked_at = now() where id = $1', [t.tokenId]);
      await arrived;
      expect((await whoami(t.headers)).json().error.code).toBe('SESSION_EXPIRED');
    } finally {
      await listener.close();
    }
  });

  it('bookkeeping writes (last used, failed attempts) announce nothing; a lock by SQL does', async () => {
    const t = await tokenOf();
    const client = await tdb.pool.connect();
    try {
      await client.query(`listen ${CREDENTIALS_CHANNEL}`);
      const seen: string[] = [];
      client.on('notification', (m) => seen.push(m.payload ?? ''));
      await tdb.pool.query('update api_token set last_used_at = now() where id = $1', [t.tokenId]);
      await tdb.pool.query('update account set failed_attempts = failed_attempts + 1 where id = $1', [t.accountId]);
      await tdb.pool.query(`update account set status = 'locked', locked_reason = 'sql' where id = $1`, [t.accountId]);
      await client.query('select 1'); // notifications are delivered between queries
      for (let i = 0; i < 50 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(seen).toEqual(['account']);
    } finally {
      await client.query(`unlisten ${CREDENTIALS_CHANNEL}`);
      client.release();
    }
  });

  it(`without any notification, a revocation committed elsewhere is refused after ${CREDENTIAL_CACHE_MS} ms at most`, async () => {
    const t = await tokenOf();
    expect((await whoami(t.headers)).statusCode).toBe(200);
    await tdb.pool.query('update api_token set revoked_at = now() where id = $1', [t.tokenId]);
    // no listener in this app: only the bound applies
    await new Promise((r) => setTimeout(r, CREDENTIAL_CACHE_MS + 50));
    expect((await whoami(t.headers)).json().error.code).toBe('SESSION_EXPIRED');
  });
});
