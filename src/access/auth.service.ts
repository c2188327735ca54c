import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { accountActorId, type Actor } from './actor.ts';
import * as q from './access.queries.ts';
import { credentialsChanged, readCredential, updateCachedCredential } from './credential-cache.ts';
import { lockoutDurationMs } from './lockout.ts';
import { assertPasswordAcceptable, burnVerification, hashPassword, verifyPassword } from './password.ts';
import { requiresSecondFactor, type AccountRole } from './roles.ts';
import { API_TOKEN_PREFIX, csrfTokenFor, newToken, tokenHash } from './secrets.ts';
import { openSecret } from './secret-box.ts';
import { matchTotp } from './totp.ts';

/** What authentication needs before anyone is authenticated: the database and the time. */
export interface AuthDeps {
  db: Db;
  clock: Clock;
}

/**
 * Session lifetimes (OWASP Session Management: idle and absolute timeouts). A session waiting for
 * its second factor lives five minutes; last_seen is written at most once a minute per session.
 */
export const SESSION_LIMITS = { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000, pendingSecondFactorMs: 5 * 60_000, touchEveryMs: 60_000 } as const;

export type SessionState = 'authenticated' | 'second_factor_required' | 'password_change_required';

export interface NewSession {
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
  state: SessionState;
  accountId: number;
}

function invalidCredentials(): AppError {
  return new AppError('INVALID_CREDENTIALS', 'The username or password is wrong. Check both and retry; repeated failures lock the account for a growing time.');
}

function accountLocked(account: Pick<q.AccountRow, 'status' | 'locked_until'>, now: Date): AppError | null {
  if (account.status === 'locked') {
    return new AppError('ACCOUNT_LOCKED', 'The account is locked by an administrator. Ask an administrator of your authority to unlock it.', { details: { lockedBy: 'administrator' } });
  }
  if (account.locked_until && account.locked_until > now) {
    const retryAfterSeconds = Math.ceil((account.locked_until.getTime() - now.getTime()) / 1000);
    return new AppError('ACCOUNT_LOCKED', `Too many failed attempts: the account is locked for ${retryAfterSeconds} more seconds.`, {
      details: { lockedBy: 'backoff', retryAfterSeconds, lockedUntil: account.locked_until.toISOString() },
    });
  }
  return null;
}

/**
 * Counts one failed password or TOTP attempt and locks the account with backoff when due; commits.
 * Returns the lock when other attempts locked the account while this one was being verified: the
 * caller answers ACCOUNT_LOCKED, as it would for a right password then (NIST SP 800-63B §5.2.2:
 * a burst of concurrent guesses gets no more tries than a sequence, and no answer tells them apart).
 */
async function recordFailure(deps: AuthDeps, accountId: number, ip: string | null, factor: 'password' | 'totp'): Promise<AppError | null> {
  const now = deps.clock.now();
  const result = await deps.db.transaction().execute(async (trx) => {
    const row = await q.lockAccountRow(trx, accountId);
    if (!row) return null;
    const locked = accountLocked(row, now);
    if (locked) {
      await q.insertAccountEvent(trx, { accountId, kind: 'login_refused_locked', at: now, actorId: 'anonymous', ip });
      return locked;
    }
    const failures = row.failed_attempts + 1;
    const lockMs = lockoutDurationMs(failures);
    const lockedUntil = lockMs > 0 ? new Date(now.getTime() + lockMs) : row.locked_until;
    await q.updateAccount(trx, accountId, { failed_attempts: failures, locked_until: lockedUntil }, now);
    const actorId = accountActorId(accountId);
    await q.insertAccountEvent(trx, { accountId, kind: factor === 'password' ? 'login_failed' : 'second_factor_failed', at: now, actorId, ip, detail: { failures } });
    if (lockMs > 0) await q.insertAccountEvent(trx, { accountId, kind: 'auto_locked', at: now, actorId, ip, detail: { failures, lockedUntil: lockedUntil?.toISOString() } });
    return lockMs > 0 ? 'locked' : null;
  });
  // a backoff lock refuses the account's tokens and sessions too (issue #11): no cached credential outlives it
  if (result === 'locked') credentialsChanged();
  return result === 'locked' ? null : result;
}

