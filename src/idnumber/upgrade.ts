/**
 * Upgrade of a legacy 15-digit number (GB 11643-1989: address, YYMMDD, sequence, no check digit) to
 * 18 characters: insert "19" before YY and append the MOD 11-2 check character (GB 11643-1999,
 * foreword). Example: 110105491231002 → 11010519491231002X.
 *
 * Sequence codes 996–999 are refused for manual review: the 1989 standard reserved special sequence
 * codes for people over 100, which the 1999 revision dropped, so such a number may belong to someone
 * born in the 1800s and "19" would be wrong.
 */
import { isCalendarDate } from './birth-date.ts';
import { checkCharOf } from './checksum.ts';
import { isLegacy15, legacyFieldsOf } from './parse.ts';

export type UpgradeResult =
  | { ok: true; id18: string }
  | { ok: false; code: 'ID_FORMAT' | 'ID_BIRTH_DATE' | 'ID_UPGRADE_REVIEW'; message: string };

const FIRST_CENTENARIAN_SEQUENCE = 996;

export function upgradeIdNumber15(input: string): UpgradeResult {
  const s = input.trim();
  if (!isLegacy15(s)) {
    return { ok: false, code: 'ID_FORMAT', message: `${JSON.stringify(s)} is not a legacy ID number: it must be exactly 15 digits (6 address, 6 birth date YYMMDD, 3 sequence)` };
  }
  const fields = legacyFieldsOf(s);
  // 18YY and 19YY have the same leap years (1800 and 1900 are both common years), so this check holds for either century.
  if (!isCalendarDate(fields.birthYmd)) {
    return { ok: false, code: 'ID_BIRTH_DATE', message: `digits 7–12 (${s.slice(6, 12)}) are not a date YYMMDD; the legacy number is mistyped or corrupt` };
  }
  if (Number(fields.sequence) >= FIRST_CENTENARIAN_SEQUENCE) {
    return {
      ok: false,
      code: 'ID_UPGRADE_REVIEW',
      message: `sequence code ${fields.sequence} (996–999) may mark a person born in the 1800s under GB 11643-1989; confirm the birth year in the register and upgrade by hand`,
    };
  }
  const body = `${s.slice(0, 6)}19${s.slice(6)}`;
  return { ok: true, id18: body + checkCharOf(body) };
}
