import type { ColumnType, Generated } from 'kysely';
import type { Role } from './roles.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AccountTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: Exclude<Role, 'operator' | 'system'>;
  authority_id: string;
  person_id: number | null;
  password_hash: string | null;
  must_change_password: Generated<boolean>;
  totp_secret: string | null;
  totp_last_step: number | null;
  status: Generated<'active' | 'locked'>;
  locked_reason: string | null;
  failed_attempts: Generated<number>;
  locked_until: Date | null;
  created_at: DefaultTimestamp;
  created_by: string;
  updated_at: DefaultTimestamp;
}

export interface AuthSessionTable {
  token_hash: Buffer;
  account_id: number;
  second_factor_at: Date | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  token_hash: Buffer;
  account_id: number;
  name: string;
  prefix: string;
  created_at: Timestamp;
  created_by: string;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export type AccountEventKind =
  | 'created'
  | 'login_succeeded'
  | 'login_failed'
  | 'second_factor_succeeded'
  | 'second_factor_failed'
  | 'auto_locked'
  | 'login_refused_locked'
  | 'locked'
  | 'unlocked'
  | 'password_reset'
  | 'password_changed'
  | 'logout'
  | 'token_created'
  | 'token_revoked'
  | 'person_linked';

export interface AccountEventTable {
  id: Generated<number>;
  account_id: number | null;
  kind: AccountEventKind;
  at: Timestamp;
  actor_id: string;
  ip: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface AccessTables {
  account: AccountTable;
  auth_session: AuthSessionTable;
  api_token: ApiTokenTable;
  account_event: AccountEventTable;
}

declare module '../platform/db/schema.ts' {
  interface Database extends AccessTables {}
}