/** Password login: a session waiting for its second factor (officers, administrators) or a full one. */
export async function logIn(deps: AuthDeps, input: { username: string; password: string; ip: string | null; userAgent: string | null }): Promise<NewSession> {
  const now = deps.clock.now();
  const account = await q.findAccountByUsername(deps.db, input.username.toLowerCase());
  if (!account || account.password_hash === null) {
    await burnVerification(input.password);
    // The attempted name is not stored: people type passwords into the username field.
    await q.insertAccountEvent(deps.db, { accountId: null, kind: 'login_failed', at: now, actorId: 'anonymous', ip: input.ip, detail: { reason: 'unknown_username' } });
    throw invalidCredentials();
  }
  const locked = accountLocked(account, now);
  if (locked) {
    await q.insertAccountEvent(deps.db, { accountId: account.id, kind: 'login_refused_locked', at: now, actorId: 'anonymous', ip: input.ip });
    throw locked;
  }
  if (!(await verifyPassword(account.password_hash, input.password))) {
    throw (await recordFailure(deps, account.id, input.ip, 'password')) ?? invalidCredentials();
  }
  const pending = requiresSecondFactor(account.role);
  const sessionToken = newToken();
  const expiresAt = new Date(now.getTime() + (pending ? SESSION_LIMITS.pendingSecondFactorMs : SESSION_LIMITS.absoluteMs));
  const lockedMeanwhile = await deps.db.transaction().execute(async (trx) => {
    // Re-checked under the row lock: concurrent failures may have locked the account while this
    // password was being verified (the check above read it without a lock).
    const current = await q.lockAccountRow(trx, account.id);
    if (!current) return invalidCredentials();
    const locked = accountLocked(current, now);
    if (locked) {
      await q.insertAccountEvent(trx, { accountId: account.id, kind: 'login_refused_locked', at: now, actorId: 'anonymous', ip: input.ip });
      return locked;
    }
    // The count is reset only once every factor is proven (NIST SP 800-63B §5.2.2): otherwise the
    // holder of a stolen password would get fresh TOTP guesses with every login.
    if (!pending) await q.updateAccount(trx, account.id, { failed_attempts: 0, locked_until: null }, now);
    await q.insertSession(trx, {
      token_hash: tokenHash(sessionToken),
      account_id: account.id,
      second_factor_at: pending ? null : now,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      revoked_at: null,
      ip: input.ip,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
    });
    await q.insertAccountEvent(trx, { accountId: account.id, kind: 'login_succeeded', at: now, actorId: accountActorId(account.id), ip: input.ip, detail: { secondFactorPending: pending } });
    return null;
  });
  if (lockedMeanwhile) throw lockedMeanwhile;
  const state: SessionState = pending ? 'second_factor_required' : account.must_change_password ? 'password_change_required' : 'authenticated';
  return { sessionToken, csrfToken: csrfTokenFor(sessionToken), expiresAt, state, accountId: account.id };
}

/**
 * The second step: a TOTP code (RFC 6238) completes a pending session. A code is accepted once.
 * The session gets a new token (OWASP Session Management: renew the id on any privilege change),
 * so a token seen before the second factor never becomes an authenticated session.
 */
export async function verifySecondFactor(deps: AuthDeps, input: { sessionToken: string; accountId: number; code: string; ip: string | null }): Promise<NewSession> {
  const now = deps.clock.now();
  const hash = tokenHash(input.sessionToken);
  const sessionToken = newToken();
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const account = await q.lockAccountRow(trx, input.accountId);
    if (!account) throw new AppError('SESSION_EXPIRED', 'The session has ended. Log in again.');
    const locked = accountLocked(account, now);
    if (locked) throw locked;
    const step = account.totp_secret ? matchTotp(openSecret(account.totp_secret), input.code.trim(), now) : null;
    if (step === null) return { ok: false as const, replayed: false, account };
    // A right code already used (the losers of concurrent submissions of one code, or a replay) is
    // refused but is no guess at the secret: it does not count towards the backoff lock (issue #11).
    if (account.totp_last_step !== null && step <= account.totp_last_step) return { ok: false as const, replayed: true, account };
    await q.updateAccount(trx, account.id, { totp_last_step: step, failed_attempts: 0, locked_until: null }, now);
    const session = await q.findSession(trx, hash);
    const expiresAt = new Date((session?.created_at ?? now).getTime() + SESSION_LIMITS.absoluteMs);
    await q.updateSession(trx, hash, { token_hash: tokenHash(sessionToken), second_factor_at: now, expires_at: expiresAt, last_seen_at: now });
    await q.insertAccountEvent(trx, { accountId: account.id, kind: 'second_factor_succeeded', at: now, actorId: accountActorId(account.id), ip: input.ip });
    return { ok: true as const, account, expiresAt };
  });
  if (!outcome.ok) {
    const locked = outcome.replayed ? null : await recordFailure(deps, input.accountId, input.ip, 'totp');
    if (locked) throw locked;
    throw new AppError('SECOND_FACTOR_INVALID', 'The code is wrong, expired or already used. Enter the current 6-digit code from your authenticator app.');
  }
  return {
    sessionToken,
    csrfToken: csrfTokenFor(sessionToken),
    expiresAt: outcome.expiresAt,
    state: outcome.account.must_change_password ? 'password_change_required' : 'authenticated',
    accountId: outcome.account.id,
  };
}

