/**
 * Yes/no validity for bulk import: the same verdict as checkIdNumber(…).valid, without the report.
 * One pass of charCodeAt arithmetic over the 18 characters; no regex, no Date, no substrings.
 */
import type { DivisionIndex } from '../reference/index.ts';
import { acceptsAddressCode } from './address-code.ts';
import { chinaTodayYmd, isPossibleBirthDate } from './birth-date.ts';
import { normalizeIdNumber } from './parse.ts';

const ZERO = 48;
const UPPER_X = 88;
const LOWER_X = 120;

/**
 * True when `s` is a valid 18-character resident ID number: format, birth date (calendar date,
 * 1800 … today in China), MOD 11-2 check character and an address code not abolished before the
 * birth (GB 11643-1999 §5). Input with surrounding whitespace is normalized first, as checkIdNumber does.
 */
export function isValidIdNumber(s: string, divisions: DivisionIndex, todayYmd: number = chinaTodayYmd()): boolean {
  if (s.length !== 18) {
    const normalized = normalizeIdNumber(s);
    return normalized.length === 18 && isValidIdNumber(normalized, divisions, todayYmd);
  }
  // Horner form of the MOD 11-2 weighted sum (see checksum.ts), address code and birth date in one pass.
  let acc = 0;
  let address = 0;
  let birth = 0;
  for (let i = 0; i < 17; i++) {
    const digit = s.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return false;
    acc = acc * 2 + digit;
    if (i < 6) address = address * 10 + digit;
    else if (i < 14) birth = birth * 10 + digit;
  }
  const last = s.charCodeAt(17);
  const actual = last === UPPER_X || last === LOWER_X ? 10 : last >= ZERO && last <= ZERO + 9 ? last - ZERO : -1;
  if (actual !== (12 - ((acc * 2) % 11)) % 11) return false;
  if (!isPossibleBirthDate(birth, todayYmd)) return false;
  return acceptsAddressCode(divisions, address, birth);
}
