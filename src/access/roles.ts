/**
 * The roles of issue #4. An account has exactly one.
 *
 * - `citizen`: reads their own record and who looked at it (PIPL Art. 45: right of access).
 * - `counter_officer`: accepts applications at an authority (受理).
 * - `registration_officer`: decides and changes the register within jurisdiction (户口登记条例 Art. 3).
 * - `supervisor`: reassigns and overrides within jurisdiction, always with a reason.
 * - `statistician`: aggregates only, never personal data.
 * - `administrator`: manages accounts, never records.
 * - `department_client`: another department's API client; its grants come with the sharing issue.
 *
 * Two more actors exist without accounts: `operator` (the local CLI user) and
 * `system` (jobs, migrations).
 */
export const ACCOUNT_ROLES = [
  'citizen',
  'counter_officer',
  'registration_officer',
  'supervisor',
  'statistician',
  'administrator',
  'department_client',
] as const;

export type AccountRole = (typeof ACCOUNT_ROLES)[number];
export type Role = AccountRole | 'operator' | 'system';

/** Roles that work for an authority and see its area. */
export const OFFICER_ROLES: readonly AccountRole[] = ['counter_officer', 'registration_officer', 'supervisor'];

export function isOfficer(role: Role): boolean {
  return (OFFICER_ROLES as readonly Role[]).includes(role);
}

/** Who must prove a second factor (TOTP) after the password: everyone who can see or change others' records, and administrators. */
export function requiresSecondFactor(role: Role): boolean {
  return isOfficer(role) || role === 'administrator';
}

/** Citizens and department clients act through the Ministry's national online platform. */
export const PLATFORM_AUTHORITY = 'mps';