export async function logOut(deps: AuthDeps, input: { sessionToken: string; accountId: number; ip: string | null }): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await q.updateSession(trx, tokenHash(input.sessionToken), { revoked_at: now });
    await q.insertAccountEvent(trx, { accountId: input.accountId, kind: 'logout', at: now, actorId: accountActorId(input.accountId), ip: input.ip });
  });
}

/** The holder changes their own password (required after an administrator's reset); other sessions end. */
export async function changePassword(
  deps: AuthDeps,
  input: { accountId: number; currentPassword: string; newPassword: string; keepSessionToken: string | null; ip: string | null },
): Promise<void> {
  const now = deps.clock.now();
  const account = await q.findAccountById(deps.db, input.accountId);
  if (!account?.password_hash) throw new AppError('FORBIDDEN', 'This account has no password (it authenticates with API tokens only).');
  // The current password is a guessable secret like at login: a locked account takes no guesses
  // here either (NIST SP 800-63B §5.2.2), or a stolen session would be an unlimited oracle.
  const locked = accountLocked(account, now);
  if (locked) throw locked;
  if (!(await verifyPassword(account.password_hash, input.currentPassword))) {
    throw (await recordFailure(deps, account.id, input.ip, 'password')) ?? invalidCredentials();
  }
  assertPasswordAcceptable(input.newPassword, account.username);
  if (input.newPassword === input.currentPassword) {
    throw new AppError('WEAK_PASSWORD', 'The new password must differ from the current one.', { details: [{ field: 'body.newPassword', code: 'UNCHANGED', message: 'must differ from the current password' }] });
  }
  const hash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await q.updateAccount(trx, account.id, { password_hash: hash, must_change_password: false }, now);
    await q.revokeSessionsOf(trx, account.id, now, input.keepSessionToken ? tokenHash(input.keepSessionToken) : undefined);
    await q.insertAccountEvent(trx, { accountId: account.id, kind: 'password_changed', at: now, actorId: accountActorId(account.id), ip: input.ip });
  });
}

/** The caller behind a credential, and what they still owe before using the API fully. */
export interface Principal {
  actor: Actor;
  via: 'session' | 'token';
  secondFactorPending: boolean;
  mustChangePassword: boolean;
  sessionExpiresAt: Date | null;
}

export function actorForAccount(a: { id: number; role: AccountRole; authority_id: string; person_id: number | null }): Actor {
  const actor: Actor = { id: accountActorId(a.id), role: a.role, authorityId: a.authority_id, accountId: a.id };
  if (a.person_id !== null) actor.personId = a.person_id;
  return actor;
}

function sessionExpired(why: string): AppError {
  return new AppError('SESSION_EXPIRED', `The session has ended (${why}). Log in again.`, { details: { reason: why } });
}

