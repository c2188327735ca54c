import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError, type FieldIssue } from '../platform/errors.ts';
import type { Actor } from './actor.ts';
import * as q from './access.queries.ts';
import { toAccountView, type AccountView } from './account-view.ts';
import { issueApiToken, type IssuedToken } from './auth.service.ts';
import { areaWithin, authorityArea, type Area } from './jurisdiction.ts';
import { assertCan } from './operations.ts';
import { generatePassword, hashPassword } from './password.ts';
import { PLATFORM_AUTHORITY, requiresSecondFactor, type AccountRole } from './roles.ts';
import { sealSecret } from './secret-box.ts';
import { generateTotpSecret, totpUri } from './totp.ts';

/** Enrolment data shown once: the authenticator secret and its `otpauth://` URI (for a QR code). */
export interface TotpEnrolment {
  secret: string;
  uri: string;
}

export interface CreatedAccount {
  account: AccountView;
  /** The first password (the holder must change it at first login); null for department clients. */
  initialPassword: string | null;
  totp: TotpEnrolment | null;
}

/** The area of accounts an administrator manages: those of authorities inside their own. */
function managedArea(actor: Actor): Area {
  assertCan(actor, 'account.manage');
  if (actor.role === 'operator' || actor.role === 'system') return { kind: 'nation' };
  const area = authorityArea(actor.authorityId);
  if (!area) throw new AppError('FORBIDDEN', `Your authority (${actor.authorityId}) has no area; you manage no accounts.`);
  return area;
}

function accountNotFound(id: number): AppError {
  return new AppError('ACCOUNT_NOT_FOUND', `No account ${id} among the accounts you manage. List them with GET /api/v1/accounts.`, { details: { id } });
}

async function requireManaged(ctx: ServiceContext, id: number): Promise<q.AccountSummaryRow> {
  const row = await q.findAccountSummary(ctx.db, id, managedArea(ctx.actor));
  if (!row) throw accountNotFound(id);
  return row;
}

export interface CreateAccountInput {
  username: string;
  displayName: string;
  role: AccountRole;
  /** Required for officers, statisticians and administrators; citizens and department clients use the platform (`mps`). */
  authorityId?: string | undefined;
  /** Citizens: the ID number of their person record (optional; the account can be linked later). */
  personIdNumber?: string | undefined;
  /** Only for seeding and tests: a fixed password instead of a generated one. */
  password?: string | undefined;
  totpSecret?: string | undefined;
}

