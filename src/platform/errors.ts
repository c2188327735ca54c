import type { ErrorSpec } from './error-spec.ts';

/**
 * The one error type of the project. Domain code throws `AppError`s with a catalogue code;
 * the HTTP layer maps the code to a status and the CLI to an exit code, both from the catalogue
 * composed in `app/error-catalogue.ts`. `docs/errors.md` lists every code; `app/error-catalogue.test.ts`
 * fails when the two disagree.
 */
export const PLATFORM_ERRORS = {
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

type PlatformErrorSpecs = typeof PLATFORM_ERRORS;

/**
 * Every code of the system. The platform's own are here; each module adds its codes by augmenting
 * this interface from its `<module>.errors.ts` (`declare module '…/platform/errors.ts'`), so the
 * ground floor imports no domain module. The catalogue with every spec is composed in
 * `app/error-catalogue.ts`, which fails to compile when a declared code has no spec.
 */
export interface ErrorCodes extends PlatformErrorSpecs {}

export type ErrorCode = keyof ErrorCodes & string;

/** HTTP status, exit code and summary of every code: what the HTTP layer and the CLI map codes by. */
export type ErrorCatalogue = { readonly [C in ErrorCode]: ErrorSpec };

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
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
