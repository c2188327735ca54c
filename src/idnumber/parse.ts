/**
 * Reading the fields of a resident ID number (GB 11643-1999 §5.1): six-digit address code, eight-digit
 * birth date, three-digit sequence (its last digit odd for men, even for women, §5.4) and the check
 * character (§5.5). Always handle the number as a string: as a JS number it loses digits above 2^53.
 */

export type Sex = 'male' | 'female';

/** The shape of a normalised 18-character number: 17 digits, then a digit or X (nothing checked beyond that; see formatProblem). */
export const ID_NUMBER_SHAPE = /^[0-9]{17}[0-9X]$/;

/** Trims surrounding whitespace and writes a lowercase check character x as X; changes nothing else. */
export function normalizeIdNumber(input: string): string {
  return input.trim().replace(/x/g, 'X');
}

/** The legacy 15-digit layout (GB 11643-1989): address, YYMMDD, sequence, no check digit. */
export function isLegacy15(s: string): boolean {
  return /^\d{15}$/.test(s);
}

/**
 * What is wrong with the shape of a normalized number, in plain words; null when it is
 * 17 digits followed by a digit or X.
 */
export function formatProblem(s: string): string | null {
  const problems: string[] = [];
  if (s.length !== 18) {
    problems.push(`it has ${s.length} character${s.length === 1 ? '' : 's'}; a resident ID number has 18: 17 digits, then a digit or X`);
  }
  for (let i = 0; i < Math.min(s.length, 18); i++) {
    const c = s.charAt(i);
    const isDigit = c >= '0' && c <= '9';
    if (i < 17 && !isDigit) {
      problems.push(`character ${i + 1} is ${JSON.stringify(c)}; characters 1–17 must be digits`);
      break;
    }
    if (i === 17 && !isDigit && c !== 'X') problems.push(`character 18 is ${JSON.stringify(c)}; the check character must be a digit or X`);
  }
  return problems.length === 0 ? null : problems.join('; ');
}

/** Sex from the sequence code's last digit (GB 11643-1999 §5.4): odd male, even female. */
export function sexOfDigit(digit: string): Sex {
  return Number(digit) % 2 === 1 ? 'male' : 'female';
}

export interface IdFields {
  addressCode: string;
  /** Digits 7–14 as yyyymmdd (not necessarily a real date). */
  birthYmd: number;
  sequence: string;
  sex: Sex;
  checkChar: string;
}

/** Fields of a number that passed formatProblem. */
export function idFieldsOf(s: string): IdFields {
  return {
    addressCode: s.slice(0, 6),
    birthYmd: Number(s.slice(6, 14)),
    sequence: s.slice(14, 17),
    sex: sexOfDigit(s.charAt(16)),
    checkChar: s.charAt(17),
  };
}

/** Fields of a legacy 15-digit number, its YYMMDD read as 19YYMMDD (see upgrade.ts for the caveat). */
export function legacyFieldsOf(s: string): Omit<IdFields, 'checkChar'> {
  return {
    addressCode: s.slice(0, 6),
    birthYmd: 19_000_000 + Number(s.slice(6, 12)),
    sequence: s.slice(12, 15),
    sex: sexOfDigit(s.charAt(14)),
  };
}