export async function createAccount(ctx: ServiceContext, input: CreateAccountInput): Promise<CreatedAccount> {
  const area = managedArea(ctx.actor);
  const issues: FieldIssue[] = [];
  const platformRole = input.role === 'citizen' || input.role === 'department_client';
  const authorityId = platformRole ? (input.authorityId ?? PLATFORM_AUTHORITY) : input.authorityId;
  if (platformRole && authorityId !== PLATFORM_AUTHORITY) {
    issues.push({ field: 'body.authorityId', code: 'PLATFORM_ROLE', message: `${input.role} accounts act through the national platform: omit authorityId or use "${PLATFORM_AUTHORITY}"` });
  }
  if (!authorityId) {
    issues.push({ field: 'body.authorityId', code: 'REQUIRED', message: `${input.role} accounts belong to an authority (e.g. station-110105001, county-110105)` });
  } else {
    const authority = await q.findAuthority(ctx.db, authorityId);
    const authArea = authorityArea(authorityId);
    if (!authority || !authArea) issues.push({ field: 'body.authorityId', code: 'UNKNOWN', message: `no authority has id ${authorityId}` });
    else if (!areaWithin(authArea, area)) issues.push({ field: 'body.authorityId', code: 'OUTSIDE_AREA', message: `${authorityId} is outside the area of your authority ${ctx.actor.authorityId}` });
  }
  let personId: number | null = null;
  if (input.personIdNumber !== undefined) {
    if (input.role !== 'citizen') issues.push({ field: 'body.personIdNumber', code: 'CITIZENS_ONLY', message: 'only citizen accounts are linked to a person record' });
    else {
      personId = await q.findPersonIdByIdNumber(ctx.db, input.personIdNumber.toUpperCase());
      if (personId === null) issues.push({ field: 'body.personIdNumber', code: 'UNKNOWN', message: 'no person holds this ID number' });
    }
  }
  if (issues.length) throw new AppError('ACCOUNT_INVALID', `The account cannot be created: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}.`, { details: issues });

  const username = input.username.toLowerCase();
  if (await q.findAccountByUsername(ctx.db, username)) throw new AppError('ACCOUNT_EXISTS', `The username ${username} is taken. Choose another.`, { details: { username } });
  const now = ctx.clock.now();
  const initialPassword = input.role === 'department_client' ? null : (input.password ?? generatePassword());
  const secret = requiresSecondFactor(input.role) ? (input.totpSecret ?? generateTotpSecret()) : null;
  const passwordHash = initialPassword === null ? null : await hashPassword(initialPassword);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const accountId = await q.insertAccount(trx, {
      username,
      display_name: input.displayName,
      role: input.role,
      authority_id: authorityId!,
      person_id: personId,
      password_hash: passwordHash,
      must_change_password: initialPassword !== null && input.password === undefined,
      totp_secret: secret === null ? null : sealSecret(secret),
      created_by: ctx.actor.id,
      created_at: now,
      updated_at: now,
    });
    await q.insertAccountEvent(trx, { accountId, kind: 'created', at: now, actorId: ctx.actor.id, ip: null, detail: { role: input.role, authorityId, personId } });
    return accountId;
  }).catch((e: unknown) => {
    if ((e as { code?: string }).code === '23505') throw new AppError('ACCOUNT_EXISTS', `An account with username ${username} or for this person already exists.`, { details: { username } });
    throw e;
  });
  const row = await q.findAccountSummary(ctx.db, id, { kind: 'nation' });
  return { account: toAccountView(row!), initialPassword, totp: secret ? { secret, uri: totpUri(secret, username) } : null };
}

export async function listAccounts(ctx: ServiceContext, filter: q.AccountFilter): Promise<{ items: AccountView[]; total: number }> {
  const { items, total } = await q.listAccountSummaries(ctx.db, managedArea(ctx.actor), filter);
  return { items: items.map(toAccountView), total };
}

export async function getAccount(ctx: ServiceContext, id: number): Promise<AccountView> {
  return toAccountView(await requireManaged(ctx, id));
}

/** An administrator locks an account: it can no longer log in or use its sessions and tokens. */
export async function lockAccount(ctx: ServiceContext, id: number, reason: string): Promise<AccountView> {
  await requireManaged(ctx, id);
  if (ctx.actor.accountId === id) throw new AppError('FORBIDDEN', 'You cannot lock your own account; ask another administrator.');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await q.updateAccount(trx, id, { status: 'locked', locked_reason: reason }, now);
    await q.revokeSessionsOf(trx, id, now);
    await q.insertAccountEvent(trx, { accountId: id, kind: 'locked', at: now, actorId: ctx.actor.id, ip: null, detail: { reason } });
  });
  return getAccount(ctx, id);
}

/** Lifts an administrator's lock and any backoff lock, and forgets past failures. */
export async function unlockAccount(ctx: ServiceContext, id: number): Promise<AccountView> {
  await requireManaged(ctx, id);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await q.updateAccount(trx, id, { status: 'active', locked_reason: null, locked_until: null, failed_attempts: 0 }, now);
    await q.insertAccountEvent(trx, { accountId: id, kind: 'unlocked', at: now, actorId: ctx.actor.id, ip: null });
  });
  return getAccount(ctx, id);
}

export interface PasswordReset {
  account: AccountView;
  temporaryPassword: string;
  totp: TotpEnrolment | null;
}

/**
 * Administrator-driven reset: a random temporary password (changed at next login), all sessions
 * ended, failures forgotten; optionally a new TOTP secret (lost phone).
 */
