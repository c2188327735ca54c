import { AppError, type FieldIssue } from '../platform/errors.ts';
import type { CatalogService } from './catalog.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function issue(field: string, code: string, message: string): FieldIssue {
  return { field: `facts.${field}`, code, message };
}

/** A string fact, required or not; VALIDATION_FAILED naming `facts.<key>` otherwise. */
export function factString(facts: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const v = facts[key];
  if (v === undefined || v === null) {
    if (!required) return undefined;
    throw new AppError('VALIDATION_FAILED', `State ${key} in facts.`, { details: [issue(key, 'REQUIRED', 'required by this service')] });
  }
  if (typeof v !== 'string' || v.trim() === '' || v.length > 500) {
    throw new AppError('VALIDATION_FAILED', `facts.${key} must be a non-blank string of at most 500 characters.`, { details: [issue(key, 'INVALID', 'a non-blank string')] });
  }
  return v;
}

/**
 * The facts a generic service needs from the applicant, checked at submission so an approval
 * never fails on them: a death date (户口登记条例 Art. 8), the newborn's particulars (Art. 7), the
 * changes asked for and why (Art. 17, 18). Certificates need none: the register holds the facts.
 */
export function checkFacts(service: CatalogService, facts: Record<string, unknown>): void {
  const issues: FieldIssue[] = [];
  const date = (k: string) => {
    const v = facts[k];
    if (typeof v !== 'string' || !DATE.test(v)) issues.push(issue(k, 'REQUIRED', 'a date YYYY-MM-DD'));
  };
  const text = (k: string, pattern?: RegExp) => {
    const v = facts[k];
    if (typeof v !== 'string' || v.trim() === '' || v.length > 200 || (pattern && !pattern.test(v))) issues.push(issue(k, 'REQUIRED', pattern ? `must match ${pattern.source}` : 'a non-blank string'));
  };
  if (service.effect === 'death') date('deathDate');
  if (service.effect === 'birth') {
    text('name');
    text('sex', /^[12]$/);
    date('birthDate');
    text('ethnicity', /^\d{2}$/);
    text('relationship', /^\d{2}$/);
  }
  if (service.effect === 'correction') {
    const changes = facts.changes;
    if (changes === null || typeof changes !== 'object' || Array.isArray(changes) || Object.keys(changes).length === 0) issues.push(issue('changes', 'REQUIRED', 'an object of the particulars to change'));
    text('reason');
  }
  if (issues.length > 0) throw new AppError('VALIDATION_FAILED', `Check ${issues.map((i) => i.field).join(', ')}.`, { details: issues });
}
