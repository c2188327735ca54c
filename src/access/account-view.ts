import type { AccountSummaryRow } from './access.queries.ts';
import type { AccountRole } from './roles.ts';

/** An account as the API shows it: never a hash, secret or token. */
export interface AccountView {
  id: number;
  username: string;
  displayName: string;
  role: AccountRole;
  authorityId: string;
  authorityName: string;
  personId: number | null;
  status: 'active' | 'locked';
  lockedReason: string | null;
  lockedUntil: string | null;
  mustChangePassword: boolean;
  secondFactorEnrolled: boolean;
  createdAt: string;
  createdBy: string;
}

export function toAccountView(r: AccountSummaryRow): AccountView {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    authorityId: r.authority_id,
    authorityName: r.authority_name,
    personId: r.person_id,
    status: r.status,
    lockedReason: r.locked_reason,
    lockedUntil: r.locked_until ? r.locked_until.toISOString() : null,
    mustChangePassword: r.must_change_password,
    secondFactorEnrolled: r.second_factor_enrolled,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
  };
}
