import type { ErrorSpec } from '../platform/error-spec.ts';

/** Error codes of the access log (docs/errors.md, "Access log"). */
export const AUDIT_ERRORS = {
  ACCESS_LOG_UNAVAILABLE: { status: 503, exit: 3, summary: 'The access log could not be written, so the record was not returned (nothing leaves unlogged). Retry; if it persists, check the database.' },
  ACCESS_LOG_BROKEN: { status: 500, exit: 1, summary: '`hukou audit verify` found an altered, inserted, deleted or reordered entry or a bad checkpoint; `details.firstBadSeq` is where the chain breaks.' },
  AUDIT_KEY_INVALID: { status: 500, exit: 3, summary: '`HUKOU_AUDIT_SIGNING_KEY` (or the key file in the data directory) is not an Ed25519 private key in PEM or base64 PKCS#8.' },
} as const satisfies Record<string, ErrorSpec>;

type AuditErrorsSpecs = typeof AUDIT_ERRORS;

declare module '../platform/errors.ts' {
  interface ErrorCodes extends AuditErrorsSpecs {}
}
