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
  // Citizens read their own record here too: their jurisdiction is themselves (`jurisdictionOf`), no purpose, not logged.
  'person.read': { roles: [...OFFICERS, 'citizen'], personalData: true, purpose: true, summary: 'full record of one person' },
  'person.search': { roles: OFFICERS, personalData: true, purpose: true, summary: 'search persons; masked names and ID numbers' },
  'household.read': { roles: OFFICERS, personalData: true, purpose: true, summary: 'full record of one household and its members' },
  'register.change': { roles: ['registration_officer', 'supervisor'], personalData: false, purpose: false, summary: 'record registration events' },
  'register.override': { roles: ['supervisor'], personalData: false, purpose: false, summary: 'reassign and override, with a reason' },
  // Counter work handled anywhere (跨省通办): ID card applications, loss reports, card delivery, residence registration, permit applications, endorsements.
  'application.accept': { roles: OFFICERS, personalData: false, purpose: false, summary: 'accept applications at the counter' },
  // One application or transfer and its trail: the application itself is the purpose.
  'application.read': { roles: [...OFFICERS, 'citizen'], personalData: true, purpose: false, summary: 'read an application or transfer and its trail' },
  // The hukou place confirms and issues ID cards (居民身份证法 Art. 8); the county bureau issues residence permits (居住证暂行条例 Art. 9).
  'idcard.decide': { roles: ['registration_officer', 'supervisor'], personalData: false, purpose: false, summary: 'confirm or refuse ID card applications at the hukou place' },
  'residence.decide': { roles: ['registration_officer', 'supervisor'], personalData: false, purpose: false, summary: 'issue, refuse or cancel residence permits' },
  // Departments and banks ask "is this card valid?" and get yes or no (PIPL Art. 6, minimum necessary).
  'idcard.check': { roles: [...OFFICERS, 'department_client'], personalData: true, purpose: false, summary: 'check whether an ID card is valid' },
  'identity.read': { roles: [...OFFICERS, 'citizen'], personalData: true, purpose: true, summary: 'the identity view: ID cards, residence, permit' },
  // Electronic household certificates (户籍证明): the subject reads their own; officers those issued in, or about persons of, their area; the certificate is the purpose.
  'certificate.read': { roles: [...OFFICERS, 'citizen'], personalData: true, purpose: false, summary: 'read an electronic household certificate and its PDF' },
  'certificate.revoke': { roles: ['registration_officer', 'supervisor'], personalData: false, purpose: false, summary: 'revoke an electronic household certificate, with a reason' },
  // Online services (issue #14): the catalog is open to any account; citizens apply online, officers at the counter.
  'service.read': { roles: [...OFFICERS, 'citizen', 'statistician', 'administrator', 'department_client'], personalData: false, purpose: false, summary: 'read the service catalog' },
  'application.submit': { roles: [...OFFICERS, 'citizen'], personalData: false, purpose: false, summary: 'create, submit, withdraw applications and upload materials' },
  // The competent authority reviews and decides (approve / reject) generic applications.
  'application.decide': { roles: ['registration_officer', 'supervisor'], personalData: false, purpose: false, summary: 'review, approve or reject applications at the competent authority' },
  // The work queue: what waits for an authority (masked names and ID numbers; each item opens by its own GET).
  'queue.read': { roles: OFFICERS, personalData: true, purpose: false, summary: 'list the pending work of an authority' },
  // Settlement (落户): explained eligibility of one person (officers state a purpose; citizens use /me), department facts, reviews, rounds.
  'settlement.check': { roles: OFFICERS, personalData: true, purpose: true, summary: "check a person's settlement eligibility" },
  'settlement.facts': { roles: OFFICERS, personalData: true, purpose: false, summary: 'record or read department facts for settlement' },
  'settlement.decide': { roles: ['registration_officer', 'supervisor'], personalData: false, purpose: false, summary: 'run settlement rounds and decide reviews' },
  'settlement.list': { roles: [...OFFICERS, 'citizen', 'statistician'], personalData: false, purpose: false, summary: 'read a published settlement list (masked)' },
  'stats.read': { roles: ['statistician', 'supervisor'], personalData: false, purpose: false, summary: 'aggregate statistics' },
  'account.manage': { roles: ['administrator'], personalData: false, purpose: false, summary: 'create, lock, unlock, reset accounts' },
  // A citizen reports their own card lost online (the portal); the card stops working at once.
  'self.report-loss': { roles: ['citizen'], personalData: false, purpose: false, summary: 'report their own ID card lost' },
  'self.read': { roles: ['citizen'], personalData: false, purpose: false, summary: "a citizen's own record and access trail" },
} as const satisfies Record<string, OperationRule>;

export type Operation = keyof typeof OPERATIONS;

export function operationRule(op: Operation): OperationRule {
  return OPERATIONS[op];
}

/** Role-level permission. `operator` (the local CLI) and `system` may do everything. */
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
