import { sql, type Selectable, type SqlBool } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { PREPARED } from '../platform/db/prepared.ts';
import { personDirectory } from './person-directory.ts';
import { credentialsChanged } from './credential-cache.ts';
import type { AccountEventKind, AccountTable, ApiTokenTable, AuthSessionTable } from './access.tables.ts';
import { areaPredicate, type Area } from './jurisdiction.ts';
import type { AccountRole } from './roles.ts';

/** Every column of an account, secrets included: for authentication only, never for responses. */
export type AccountRow = Selectable<AccountTable>;

const ACCOUNT_COLUMNS = [
  'account.id',
  'account.username',
  'account.display_name',
  'account.role',
  'account.authority_id',
  'account.person_id',
  'account.password_hash',
  'account.must_change_password',
  'account.totp_secret',
  'account.totp_last_step',
  'account.status',
  'account.locked_reason',
  'account.failed_attempts',
  'account.locked_until',
  'account.created_at',
  'account.created_by',
  'account.updated_at',
] as const;

/** What an administrator or the account holder may see: no secrets. */
export interface AccountSummaryRow {
  id: number;
  username: string;
  display_name: string;
  role: AccountRole;
  authority_id: string;
  authority_name: string;
  person_id: number | null;
  status: 'active' | 'locked';
  locked_reason: string | null;
  locked_until: Date | null;
  must_change_password: boolean;
  second_factor_enrolled: boolean;
  created_at: Date;
  created_by: string;
}

function summarySelect(db: Db) {
  return db
    .selectFrom('account')
    .innerJoin('authority', 'authority.id', 'account.authority_id')
    .select([
      'account.id',
      'account.username',
      'account.display_name',
      'account.role',
      'account.authority_id',
      'authority.name as authority_name',
      'account.person_id',
      'account.status',
      'account.locked_reason',
      'account.locked_until',
      'account.must_change_password',
      sql<boolean>`account.totp_secret is not null`.as('second_factor_enrolled'),
      'account.created_at',
      'account.created_by',
    ]);
}

export function findAccountByUsername(db: Db, username: string): Promise<AccountRow | undefined> {
  return db.selectFrom('account').select(ACCOUNT_COLUMNS).where('account.username', '=', username).executeTakeFirst();
}

export function findAccountById(db: Db, id: number): Promise<AccountRow | undefined> {
  return db.selectFrom('account').select(ACCOUNT_COLUMNS).where('account.id', '=', id).executeTakeFirst();
}

export function lockAccountRow(db: Db, id: number): Promise<AccountRow | undefined> {
  return db.selectFrom('account').select(ACCOUNT_COLUMNS).where('account.id', '=', id).forUpdate().executeTakeFirst();
}

export function findAccountSummary(db: Db, id: number, area: Area): Promise<AccountSummaryRow | undefined> {
  return summarySelect(db)
    .where('account.id', '=', id)
    .where(areaPredicate(area, sql.ref('authority.division_code'), sql.ref('authority.township_code')))
    .executeTakeFirst();
}

export interface AccountFilter {
  role?: AccountRole | undefined;
  authorityId?: string | undefined;
  status?: 'active' | 'locked' | undefined;
  limit: number;
  offset: number;
}

