import { AppError } from '../platform/errors.ts';
import type { Actor } from './actor.ts';
import type { Role } from './roles.ts';

interface OperationRule {
  /** Roles allowed (`operator` and `system` are allowed everything; see `can`). */
  roles: readonly Role[];
  /** Reads personal data: subject to the per-account personal-data rate limit. */
  personalData: boolean;
  /** Officers must state a purpose (PIPL Art. 6, 34). */
  purpose: boolean;
  summary: string;
}

const OFFICERS = ['counter_officer', 'registration_officer', 'supervisor'] as const;

/**
 * Who may do what (role level). Where they may do it is jurisdiction (`jurisdiction.ts`), applied
 * by the queries themselves; a role-level refusal is FORBIDDEN, a record out of area is NOT_FOUND.
 */
export const OPERATIONS = {
  'person.read': { roles: OFFICERS, personalData: true, purpose: true, summary: 'full record of one person' },
  'person.search': { roles: OFFICERS, personalData: true, purpose: false, summary: 'search persons; masked names and ID numbers' },
  'household.read': { roles: OFFICERS, personalData: true, purpose: true, summary: 'full record of one household and its members' },
  'register.change': { roles: ['registration_officer', 'supervisor'], personalData: false, purpose: false, summary: 'record registration events' },
  'register.override': { roles: ['supervisor'], personalData: false, purpose: false, summary: 'reassign and override, with a reason' },
  'application.accept': { roles: OFFICERS, personalData: false, purpose: false, summary: 'accept applications at the counter' },
  'stats.read': { roles: ['statistician', 'supervisor'], personalData: false, purpose: false, summary: 'aggregate statistics' },
  'account.manage': { roles: ['administrator'], personalData: false, purpose: false, summary: 'create, lock, unlock, reset accounts' },
  'self.read': { roles: ['citizen'], personalData: false, purpose: false, summary: "a citizen's own record and access trail" },
} as const satisfies Record<string, OperationRule>;

export type Operation = keyof typeof OPERATIONS;

export function operationRule(op: Operation): OperationRule {
  return OPERATIONS[op];
}

/** Role-level permission. `operator` (local CLI, stopgap admin token) and `system` may do everything. */
export function can(actor: Actor, op: Operation): boolean {
  if (actor.role === 'operator' || actor.role === 'system') return true;
  return (OPERATIONS[op].roles as readonly Role[]).includes(actor.role);
}

export function assertCan(actor: Actor, op: Operation): void {
  if (!can(actor, op)) {
    throw new AppError('FORBIDDEN', `Your role (${actor.role}) may not ${OPERATIONS[op].summary}.`, { details: { operation: op, role: actor.role } });
  }
}

/** Whether this actor must state a purpose for the operation (officers reading full records). */
export function needsPurpose(actor: Actor, op: Operation): boolean {
  return OPERATIONS[op].purpose && (OFFICERS as readonly Role[]).includes(actor.role);
}
