import type { ErrorSpec } from '../platform/error-spec.ts';

/** Error codes of settlement (落户): facts, checks, reviews, rounds, simulations. */
export const SETTLEMENT_ERRORS = {
  SETTLEMENT_FACT_INVALID: { status: 422, exit: 1, summary: 'A department fact is not valid for its kind (value fields, period, city); `details` lists each field.' },
  SETTLEMENT_DECISION_NOT_FOUND: { status: 404, exit: 1, summary: 'No settlement decision has this id (or it is not yours).' },
  SETTLEMENT_REVIEW_NOT_FOUND: { status: 404, exit: 1, summary: 'No review request has this id.' },
  SETTLEMENT_REVIEW_PENDING: { status: 409, exit: 1, summary: 'A review of this decision is already requested and not yet decided; `details.reviewId` names it.' },
  SETTLEMENT_REVIEW_DECIDED: { status: 409, exit: 1, summary: 'The review has already been decided.' },
  SETTLEMENT_NO_POLICY: { status: 409, exit: 1, summary: 'No settlement policy of this city and scheme is in force on the date, so no round can run on it; `details` says which versions exist.' },
  SETTLEMENT_NOT_A_ROUND_SCHEME: { status: 409, exit: 1, summary: 'The scheme has no annual quota and ranking (it is open or condition-based): nothing to rank, apply directly.' },
  SETTLEMENT_ROUND_EXISTS: { status: 409, exit: 1, summary: 'A round of this city, scheme and year already exists.' },
  SETTLEMENT_ROUND_NOT_FOUND: { status: 404, exit: 1, summary: 'No settlement round has this id.' },
  SETTLEMENT_ROUND_STATE: { status: 409, exit: 1, summary: 'The round is not in a state that allows this step; `details.state` gives its state (open → scored → published → approved).' },
  SETTLEMENT_ROUND_CLOSED: { status: 409, exit: 1, summary: 'Applications are accepted only between the round\'s opening and closing days; `details` gives them.' },
  SETTLEMENT_ALREADY_APPLIED: { status: 409, exit: 1, summary: 'This person has already applied in this round; nothing was written. `details.applicationId` names the application.' },
  SETTLEMENT_NOT_ELIGIBLE: { status: 422, exit: 1, summary: 'The applicant does not meet the scheme\'s conditions, or a fact deciding them is unknown; `details` lists the unmet conditions and the missing facts. Nothing was written.' },
  SETTLEMENT_OBJECTION_WINDOW_CLOSED: { status: 409, exit: 1, summary: 'Objections are accepted only while the published list is on notice; `details.objectionsUntil` is the last day. Nothing was written.' },
  SETTLEMENT_OBJECTIONS_OPEN: { status: 409, exit: 1, summary: 'The objection window is still open: final approval comes after `details.objectionsUntil`.' },
  SETTLEMENT_SIMULATION_UNSUPPORTED: { status: 422, exit: 1, summary: 'The simulation asked for cannot be run on this city\'s policy (e.g. the next class up has no default policy, or the policy has no social-insurance condition); `details` says why.' },
} as const satisfies Record<string, ErrorSpec>;

type SettlementErrorsSpecs = typeof SETTLEMENT_ERRORS;

declare module '../platform/errors.ts' {
  interface ErrorCodes extends SettlementErrorsSpecs {}
}
