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
  if (hasUnsafeText(value)) return { field, code: 'TEXT', message: UNSAFE_TEXT_MESSAGE };
  if (value.length > max && [...value].length > max) return { field, code: 'TOO_LONG', message: `At most ${max} characters.` };
  return null;
}

/** Refuses with VALIDATION_FAILED (one detail per field, as the schemas do) when any of `fields` is blank or too long. */
export function assertText(fields: readonly [field: string, value: string | undefined, max: number][]): void {
  const issues = fields.map(([field, value, max]) => textIssue(field, value, max)).filter((i): i is FieldIssue => i !== null);
  if (issues.length > 0) throw new AppError('VALIDATION_FAILED', `Check ${issues.map((i) => i.field).join(', ')}: ${issues.map((i) => i.message).join(' ')}`, { details: issues });
}

/**
 * Characters PostgreSQL text cannot store: NUL (22021, or 22P05 inside jsonb) and UTF-16 surrogates
 * without their pair (22P02). Refused at the edge (src/platform/http/validation.ts), escaped where a
 * value must be kept anyway (the access log records what a refused probe asked for).
 */
const UNSAFE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSAFE_TEXT_ALL = new RegExp(UNSAFE_TEXT.source, 'g');
export const UNSAFE_TEXT_MESSAGE = 'Must not contain NUL characters or unpaired UTF-16 surrogates.';

export function hasUnsafeText(s: string): boolean {
  return UNSAFE_TEXT.test(s);
}

/** `s` with each NUL or unpaired surrogate written as its `\\uXXXX` escape (visible, storable). */
export function escapeUnsafeText(s: string): string {
  return UNSAFE_TEXT.test(s) ? s.replace(UNSAFE_TEXT_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : s;
}

/** JSON pointer of the first string (value or key) in `value` that holds unsafe text, or null. */
export function unsafeTextAt(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return hasUnsafeText(value) ? path : null;
  if (!value || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const at = unsafeTextAt(value[i], `${path}/${i}`);
      if (at !== null) return at;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const here = `${path}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (hasUnsafeText(k)) return here;
    const at = unsafeTextAt(v, here);
    if (at !== null) return at;
  }
  return null;
}
