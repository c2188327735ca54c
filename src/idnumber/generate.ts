/**
 * Composing a number from its parts, for allocation at birth registration (GB 11643-1999 §5):
 * address code + birth date + sequence (odd for a man, even for a woman, §5.4) + check character.
 */
import { isCalendarDate, ymdOfIso } from './birth-date.ts';
import { checkCharOf } from './checksum.ts';

/**
 * @param addressCode six digits (GB/T 2260 county-level code of the place of registration)
 * @param birthDate 'YYYY-MM-DD' or a yyyymmdd integer
 * @param sequence 0–999; its parity gives the sex (odd male, even female)
 * @throws RangeError when a part is out of range; the caller checks the address code against the divisions
 */
export function composeIdNumber(addressCode: string, birthDate: string | number, sequence: number): string {
  if (!/^\d{6}$/.test(addressCode)) throw new RangeError(`address code must be 6 digits, got ${JSON.stringify(addressCode)}`);
  const ymd = typeof birthDate === 'number' ? birthDate : ymdOfIso(birthDate);
  if (!Number.isInteger(ymd) || ymd < 1000_01_01 || ymd > 9999_12_31 || !isCalendarDate(ymd)) {
    throw new RangeError(`birth date must be a calendar date YYYY-MM-DD, got ${JSON.stringify(birthDate)}`);
  }
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) {
    throw new RangeError(`sequence must be an integer 0–999, got ${sequence}`);
  }
  const body = `${addressCode}${ymd}${String(sequence).padStart(3, '0')}`;
  return body + checkCharOf(body);
}

/** Sequence parity by sex (GB 11643-1999 §5.4): true when `sequence` is allowed for `sex`. */
export function sequenceFitsSex(sequence: number, sex: 'male' | 'female'): boolean {
  return (sequence % 2 === 1) === (sex === 'male');
}
