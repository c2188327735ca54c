import type { ErrorSpec } from '../platform/error-spec.ts';

export const REFERENCE_ERRORS = {
  DIVISION_NOT_FOUND: { status: 404, exit: 1, summary: 'No administrative division has this code (current or historical).' },
  CODE_TABLE_NOT_FOUND: { status: 404, exit: 1, summary: 'No code table has this name; see `GET /api/v1/codes`.' },
} as const satisfies Record<string, ErrorSpec>;

type ReferenceErrorsSpecs = typeof REFERENCE_ERRORS;

declare module '../platform/errors.ts' {
  interface ErrorCodes extends ReferenceErrorsSpecs {}
}