export async function resetPassword(ctx: ServiceContext, id: number, opts: { resetSecondFactor: boolean }): Promise<PasswordReset> {
  const target = await requireManaged(ctx, id);
  if (target.role === 'department_client') throw new AppError('FORBIDDEN', 'Department clients have no password; issue a new API token instead (POST /api/v1/accounts/{id}/tokens).');
  const now = ctx.clock.now();
  const temporaryPassword = generatePassword();
  const hash = await hashPassword(temporaryPassword);
  const secret = opts.resetSecondFactor && requiresSecondFactor(target.role) ? generateTotpSecret() : null;
  await ctx.db.transaction().execute(async (trx) => {
    await q.updateAccount(
      trx,
      id,
      { password_hash: hash, must_change_password: true, failed_attempts: 0, locked_until: null, ...(secret ? { totp_secret: sealSecret(secret), totp_last_step: null } : {}) },
      now,
    );
    await q.revokeSessionsOf(trx, id, now);
    await q.insertAccountEvent(trx, { accountId: id, kind: 'password_reset', at: now, actorId: ctx.actor.id, ip: null, detail: { secondFactorReset: secret !== null } });
  });
  return { account: await getAccount(ctx, id), temporaryPassword, totp: secret ? { secret, uri: totpUri(secret, target.username) } : null };
}

/** An API token for a department client, issued by an administrator (clients have no password). */
export async function issueClientToken(ctx: ServiceContext, id: number, input: { name: string; expiresInDays: number | null }): Promise<IssuedToken> {
  const target = await requireManaged(ctx, id);
  if (target.role !== 'department_client') {
    throw new AppError('FORBIDDEN', 'Administrators issue tokens to department clients only; other account holders create their own (POST /api/v1/auth/tokens).');
  }
  return issueApiToken(ctx, { accountId: id, name: input.name, expiresInDays: input.expiresInDays, issuedBy: ctx.actor.id });
}

/** Links a citizen account to its person record (an administrator, after checking identity). */
export async function linkCitizen(ctx: ServiceContext, id: number, personIdNumber: string): Promise<AccountView> {
  const target = await requireManaged(ctx, id);
  if (target.role !== 'citizen') throw new AppError('ACCOUNT_INVALID', 'Only citizen accounts are linked to a person record.', { details: [{ field: 'params.id', code: 'NOT_CITIZEN', message: `account ${id} is a ${target.role}` }] });
  const personId = await q.findPersonIdByIdNumber(ctx.db, personIdNumber.toUpperCase());
  if (personId === null) throw new AppError('ACCOUNT_INVALID', 'No person holds this ID number.', { details: [{ field: 'body.personIdNumber', code: 'UNKNOWN', message: 'no person holds this ID number' }] });
  const now = ctx.clock.now();
  await ctx.db
    .transaction()
    .execute(async (trx) => {
      await q.updateAccount(trx, id, { person_id: personId }, now);
      await q.insertAccountEvent(trx, { accountId: id, kind: 'person_linked', at: now, actorId: ctx.actor.id, ip: null, detail: { personId } });
    })
    .catch((e: unknown) => {
      if ((e as { code?: string }).code === '23505') throw new AppError('ACCOUNT_EXISTS', 'Another citizen account is already linked to this person.');
      throw e;
    });
  return getAccount(ctx, id);
}

/**
 * Seals TOTP secrets stored before sealing existed (or while no key was configured) with the
 * process's key (`useSecretKey`); called by `serve` at start. Returns how many it sealed.
 */
export async function sealStoredSecrets(db: Db): Promise<number> {
  const rows = await db
    .selectFrom('account')
    .select(['id', 'totp_secret'])
    .where('totp_secret', 'is not', null)
    .where('totp_secret', 'not like', 'sealed:%')
    .execute()
    // a database not migrated yet has no accounts to seal (serve without --migrate: /readyz says so)
    .catch((e: unknown) => {
      if ((e as { code?: string }).code === '42P01') return [];
      throw e;
    });
  let sealed = 0;
  for (const r of rows) {
    const value = sealSecret(r.totp_secret!);
    if (value === r.totp_secret) return 0; // no key configured: nothing to do
    await db.updateTable('account').set({ totp_secret: value }).where('id', '=', r.id).where('totp_secret', '=', r.totp_secret).execute();
    sealed++;
  }
  return sealed;
}

