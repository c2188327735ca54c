import type { Db } from '../platform/db/database.ts';
import type { FieldIssue } from '../platform/errors.ts';
import { checkIdNumber, normalizeIdNumber } from '../idnumber/index.ts';
import { loadDivisionIndex } from '../reference/index.ts';
import { assertCodes, type CodeCheck } from './codes.ts';
import { textIssue } from '../platform/text.ts';

/** Particulars registered for a person (户口簿 member page). */
export interface ParticularsInput {
  name: string;
  sex: string;
  birthDate: string;
  ethnicity: string;
  birthplaceCode?: string | null | undefined;
  nativePlaceCode?: string | null | undefined;
  education?: string | null | undefined;
  maritalStatus?: string | null | undefined;
  occupation?: string | null | undefined;
  employer?: string | null | undefined;
}

export interface NewPersonInput extends ParticularsInput {
  idNumber: string;
}

/**
 * Longest name and address the register holds (person.name, household.address), for `textIssue`
 * (platform/text.ts): a name or address of spaces only (ASCII or U+3000) would be registered, and an
 * overlong one (the CLI has no schema) would fail on a check constraint instead of naming the field.
 */
export const TEXT_LIMITS = { name: 60, address: 200 } as const;

/** A birth or death date: a real date, not after today. */
export function dateIssue(field: string, date: string, today: string, notBefore?: { date: string; what: string }): FieldIssue | null {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date) return { field, code: 'INVALID_DATE', message: `${date} is not a calendar date.` };
  if (date > today) return { field, code: 'FUTURE_DATE', message: `${date} is after today (${today}).` };
  if (notBefore && date < notBefore.date) return { field, code: 'DATE_ORDER', message: `${date} is before ${notBefore.what} (${notBefore.date}).` };
  return null;
}

/** The code checks of particulars, for `assertCodes`; `prefix` names the fields (`person.`). */
export function particularsCodeChecks(p: Partial<ParticularsInput>, prefix = ''): CodeCheck[] {
  return [
    { field: `${prefix}sex`, kind: 'sex', code: p.sex },
    { field: `${prefix}ethnicity`, kind: 'ethnicity', code: p.ethnicity },
    { field: `${prefix}birthplaceCode`, kind: 'division', code: p.birthplaceCode },
    { field: `${prefix}nativePlaceCode`, kind: 'division', code: p.nativePlaceCode },
  ];
}

/**
 * Checks a person not yet in the register: codes, dates, and an ID number that is valid (GB 11643)
 * and agrees with the birth date and sex it encodes. Throws one INVALID_CODE listing every issue.
 */
export async function assertNewPerson(db: Db, p: NewPersonInput, today: string, prefix = 'person.'): Promise<string> {
  const idNumber = normalizeIdNumber(p.idNumber);
  const issues: FieldIssue[] = [];
  const name = textIssue(`${prefix}name`, p.name, TEXT_LIMITS.name);
  if (name) issues.push(name);
  const birth = dateIssue(`${prefix}birthDate`, p.birthDate, today);
  if (birth) issues.push(birth);
  const check = checkIdNumber(idNumber, { divisions: loadDivisionIndex(), today });
  for (const e of check.errors) issues.push({ field: `${prefix}idNumber`, code: e.code, message: e.message });
  if (check.valid && check.birthDate !== p.birthDate) {
    issues.push({ field: `${prefix}birthDate`, code: 'ID_NUMBER_MISMATCH', message: `The ID number encodes birth date ${check.birthDate}, not ${p.birthDate}.` });
  }
  const encodedSex = check.sex === 'male' ? '1' : check.sex === 'female' ? '2' : null;
  if (check.valid && (p.sex === '1' || p.sex === '2') && encodedSex !== p.sex) {
    issues.push({ field: `${prefix}sex`, code: 'ID_NUMBER_MISMATCH', message: `The ID number encodes sex ${encodedSex}, not ${p.sex} (odd 17th digit male, even female).` });
  }
  await assertCodes(db, particularsCodeChecks(p, prefix), issues);
  return idNumber;
}
