/**
 * Full check of a resident ID number with an explanation of every problem: the body of
 * `hukou id check --json` and `GET /api/v1/id-numbers/{number}`.
 *
 * A 15-digit legacy number is reported invalid (ID_FORMAT) with a pointer to `hukou id upgrade`:
 * the register keys on 18-character numbers only, and the upgrade needs a human for sequence codes
 * 996–999 (see upgrade.ts).
 */
import type { DivisionIndex, DivisionNames } from '../reference/index.ts';
import { describeAddressCode } from './address-code.ts';
import type { IdErrorCode, IdWarningCode } from './check-codes.ts';
import { dayOf, daysInMonth, EARLIEST_BIRTH, isCalendarDate, isoOfYmd, monthOf, todayYmdOf, VERY_OLD_BEFORE, yearOf } from './birth-date.ts';
import { checkCharOf } from './checksum.ts';
import { formatProblem, idFieldsOf, isLegacy15, legacyFieldsOf, normalizeIdNumber, type Sex } from './parse.ts';

export type { IdErrorCode, IdWarningCode };

export interface IdIssue<C extends string = IdErrorCode | IdWarningCode> {
  code: C;
  message: string;
}

export interface IdCheckResult {
  valid: boolean;
  normalized: string;
  birthDate: string | null;
  sex: Sex | null;
  addressCode: string | null;
  birthPlace: DivisionNames | null;
  errors: IdIssue<IdErrorCode>[];
  warnings: IdIssue<IdWarningCode>[];
}

export interface CheckIdNumberOptions {
  divisions: DivisionIndex;
  /** The day to judge "future" against: a Date (its date in China, UTC+8) or 'YYYY-MM-DD'. Default: now. */
  today?: Date | string;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Why digits 7–14 cannot be this person's birth date; null if they can. */
function birthDateProblem(ymd: number, todayYmd: number): string | null {
  const digits = String(ymd).padStart(8, '0');
  const year = yearOf(ymd);
  const month = monthOf(ymd);
  if (month < 1 || month > 12) return `birth date ${digits} has month ${digits.slice(4, 6)}; digits 11–12 must be a month 01–12`;
  if (!isCalendarDate(ymd)) {
    const why =
      month === 2 && dayOf(ymd) === 29
        ? `${year} is not a leap year, so February has 28 days`
        : `${MONTH_NAMES[month - 1]} ${year} has ${daysInMonth(year, month)} days, so day ${digits.slice(6, 8)} does not exist`;
    return `birth date ${digits} is not a calendar date: ${why}`;
  }
  if (ymd < EARLIEST_BIRTH) return `birth date ${isoOfYmd(ymd)} is before 1800; digits 7–14 must be the holder's birth date`;
  if (ymd > todayYmd) return `birth date ${isoOfYmd(ymd)} is after today (${isoOfYmd(todayYmd)}); digits 7–14 must be the holder's birth date`;
  return null;
}

function legacyResult(normalized: string, divisions: DivisionIndex, todayYmd: number): IdCheckResult {
  const fields = legacyFieldsOf(normalized);
  const realDate = isCalendarDate(fields.birthYmd) && Number(fields.sequence) < 996;
  return {
    valid: false,
    normalized,
    birthDate: realDate ? isoOfYmd(fields.birthYmd) : null,
    sex: fields.sex,
    addressCode: fields.addressCode,
    birthPlace: divisions.namesAt(fields.addressCode, realDate ? fields.birthYmd : todayYmd) ?? null,
    errors: [
      {
        code: 'ID_FORMAT',
        message: `${normalized} is a legacy 15-digit number (GB 11643-1989, no check digit); convert it with \`hukou id upgrade ${normalized}\` and check the 18-character result`,
      },
    ],
    warnings: [],
  };
}

export function checkIdNumber(input: string, options: CheckIdNumberOptions): IdCheckResult {
  const { divisions } = options;
  const todayYmd = todayYmdOf(options.today);
  const normalized = normalizeIdNumber(input);
  if (isLegacy15(normalized)) return legacyResult(normalized, divisions, todayYmd);

  const shape = formatProblem(normalized);
  if (shape !== null) {
    return { valid: false, normalized, birthDate: null, sex: null, addressCode: null, birthPlace: null, errors: [{ code: 'ID_FORMAT', message: shape }], warnings: [] };
  }

  const fields = idFieldsOf(normalized);
  const errors: IdIssue<IdErrorCode>[] = [];
  const warnings: IdIssue<IdWarningCode>[] = [];

  const dateProblem = birthDateProblem(fields.birthYmd, todayYmd);
  if (dateProblem) errors.push({ code: 'ID_BIRTH_DATE', message: dateProblem });
  const calendarDate = isCalendarDate(fields.birthYmd);
  if (!dateProblem && fields.birthYmd < VERY_OLD_BEFORE) {
    warnings.push({ code: 'ID_VERY_OLD', message: `born ${isoOfYmd(fields.birthYmd)}, before 1900: possible (the standard's own example is born 1880), but confirm the birth date against the register` });
  }

  const expected = checkCharOf(normalized);
  if (fields.checkChar !== expected) {
    errors.push({ code: 'ID_CHECKSUM', message: `check digit is ${fields.checkChar}, expected ${expected} (ISO 7064 MOD 11-2 over the first 17 digits); one of the 18 characters is wrong` });
  }

  const address = describeAddressCode(divisions, fields.addressCode, calendarDate ? fields.birthYmd : null, todayYmd);
  if (address.error) errors.push({ code: 'ID_ADDRESS_CODE', message: address.error });
  if (address.warning) warnings.push(address.warning);

  return {
    valid: errors.length === 0,
    normalized,
    birthDate: calendarDate ? isoOfYmd(fields.birthYmd) : null,
    sex: fields.sex,
    addressCode: fields.addressCode,
    birthPlace: address.birthPlace,
    errors,
    warnings,
  };
}
