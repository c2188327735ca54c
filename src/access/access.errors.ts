import type { ErrorSpec } from '../platform/error-spec.ts';

/** Error codes of accounts, authentication and authorisation (docs/errors.md, "Access"). */
export const ACCESS_ERRORS = {
  INVALID_CREDENTIALS: { status: 401, exit: 4, summary: 'The username or password is wrong (which one is not said). Repeated failures lock the account for a growing time.' },
  SECOND_FACTOR_REQUIRED: { status: 401, exit: 4, summary: 'The password was right but this role also needs a TOTP code: `POST /api/v1/auth/totp` with the 6-digit code from the authenticator app.' },
  SECOND_FACTOR_INVALID: { status: 401, exit: 4, summary: 'The TOTP code is wrong, expired or already used. Wait for the next code and retry.' },
  SESSION_EXPIRED: { status: 401, exit: 4, summary: 'The session has ended (idle too long, past its lifetime, logged out, or the password was reset). Log in again.' },
  ACCOUNT_LOCKED: { status: 423, exit: 4, summary: 'The account is locked: after repeated failures (retry after `details.retryAfterSeconds`) or by an administrator (ask them to unlock it).' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, exit: 4, summary: 'The password was set by an administrator and must be changed first: `POST /api/v1/auth/password`.' },
  CSRF_FAILED: { status: 403, exit: 4, summary: 'A state-changing request with a session cookie lacked the `X-CSRF-Token` header matching the session (from login or whoami).' },
  FORBIDDEN: {
    status: 403,
    exit: 4,
    summary:
      'Your role may not perform this kind of operation at all (e.g. a statistician reading a person), you named an authority that is not yours (`details[].code` NOT_YOUR_AUTHORITY), ' +
      'or the step belongs to the other end of an application or transfer you can see. Records outside your jurisdiction are NOT_FOUND instead.',
  },
  PURPOSE_REQUIRED: { status: 400, exit: 2, summary: 'Reading a full record needs a stated purpose: `X-Purpose: application:<id>` or `X-Purpose: case:<reference>`.' },
  WEAK_PASSWORD: { status: 422, exit: 1, summary: 'The new password is too short or too simple; `details` says why. Use at least 12 characters.' },
  ACCOUNT_INVALID: { status: 422, exit: 1, summary: 'The account cannot be created as described (unknown authority, person, or a role/authority mismatch); `details` lists each field.' },
  ACCOUNT_EXISTS: { status: 409, exit: 1, summary: 'An account with this username (or for this person) already exists.' },
  ACCOUNT_NOT_FOUND: { status: 404, exit: 1, summary: 'No account with this id within the accounts you manage.' },
  PURPOSE_UNKNOWN_APPLICATION: { status: 400, exit: 2, summary: 'The purpose names an application that does not exist or does not concern the person read (`application:<id>` of an ID card application, transfer, residence registration or permit of theirs).' },
  ACCOUNT_NOT_LINKED: { status: 409, exit: 1, summary: 'This citizen account is not linked to a person record yet; an administrator links it.' },
  TOKEN_NOT_FOUND: { status: 404, exit: 1, summary: 'No API token with this id belongs to the account.' },
  SECRET_KEY_INVALID: { status: 500, exit: 3, summary: '`HUKOU_SECRET_KEY` (or `secret-box.key` in the data directory) is missing, malformed, or not the key the stored second-factor secrets were sealed with.' },
} as const satisfies Record<string, ErrorSpec>;

type AccessErrorsSpecs = typeof ACCESS_ERRORS;

declare module '../platform/errors.ts' {
  interface ErrorCodes extends AccessErrorsSpecs {}
}
