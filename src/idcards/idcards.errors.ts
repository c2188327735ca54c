import type { ErrorSpec } from '../platform/error-spec.ts';

/** Error codes of resident ID cards, temporary cards, loss reports and card checks (居民身份证法). */
export const IDCARD_ERRORS = {
  ID_CARD_APPLICATION_NOT_FOUND: { status: 404, exit: 1, summary: 'No ID card application with this id among the records your authority may see.' },
  APPLICATION_IN_PROGRESS: {
    status: 409,
    exit: 1,
    summary: 'The person already has an open application of this kind (one resident-card and one temporary-card application at a time); `details` names it. Finish or reject it first.',
  },
  APPLICATION_STATE: { status: 409, exit: 1, summary: 'The application is not in a state that allows this step (accepted → confirmed → delivered); `details.state` gives its state.' },
  FIRST_CARD_ALREADY_ISSUED: {
    status: 409,
    exit: 1,
    summary: 'The person already has (or had) a resident ID card: apply for renewal (换领) or, after a loss report, reissue (补领) instead of a first application.',
  },
  NO_CARD_TO_RENEW: {
    status: 409,
    exit: 1,
    summary: 'The person has no card that can be renewed: apply for a first card, or for a reissue if the card was reported lost.',
  },
  CARD_NOT_NEAR_EXPIRY: {
    status: 409,
    exit: 1,
    summary: 'Renewal for expiry opens 3 months before the card expires, and long-term cards never expire; `details.renewableFrom` says when. Give another reason (name_change, damage) if one applies.',
  },
  NAME_NOT_CHANGED: {
    status: 409,
    exit: 1,
    summary: 'Renewal for a change of name, but the name in the register is the one on the card. Register the name change first (户口登记条例 Art. 18).',
  },
  REISSUE_WITHOUT_LOSS_REPORT: {
    status: 409,
    exit: 1,
    summary: 'A reissue (补领) needs the card to be reported lost first: POST /api/v1/id-cards/loss-reports. A damaged card is renewed (reason damage).',
  },
  NO_PENDING_APPLICATION: {
    status: 409,
    exit: 1,
    summary: 'A temporary ID card is issued only while a first, renewal or reissue application is pending (居民身份证法 Art. 12 para. 2). Apply for the card first.',
  },
  SECOND_VALID_CARD: {
    status: 409,
    exit: 1,
    summary: 'The person already holds a valid ID card; a person never holds two valid cards. Report the card lost or renew it instead.',
  },
  ID_NUMBER_CHANGED: {
    status: 409,
    exit: 1,
    summary: 'The person\'s ID number changed after the application was accepted (a corrected birth date or sex): no card is issued under the old number. Reject the application and accept a renewal under the new number; `details` gives both.',
  },
  NO_VALID_CARD: { status: 409, exit: 1, summary: 'The person holds no valid ID card to report lost (it expired, was reported lost already, or was never issued; or the valid card has not been handed over yet, `details.awaitingDelivery`, and the card it replaced is void already).' },
  FEE_WAIVER_NOT_APPLICABLE: {
    status: 422,
    exit: 1,
    summary: 'Fee waivers (dibao, rural hardship) apply to first applications and renewals only (发改价格〔2003〕2322号), not to reissues or temporary cards.',
  },
} as const satisfies Record<string, ErrorSpec>;

type IdcardErrorsSpecs = typeof IDCARD_ERRORS;

declare module '../platform/errors.ts' {
  interface ErrorCodes extends IdcardErrorsSpecs {}
}
