import type { ErrorSpec } from '../platform/error-spec.ts';

/** Error codes of electronic household certificates (户籍证明). Verification never errs: it answers genuine / revoked / expired / unknown / tampered. */
export const CERTIFICATE_ERRORS = {
  CERTIFICATE_NOT_FOUND: { status: 404, exit: 1, summary: 'No certificate has this number, or it is neither yours nor issued or held in your area.' },
  CERTIFICATE_NUMBER_MALFORMED: { status: 400, exit: 1, summary: 'Not a certificate number: `ZM` followed by 17 letters and digits (spaces and hyphens are ignored).' },
  CERTIFICATE_NUMBER_MISTYPED: { status: 400, exit: 1, summary: 'The certificate number\'s check character (the last one) does not match: a character was mistyped. Check the number on the certificate.' },
  CERTIFICATE_FACTS_INVALID: { status: 422, exit: 1, summary: 'The facts to certify do not fit the certificate kind (a missing or unknown field, or an ID number that is not the subject\'s); `details` lists each field.' },
  CERTIFICATE_SUBJECT_NOT_FOUND: { status: 404, exit: 1, summary: 'The person to certify is not in the register (no one holds or held this ID number).' },
  CERTIFICATE_ALREADY_REVOKED: { status: 409, exit: 1, summary: 'The certificate is revoked already; `details` gives when and why. Revocation cannot be undone: issue a new certificate.' },
  CERTIFICATE_KEY_UNAVAILABLE: { status: 503, exit: 3, summary: 'No certificate signing key can be used: the stored private key does not open with the configured secret key, or none exists. Set HUKOU_SECRET_KEY to the key it was sealed with, or run `hukou cert keys rotate`.' },
} as const satisfies Record<string, ErrorSpec>;

type CertificateErrorsSpecs = typeof CERTIFICATE_ERRORS;

declare module '../platform/errors.ts' {
  interface ErrorCodes extends CertificateErrorsSpecs {}
}
