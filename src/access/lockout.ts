/**
 * Lockout with exponential backoff (NIST SP 800-63B §5.2.2: limit failed attempts): the first
 * FREE_ATTEMPTS consecutive failures cost nothing; each further one locks the account for twice as
 * long as the previous, from one minute up to a day. A success resets the count.
 */
export const FREE_ATTEMPTS = 5;
const BASE_MS = 60_000;
const MAX_MS = 24 * 3600_000;

/** How long the account stays locked after `failures` consecutive failures (0: not locked). */
export function lockoutDurationMs(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_MS, BASE_MS * 2 ** (failures - FREE_ATTEMPTS));
}
