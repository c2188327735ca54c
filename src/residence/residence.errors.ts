import type { ErrorSpec } from '../platform/error-spec.ts';

/** Error codes of residence registration, residence permits and endorsements (居住证暂行条例). */
export const RESIDENCE_ERRORS = {
  RESIDENCE_REGISTRATION_NOT_FOUND: { status: 404, exit: 1, summary: 'No residence registration with this id among the records your authority may see.' },
  RESIDENCE_PERMIT_NOT_FOUND: { status: 404, exit: 1, summary: 'No residence permit with this id among the records your authority may see.' },
  NO_CURRENT_HUKOU: {
    status: 409,
    exit: 1,
    summary: 'The person has no current hukou (an interprovincial transfer is in transit), so the hukou place cannot be determined. Finish the transfer first.',
  },
  RESIDENCE_IN_HUKOU_CITY: {
    status: 409,
    exit: 1,
    summary: 'The person\'s hukou is in this city: residence registration and permits are for people living away from their hukou city (居住证暂行条例 Art. 2).',
  },
  RESIDENCE_ALREADY_REGISTERED: { status: 409, exit: 1, summary: 'The person already has an open residence registration in this city; nothing to register.' },
  RESIDENCE_REGISTRATION_ENDED: { status: 409, exit: 1, summary: 'The residence registration has already ended.' },
  NO_RESIDENCE_REGISTRATION: {
    status: 409,
    exit: 1,
    summary: 'The person has no open residence registration in the city of this authority: register residence (POST /api/v1/residence-registrations) first.',
  },
  RESIDENCE_TOO_SHORT: {
    status: 409,
    exit: 1,
    summary: 'The residence registration is less than 6 months old (居住证暂行条例 Art. 2); `details.eligibleFrom` is the first day an application is accepted.',
  },
  PERMIT_BASIS_REQUIRED: {
    status: 422,
    exit: 1,
    summary: 'A residence permit needs one basis (Art. 2): lawful stable employment, lawful stable residence (lease or ownership) or continuous study, with its evidence.',
  },
  PERMIT_EXISTS: { status: 409, exit: 1, summary: 'The person already holds a residence permit, or has an application pending; `details` names it.' },
  PERMIT_STATE: { status: 409, exit: 1, summary: 'The residence permit is not in a state that allows this step; `details.status` gives its state.' },
  PERMIT_NOT_ISSUED: { status: 409, exit: 1, summary: 'The residence permit has not been issued yet: only an issued permit is endorsed.' },
  PERMIT_CANCELLED: { status: 409, exit: 1, summary: 'The residence permit is cancelled (or was rejected): it cannot be endorsed. Apply for a new permit.' },
  ENDORSEMENT_NOT_DUE: {
    status: 409,
    exit: 1,
    summary: 'The endorsement (签注) window is not open yet: it opens one month before each full year (Art. 10); `details.windowOpensOn` says when.',
  },
} as const satisfies Record<string, ErrorSpec>;

type ResidenceErrorsSpecs = typeof RESIDENCE_ERRORS;

declare module '../platform/errors.ts' {
  interface ErrorCodes extends ResidenceErrorsSpecs {}
}
