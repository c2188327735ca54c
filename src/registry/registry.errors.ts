import type { ErrorSpec } from '../platform/error-spec.ts';

/** Error codes of the population register (persons, households, events, transfers). */
export const REGISTRY_ERRORS = {
  PERSON_NOT_FOUND: { status: 404, exit: 1, summary: 'No person with this ID number among the records your authority may see.' },
  HOUSEHOLD_NOT_FOUND: { status: 404, exit: 1, summary: 'No household with this number (户号) among the records your authority may see.' },
  TRANSFER_NOT_FOUND: { status: 404, exit: 1, summary: 'No transfer with this id among the records your authority may see.' },
  INVALID_CODE: {
    status: 422,
    exit: 1,
    summary: 'A code or value is not in its table or range (sex, ethnicity, relationship, division, township, authority, dates). `details` lists each field.',
  },
  VERSION_CONFLICT: {
    status: 409,
    exit: 1,
    summary: 'The record changed since you read it: `expectedVersion` is not its current version. Re-read it and retry with the new version.',
  },
  CONCURRENT_UPDATE: { status: 409, exit: 1, summary: 'Another operation changed the same records at the same moment. Re-read them and retry.' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, exit: 1, summary: 'This idempotency key was already used for a different operation or request. Use a new key for a new request; a retry sends the same request.' },
  DUPLICATE_ID_NUMBER: { status: 409, exit: 1, summary: 'The ID number is already held (now or formerly) by a person in the register; numbers are never reused.' },
  SECOND_HUKOU: {
    status: 409,
    exit: 1,
    summary: 'The person already has a current hukou (户口登记条例 Art. 6: one place of permanent registration). Move or transfer them instead.',
  },
  ALREADY_REGISTERED: { status: 409, exit: 1, summary: 'The person is already a member of this household.' },
  NOT_A_MEMBER: { status: 409, exit: 1, summary: 'The person is not a current member of this household.' },
  PERSON_DECEASED: { status: 409, exit: 1, summary: 'The person is registered as deceased; their registration cannot be moved or changed this way.' },
  PERSON_NOT_ACTIVE: { status: 409, exit: 1, summary: 'The person\'s hukou is cancelled (emigrated or otherwise); restore it by adding them to a household first.' },
  HOUSEHOLD_NOT_EMPTY: { status: 409, exit: 1, summary: 'The household still has members (or an open transfer into it): move them out first; only an empty household is closed (销户).' },
  HOUSEHOLD_CLOSED: { status: 409, exit: 1, summary: 'The household is closed; it takes no new members.' },
  HEAD_CONFLICT: { status: 409, exit: 1, summary: 'The operation conflicts with the household head (户主): a household has one head, who must be a member.' },
  INTERPROVINCIAL_MOVE: { status: 409, exit: 1, summary: 'The destination is in another province: apply for an interprovincial transfer (POST /api/v1/transfers) instead.' },
  SAME_HOUSEHOLD: { status: 409, exit: 1, summary: 'The destination is the household the person is already in.' },
  ID_SEQUENCE_EXHAUSTED: {
    status: 409,
    exit: 1,
    summary: 'Every sequence code (GB 11643 顺序码) for this address code, birth date and sex is taken; no ID number can be allocated. Escalate to the county bureau.',
  },
  TRANSFER_IN_PROGRESS: { status: 409, exit: 1, summary: 'The person has an open interprovincial transfer; finish or compensate it first.' },
  TRANSFER_NOT_INTERPROVINCIAL: { status: 409, exit: 1, summary: 'Origin and destination are in the same province: use a move within the province instead.' },
  BIRTH_CERTIFICATE_USED: { status: 409, exit: 1, summary: 'A birth was already registered with this birth medical certificate number (出生医学证明编号); one certificate registers one child.' },
  BIRTH_HOUSEHOLD_NOT_PARENTS: {
    status: 409,
    exit: 1,
    summary: 'A birth is registered in the household of a parent named by ID number (随父随母落户); this household is neither parent\'s. Register it in the mother\'s or the father\'s household.',
  },
  TRANSFER_STATE: { status: 409, exit: 1, summary: 'The transfer is not in a state that allows this step; `details` gives its state.' },
} as const satisfies Record<string, ErrorSpec>;

type RegistryErrorsSpecs = typeof REGISTRY_ERRORS;

declare module '../platform/errors.ts' {
  interface ErrorCodes extends RegistryErrorsSpecs {}
}
