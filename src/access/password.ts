import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { AppError } from '../platform/errors.ts';

/**
 * argon2id with the OWASP-recommended floor (19 MiB, 2 passes, 1 lane) raised to 64 MiB / 3 passes,
 * the `argon2` package defaults. Hashes are PHC strings, so parameters can rise without a migration.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 65_536, timeCost: 3, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;

/** Spends the time of one verification when the account does not exist, so timing does not reveal usernames. */
export async function burnVerification(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await dummyHash, password);
}

/** Rejects passwords that are too short or too uniform (NIST SP 800-63B §5.1.1: length over composition rules). */
export function assertPasswordAcceptable(password: string, username: string): void {
  const problems: { field: string; code: string; message: string }[] = [];
  if (Array.from(password).length < MIN_PASSWORD_LENGTH) problems.push({ field: 'body.newPassword', code: 'TOO_SHORT', message: `must have at least ${MIN_PASSWORD_LENGTH} characters` });
  if (new Set(password).size < 5) problems.push({ field: 'body.newPassword', code: 'TOO_UNIFORM', message: 'must use at least 5 different characters' });
  if (password.toLowerCase().includes(username.toLowerCase())) problems.push({ field: 'body.newPassword', code: 'CONTAINS_USERNAME', message: 'must not contain the username' });
  if (problems.length) throw new AppError('WEAK_PASSWORD', `The new password is too weak: it ${problems.map((p) => p.message).join('; ')}.`, { details: problems });
}

/** A random password for first use or after a reset (the holder must change it at the next login). */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
