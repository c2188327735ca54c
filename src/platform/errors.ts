import type { ErrorSpec } from './error-spec.ts';
import { REFERENCE_ERRORS } from '../reference/reference.errors.ts';
import { ACCESS_ERRORS } from '../access/access.errors.ts';
import { AUDIT_ERRORS } from '../audit/audit.errors.ts';
import { REGISTRY_ERRORS } from '../registry/registry.errors.ts';
import { BULK_ERRORS } from '../registry/bulk/bulk.errors.ts';
import { RESIDENCE_ERRORS } from '../residence/residence.errors.ts';
import { IDCARD_ERRORS } from '../idcards/idcards.errors.ts';
import { SETTLEMENT_ERRORS } from '../settlement/settlement.errors.ts';

/**
 * The one error type of the project. Domain code throws `AppError`s with a catalogue code;
 * the HTTP layer maps the code to a status and the CLI to an exit code, both from `ERROR_CATALOGUE`.
 * `docs/errors.md` lists every code; `errors.test.ts` fails when the two disagree.
 */
const PLATFORM_ERRORS = {
  VALIDATION_FAILED: { status: 400, exit: 2, summary: 'The request is malformed: a parameter, query field or body field is missing, of the wrong type or out of range. `details` lists each field.' },
  UNAUTHENTICATED: { status: 401, exit: 4, summary: 'No valid credentials were presented. Send `Authorization: Bearer <token>`.' },
  NOT_FOUND: { status: 404, exit: 1, summary: 'No such route or record (records outside the caller\'s jurisdiction are reported the same way).' },
  METHOD_NOT_ALLOWED: { status: 405, exit: 2, summary: 'The route exists but not with this HTTP method.' },
  PAYLOAD_TOO_LARGE: { status: 413, exit: 2, summary: 'The request body exceeds the size limit.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, exit: 2, summary: 'The request body must be `application/json`.' },
  RATE_LIMITED: { status: 429, exit: 3, summary: 'Too many requests; retry after the number of seconds in `Retry-After`.' },
  MIGRATION_CHECKSUM_MISMATCH: { status: 500, exit: 5, summary: 'An already-applied migration file was edited. Restore the file; add a new numbered migration instead.' },
  MIGRATION_FAILED: { status: 500, exit: 5, summary: 'A migration failed to apply; the whole run is rolled back, leaving the database as it was before the run.' },
  DATABASE_UNAVAILABLE: { status: 503, exit: 3, summary: 'The database cannot be reached or is not migrated to the current version. Run `hukou db status`.' },
  INTERNAL: { status: 500, exit: 3, summary: 'An unexpected failure. The `requestId` identifies it in the server log.' },
} as const satisfies Record<string, ErrorSpec>;

/**
 * Every code: the platform's own plus each module's `<module>.errors.ts` (plain data files, so
 * importing them here creates no dependency on domain code).
 */
export const ERROR_CATALOGUE = { ...PLATFORM_ERRORS, ...REFERENCE_ERRORS, ...ACCESS_ERRORS, ...AUDIT_ERRORS, ...REGISTRY_ERRORS, ...BULK_ERRORS, ...RESIDENCE_ERRORS, ...IDCARD_ERRORS, ...SETTLEMENT_ERRORS } as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface FieldIssue {
  field: string;
  code: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Safe to show to the caller; `message` (internal) may carry more and goes to the log. */
  readonly userMessage: string;
  readonly details: unknown;

  constructor(code: ErrorCode, userMessage: string, opts: { internal?: string; details?: unknown; cause?: unknown } = {}) {
    super(opts.internal ?? userMessage, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.userMessage = userMessage;
    this.details = opts.details ?? null;
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }

  get exitCode(): number {
    return ERROR_CATALOGUE[this.code].exit;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