export async function listAccountSummaries(db: Db, area: Area, f: AccountFilter): Promise<{ items: AccountSummaryRow[]; total: number }> {
  let q = summarySelect(db).where(areaPredicate(area, sql.ref('authority.division_code'), sql.ref('authority.township_code')));
  if (f.role) q = q.where('account.role', '=', f.role);
  if (f.authorityId) q = q.where('account.authority_id', '=', f.authorityId);
  if (f.status) q = q.where('account.status', '=', f.status);
  const [items, count] = await Promise.all([
    q.orderBy('account.id').limit(f.limit).offset(f.offset).execute(),
    q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export interface NewAccount {
  username: string;
  display_name: string;
  role: AccountRole;
  authority_id: string;
  person_id: number | null;
  password_hash: string | null;
  must_change_password: boolean;
  totp_secret: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

export async function insertAccount(db: Db, a: NewAccount): Promise<number> {
  const row = await db.insertInto('account').values(a).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export type AccountPatch = Partial<
  Pick<AccountRow, 'password_hash' | 'must_change_password' | 'totp_secret' | 'totp_last_step' | 'status' | 'locked_reason' | 'failed_attempts' | 'locked_until' | 'person_id'>
>;

/** Patches that change what a credential of the account resolves to (the rest are login bookkeeping). */
const PRINCIPAL_FIELDS: readonly (keyof AccountPatch)[] = ['status', 'must_change_password', 'person_id', 'password_hash'];

export async function updateAccount(db: Db, id: number, patch: AccountPatch, at: Date): Promise<void> {
  if (PRINCIPAL_FIELDS.some((f) => f in patch)) credentialsChanged();
  await db
    .updateTable('account')
    .set({ ...patch, updated_at: at })
    .where('id', '=', id)
    .execute();
}

export async function insertAccountEvent(
  db: Db,
  e: { accountId: number | null; kind: AccountEventKind; at: Date; actorId: string; ip: string | null; detail?: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('account_event')
    .values({ account_id: e.accountId, kind: e.kind, at: e.at, actor_id: e.actorId, ip: e.ip, detail: JSON.stringify(e.detail ?? {}) })
    .execute();
}

export function listAccountEvents(db: Db, accountId: number) {
  return db
    .selectFrom('account_event')
    .select(['id', 'kind', 'at', 'actor_id', 'ip', 'detail'])
    .where('account_id', '=', accountId)
    .orderBy('id')
    .execute();
}

// ---- sessions

export async function insertSession(db: Db, s: Selectable<AuthSessionTable>): Promise<void> {
  await db.insertInto('auth_session').values(s).execute();
}

export type SessionWithAccount = Pick<Selectable<AuthSessionTable>, 'token_hash' | 'second_factor_at' | 'created_at' | 'last_seen_at' | 'expires_at' | 'revoked_at'> &
  Pick<AccountRow, 'id' | 'username' | 'role' | 'authority_id' | 'person_id' | 'status' | 'must_change_password' | 'totp_secret'>;

export function findSession(db: Db, tokenHash: Buffer): Promise<SessionWithAccount | undefined> {
  return db
    .selectFrom('auth_session as s')
    .innerJoin('account', 'account.id', 's.account_id')
    .select([
      's.token_hash',
      's.second_factor_at',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      's.revoked_at',
      'account.id',
      'account.username',
      'account.role',
      'account.authority_id',
      'account.person_id',
      'account.status',
      'account.must_change_password',
      'account.totp_secret',
    ])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function updateSession(
  db: Db,
  tokenHash: Buffer,
  patch: Partial<Pick<Selectable<AuthSessionTable>, 'token_hash' | 'last_seen_at' | 'expires_at' | 'second_factor_at' | 'revoked_at'>>,
): Promise<void> {
  if (Object.keys(patch).some((k) => k !== 'last_seen_at')) credentialsChanged();
  await db.updateTable('auth_session').set(patch).where('token_hash', '=', tokenHash).execute();
}

export async function revokeSessionsOf(db: Db, accountId: number, at: Date, except?: Buffer): Promise<void> {
  credentialsChanged();
  let q = db.updateTable('auth_session').set({ revoked_at: at }).where('account_id', '=', accountId).where('revoked_at', 'is', null);
  if (except) q = q.where('token_hash', '!=', except);
  await q.execute();
}

// ---- API tokens

export async function insertApiToken(db: Db, t: Omit<Selectable<ApiTokenTable>, 'id' | 'last_used_at' | 'revoked_at'>): Promise<number> {
  const row = await db.insertInto('api_token').values(t).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export type TokenWithAccount = Pick<Selectable<ApiTokenTable>, 'expires_at' | 'revoked_at' | 'last_used_at'> & { token_id: number } & Pick<
    AccountRow,
    'id' | 'role' | 'authority_id' | 'person_id' | 'status' | 'locked_until' | 'must_change_password'
  >;

/** Every authenticated API call runs this: a prepared statement (src/platform/db/prepared.ts). */
export async function findApiToken(db: Db, tokenHash: Buffer): Promise<TokenWithAccount | undefined> {
  const { rows } = await sql<TokenWithAccount>`${sql.raw(PREPARED)}select t.id as token_id, t.expires_at, t.revoked_at, t.last_used_at, a.id, a.role, a.authority_id,
         a.person_id, a.status, a.locked_until, a.must_change_password
    from api_token t join account a on a.id = t.account_id
   where t.token_hash = ${tokenHash}`.execute(db);
  return rows[0];
}

export async function touchApiToken(db: Db, id: number, at: Date): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute();
}

export function listApiTokens(db: Db, accountId: number) {
  return db
    .selectFrom('api_token')
    .select(['id', 'name', 'prefix', 'created_at', 'created_by', 'expires_at', 'last_used_at', 'revoked_at'])
    .where('account_id', '=', accountId)
    .orderBy('id')
    .execute();
}

export async function revokeApiToken(db: Db, accountId: number, id: number, at: Date): Promise<boolean> {
  credentialsChanged();
  const r = await db.updateTable('api_token').set({ revoked_at: at }).where('account_id', '=', accountId).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

// ---- reference and register lookups (read-only)

export function findAuthority(db: Db, id: string) {
  return db.selectFrom('authority').select(['id', 'kind', 'name']).where('id', '=', id).executeTakeFirst();
}

/** The first living person without a citizen account (the demo citizen's record). */
export function firstUnlinkedPersonId(db: Db): Promise<number | null> {
  return personDirectory().firstActivePersonIdWhere(db, (personId) => sql<SqlBool>`exists (select 1 from account where account.person_id = ${personId})`);
}

/** The person holding (or having held) an ID number, through the register's published lookup. */
export function findPersonIdByIdNumber(db: Db, idNumber: string): Promise<number | null> {
  return personDirectory().findPersonIdByIdNumber(db, idNumber);
}

/** The role and authority of the accounts behind actor ids (`user:<id>`); other actors are left out. */
export function accountsOfActors(db: Db, actorIds: readonly string[]) {
  const ids = [...new Set(actorIds.flatMap((a) => (/^user:[0-9]{1,15}$/.test(a) ? [Number(a.slice(5))] : [])))];
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('account')
    .leftJoin('authority', 'authority.id', 'account.authority_id')
    .select(['account.id', 'account.role', 'account.authority_id', 'authority.name as authority_name'])
    .where('account.id', 'in', ids)
    .execute();
}