/** Resolves a session cookie: SESSION_EXPIRED when ended, ACCOUNT_LOCKED when the account is. */
export async function authenticateSession(deps: AuthDeps, sessionToken: string): Promise<Principal | null> {
  const hash = tokenHash(sessionToken);
  const key = `s:${hash.toString('base64')}`;
  const s = await readCredential(key, () => q.findSession(deps.db, hash));
  if (!s) return null;
  const now = deps.clock.now();
  if (s.revoked_at) throw sessionExpired('logged out or revoked');
  if (s.expires_at <= now) throw sessionExpired('past its lifetime');
  if (now.getTime() - s.last_seen_at.getTime() > SESSION_LIMITS.idleMs) throw sessionExpired('idle too long');
  if (s.status === 'locked') throw new AppError('ACCOUNT_LOCKED', 'The account is locked by an administrator.', { details: { lockedBy: 'administrator' } });
  if (now.getTime() - s.last_seen_at.getTime() > SESSION_LIMITS.touchEveryMs) {
    await q.updateSession(deps.db, hash, { last_seen_at: now });
    updateCachedCredential<q.SessionWithAccount>(key, (row) => ({ ...row, last_seen_at: now }));
  }
  return {
    actor: actorForAccount(s),
    via: 'session',
    secondFactorPending: requiresSecondFactor(s.role) && s.second_factor_at === null,
    mustChangePassword: s.must_change_password,
    sessionExpiresAt: s.expires_at,
  };
}

/** Resolves `Authorization: Bearer hk_…`; null when no such token exists. */
export async function authenticateApiToken(deps: AuthDeps, token: string): Promise<Principal | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const hash = tokenHash(token);
  const key = `t:${hash.toString('base64')}`;
  const t = await readCredential(key, () => q.findApiToken(deps.db, hash));
  if (!t) return null;
  const now = deps.clock.now();
  if (t.revoked_at) throw new AppError('SESSION_EXPIRED', 'This API token was revoked. Ask for a new one.', { details: { reason: 'token revoked' } });
  if (t.expires_at && t.expires_at <= now) throw new AppError('SESSION_EXPIRED', 'This API token has expired. Ask for a new one.', { details: { reason: 'token expired' } });
  // Locked by an administrator or by the failed-attempt backoff: the account's tokens are refused
  // as long as the lock lasts (issue #11; docs/access.md "Lockout and API tokens").
  const locked = accountLocked(t, now);
  if (locked) throw locked;
  if (!t.last_used_at || now.getTime() - t.last_used_at.getTime() > SESSION_LIMITS.touchEveryMs) {
    await q.touchApiToken(deps.db, t.token_id, now);
    updateCachedCredential<q.TokenWithAccount>(key, (row) => ({ ...row, last_used_at: now }));
  }
  return { actor: actorForAccount(t), via: 'token', secondFactorPending: false, mustChangePassword: t.must_change_password, sessionExpiresAt: null };
}

export interface IssuedToken {
  id: number;
  name: string;
  prefix: string;
  token: string;
  expiresAt: string | null;
}

/** A new API token for an account; the token itself is returned once and stored only as a hash. */
export async function issueApiToken(deps: AuthDeps, input: { accountId: number; name: string; expiresInDays: number | null; issuedBy: string }): Promise<IssuedToken> {
  const now = deps.clock.now();
  const token = newToken(API_TOKEN_PREFIX);
  const prefix = token.slice(0, 9);
  const expiresAt = input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * 86_400_000);
  const id = await deps.db.transaction().execute(async (trx) => {
    const tokenId = await q.insertApiToken(trx, {
      token_hash: tokenHash(token),
      account_id: input.accountId,
      name: input.name,
      prefix,
      created_at: now,
      created_by: input.issuedBy,
      expires_at: expiresAt,
    });
    await q.insertAccountEvent(trx, { accountId: input.accountId, kind: 'token_created', at: now, actorId: input.issuedBy, ip: null, detail: { tokenId, name: input.name } });
    return tokenId;
  });
  return { id, name: input.name, prefix, token, expiresAt: expiresAt?.toISOString() ?? null };
}

export async function revokeOwnApiToken(deps: AuthDeps, input: { accountId: number; tokenId: number; actorId: string }): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await q.revokeApiToken(trx, input.accountId, input.tokenId, now))) {
      throw new AppError('TOKEN_NOT_FOUND', `No active API token ${input.tokenId} belongs to this account. List them with GET /api/v1/auth/tokens.`);
    }
    await q.insertAccountEvent(trx, { accountId: input.accountId, kind: 'token_revoked', at: now, actorId: input.actorId, ip: null, detail: { tokenId: input.tokenId } });
  });
}

export async function listOwnApiTokens(deps: AuthDeps, accountId: number) {
  const rows = await q.listApiTokens(deps.db, accountId);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    expiresAt: r.expires_at?.toISOString() ?? null,
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  }));
}
