import type { ErrorSpec } from '../platform/error-spec.ts';

/** Error codes of the service catalog and of applications (issue #14). */
export const APPLICATION_ERRORS = {
  SERVICE_NOT_FOUND: { status: 404, exit: 1, summary: 'No service in the catalog has this code (GET /api/v1/services lists them).' },
  SERVICE_NOT_AVAILABLE: {
    status: 409,
    exit: 1,
    summary: 'The service is not available to this person (a first ID card for someone who has one, a service that cannot be applied for online…); `details.reason` says why.',
  },
  INVALID_TRACKING_NUMBER: {
    status: 400,
    exit: 2,
    summary: 'The tracking number is malformed or its check character does not match (a mistyped number), so it cannot name any application. Check the number as printed.',
  },
  APPLICATION_NOT_FOUND: { status: 404, exit: 1, summary: 'No application you may see has this tracking number.' },
  MATERIALS_MISSING: { status: 422, exit: 1, summary: 'Required materials are missing; `details.missing` lists the material codes still to upload.' },
  APPLICATION_NOT_IN_REVIEW: { status: 409, exit: 1, summary: 'A decision (approve, reject) is only taken on an application in review; `details.state` gives its state.' },
  APPLICATION_ALREADY_DECIDED: { status: 409, exit: 1, summary: 'The application was already approved or rejected: a second decision is refused; `details.state` gives the decision.' },
  APPLICATION_CLOSED: { status: 409, exit: 1, summary: 'The application is withdrawn or completed: no further step is possible.' },
  APPLICATION_TRANSITION: { status: 409, exit: 1, summary: 'The application is not in a state that allows this step; `details` gives its state and the states allowed.' },
  APPLICATION_DELEGATED: {
    status: 409,
    exit: 1,
    summary: 'The application runs in its own flow (ID card, residence, transfer): take the step through that flow\'s routes; `details.flow` and `details.flowRef` name it.',
  },
  MATERIAL_TOO_LARGE: { status: 413, exit: 2, summary: 'The uploaded file exceeds the size limit (5 MiB); nothing was stored.' },
  MATERIAL_TYPE_NOT_ALLOWED: { status: 415, exit: 2, summary: 'The uploaded file is not a PDF, JPEG or PNG by its content (the file name and declared type are not trusted); nothing was stored.' },
  MATERIAL_NOT_REQUIRED: { status: 422, exit: 2, summary: 'The service asks for no uploaded material with this code (materials held by the register or a department are fetched by reference, not uploaded).' },
  CERTIFICATE_ISSUER_UNAVAILABLE: { status: 503, exit: 3, summary: 'No certificate issuer is configured in this process, so a certificate service cannot be approved; nothing was written.' },
} as const satisfies Record<string, ErrorSpec>;

type ApplicationErrorsSpecs = typeof APPLICATION_ERRORS;

declare module '../platform/errors.ts' {
  interface ErrorCodes extends ApplicationErrorsSpecs {}
}
