import { AppError } from '../platform/errors.ts';
/**
 * The words of a refusal for a record out of the actor's jurisdiction (issue #12 §6). Out of area
 * stays NOT_FOUND, exactly like a record nobody holds, so the message must not say which: it says
 * what the caller can know — the record is not among those their authority may see — and, where a
 * counter anywhere can act for whoever presents themselves (跨省通办), what they can do instead.
 */
export function notAmongVisible(what: string): string {
  return `${what} not found among the records your authority may see.`;
}

/** What any counter can do for a person whose record it cannot see (ID Card Law Art. 9 handled anywhere; 居住证暂行条例 Art. 5). */
export const COUNTER_ANYWHERE_HINT =
  'Any counter can still accept an ID card application (POST /api/v1/id-card-applications) or register residence (POST /api/v1/residence-registrations) for the person presenting themselves.';

/** The one refusal for a person not found among those the caller may see (or not at all): the same either way. */
export function personNotFound(idNumber: string): AppError {
  return new AppError('PERSON_NOT_FOUND', `${notAmongVisible(`ID number ${idNumber}:`)} Check the number (former numbers are found too). ${COUNTER_ANYWHERE_HINT}`, {
    details: { idNumber },
  });
}
