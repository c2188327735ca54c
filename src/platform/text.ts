import { AppError, type FieldIssue } from './errors.ts';

/**
 * Free text a person or officer types (names, addresses, reasons) must say something and fit. The
 * API schemas refuse it at the edge (`NOT_BLANK` pattern, maxLength); services check again with
 * `textIssue`, for the CLI and any other caller without a schema. Lengths are in characters, as the
 * database's `char_length` checks count them.
 */

/** JSON-schema pattern: at least one character that is not a space. */
export const NOT_BLANK = '\\S';

/** The problem with `value` as free text of at most `max` characters, or null (undefined: not given). */
export function textIssue(field: string, value: string | undefined, max: number): FieldIssue | null {
  if (value === undefined) return null;
  // trim() removes the ideographic space U+3000 too
  if (value.trim() === '') return { field, code: 'BLANK', message: 'Must contain more than spaces.' };
  if (value.length > max && [...value].length > max) return { field, code: 'TOO_LONG', message: `At most ${max} characters.` };
  return null;
}

/** Refuses with VALIDATION_FAILED (one detail per field, as the schemas do) when any of `fields` is blank or too long. */
export function assertText(fields: readonly [field: string, value: string | undefined, max: number][]): void {
  const issues = fields.map(([field, value, max]) => textIssue(field, value, max)).filter((i): i is FieldIssue => i !== null);
  if (issues.length > 0) throw new AppError('VALIDATION_FAILED', `Check ${issues.map((i) => i.field).join(', ')}: ${issues.map((i) => i.message).join(' ')}`, { details: issues });
}
