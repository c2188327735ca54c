import type { ErrorSpec } from '../../platform/error-spec.ts';

/** Error codes of bulk operations: synthetic population, import, export. Row-level import findings are report codes (docs/import-format.md), not errors. */
export const BULK_ERRORS = {
  BULK_INVARIANT_VIOLATED: {
    status: 500,
    exit: 3,
    summary: 'A bulk load would have broken a register invariant (a foreign key, or one current hukou per living person) and was rolled back: nothing was written. The message names the check.',
  },
  IMPORT_FILE_NOT_FOUND: { status: 404, exit: 1, summary: 'The import file does not exist or cannot be read. Check the path and permissions.' },
  IMPORT_FORMAT_UNKNOWN: { status: 422, exit: 2, summary: 'The import format cannot be told from the file name: use a .ndjson, .jsonl or .csv file, or pass --format.' },
  IMPORT_HEADER_INVALID: {
    status: 422,
    exit: 1,
    summary: 'The CSV header lacks a required column or names an unknown one (docs/import-format.md lists the columns); no row was read.',
  },
  IMPORT_IN_PROGRESS: { status: 409, exit: 1, summary: 'Another process is importing the same file right now. Wait for it; a later run resumes or reports it complete.' },
} as const satisfies Record<string, ErrorSpec>;

type BulkErrorsSpecs = typeof BULK_ERRORS;

declare module '../../platform/errors.ts' {
  interface ErrorCodes extends BulkErrorsSpecs {}
}
