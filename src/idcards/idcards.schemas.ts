import { Type, type TSchema } from 'typebox';
import { IdempotencyKeyField, IdNumber } from '../platform/http/schemas.ts';
import { EndorsementSchema, PermitSchema, RegistrationSchema, ResidenceFactsSchema } from '../residence/index.ts';
import { NOT_BLANK } from '../platform/text.ts';

/** Request and response schemas of the ID card routes and the identity view; responses list every field shown. */

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const DateString = (description?: string) => Type.String({ format: 'date', ...(description ? { description } : {}) });
const Uuid = Type.String({ format: 'uuid' });

export { IdNumber };
const AUTHORITY_ID = 'Public-security authority: `station-<township>`, `county-<code>`, `pref-<code>`';
const AuthorityId = Type.String({
  pattern: '^[a-z]+-[0-9]{6,9}$',
  description: AUTHORITY_ID,
  examples: ['station-440305001'],
});
/** The name before issue #12 (one vocabulary: `authorityId` in every request); accepted for one release. */
const DeprecatedAcceptingAuthorityId = Type.String({ ...AuthorityId, deprecated: true, description: 'Deprecated: use `authorityId` (accepted until the next release; docs/api-conventions.md)' });
const Scope = Type.Union([Type.Literal('local'), Type.Literal('intraprovincial_cross_prefecture'), Type.Literal('interprovincial')], {
  description: 'Where it was handled relative to the hukou place: the Ministry statistics categories',
});
const CardStatus = Type.Union([Type.Literal('valid'), Type.Literal('expired'), Type.Literal('reported_lost'), Type.Literal('superseded'), Type.Literal('cancelled')]);
const Kind = Type.Union([Type.Literal('first'), Type.Literal('renewal'), Type.Literal('reissue'), Type.Literal('temporary')], {
  description: 'first (申领), renewal (换领), reissue (补领, after a loss report), temporary (临时居民身份证)',
});
const RenewalReason = Type.Union([Type.Literal('expiry'), Type.Literal('name_change'), Type.Literal('damage')]);
const FeeWaiver = Type.Union([Type.Literal('dibao'), Type.Literal('rural_hardship')], {
  description: 'dibao recipient or rural resident in special hardship: fee waived on first application and renewal',
});

export const ApplyBody = Type.Object(
  {
    idNumber: IdNumber,
    kind: Kind,
    reason: Type.Optional(Nullable(RenewalReason)),
    authorityId: Type.Optional({ ...AuthorityId, description: `The accepting counter; default: your own authority. ${AUTHORITY_ID}` }),
    acceptingAuthorityId: Type.Optional(DeprecatedAcceptingAuthorityId),
    feeWaiver: Type.Optional(Nullable(FeeWaiver)),
    ...IdempotencyKeyField,
  },
  { additionalProperties: false },
);

export const RejectBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500, pattern: NOT_BLANK }), ...IdempotencyKeyField }, { additionalProperties: false });
export const LossReportBody = Type.Object(
  {
    idNumber: IdNumber,
    authorityId: Type.Optional({ ...AuthorityId, description: `The counter taking the report; default: your own authority. ${AUTHORITY_ID}` }),
    acceptingAuthorityId: Type.Optional(DeprecatedAcceptingAuthorityId),
    ...IdempotencyKeyField,
  },
  { additionalProperties: false },
);
export const CheckBody = Type.Object(
  { idNumber: IdNumber, validFrom: DateString('Validity start printed on the card') },
  { additionalProperties: false },
);

export const ApplicationSchema = Type.Object(
  {
    id: Uuid,
    kind: Kind,
    reason: Nullable(Type.Union([RenewalReason, Type.Literal('loss')])),
    appliedOn: DateString(),
    idNumber: Type.String(),
    name: Type.String(),
    ageOnApplication: Type.Integer({ description: 'Completed years on the application date (decides the validity, Art. 5)' }),
    late: Type.Boolean({ description: 'First application after the 3 months following the 16th birthday (Art. 7)' }),
    validityMonths: Nullable(Type.Integer({ description: 'null = long-term (长期)' })),
    previousCardId: Nullable(Uuid),
    acceptingAuthorityId: Type.String(),
    hukouAuthorityId: Type.String(),
    issuingAuthorityId: Type.String(),
    scope: Scope,
    residencePermitId: Nullable(Uuid),
    legalBasis: Type.String(),
    fee: Type.Object({ standardYuan: Type.Integer(), dueYuan: Type.Integer(), waiver: Nullable(FeeWaiver), source: Type.String() }),
    dueOn: DateString('Issue deadline: 60 days (+30 remote), temporary 3 days'),
    state: Type.Union([Type.Literal('accepted'), Type.Literal('confirmed'), Type.Literal('delivered'), Type.Literal('rejected')]),
    decisionReason: Nullable(Type.String()),
    cardId: Nullable(Uuid),
    confirmedOn: Nullable(DateString()),
    deliveredOn: Nullable(DateString()),
    overdue: Type.Boolean(),
  },
  { title: 'IdCardApplication' },
);

export const CardSchema = Type.Object(
  {
    id: Uuid,
    kind: Type.Union([Type.Literal('resident'), Type.Literal('temporary')]),
    idNumber: Type.String(),
    name: Type.String(),
    validFrom: DateString(),
    validUntil: Nullable(DateString('Last valid day; null = long-term')),
    status: CardStatus,
    statusChangedOn: DateString(),
    issuingAuthorityId: Type.String(),
    applicationId: Uuid,
    deliveredOn: Nullable(DateString()),
  },
  { title: 'IdCard' },
);

export const CardEventSchema = Type.Object(
  {
    id: Type.Integer(),
    kind: Type.Union([
      Type.Literal('application_accepted'),
      Type.Literal('application_confirmed'),
      Type.Literal('application_rejected'),
      Type.Literal('card_issued'),
      Type.Literal('card_delivered'),
      Type.Literal('loss_reported'),
      Type.Literal('card_superseded'),
      Type.Literal('card_expired'),
      Type.Literal('card_cancelled'),
    ]),
    occurredOn: DateString(),
    applicationId: Nullable(Uuid),
    cardId: Nullable(Uuid),
    acceptingAuthorityId: Type.String(),
    hukouAuthorityId: Type.String(),
    scope: Scope,
    legalBasis: Type.String(),
    actorId: Type.String(),
  },
  { title: 'IdCardEvent' },
);

export const ApplicationWithCardSchema = Type.Object({ application: ApplicationSchema, card: CardSchema });
export const LossReportResultSchema = Type.Object({ card: CardSchema, reportedOn: DateString() });
export const CheckResultSchema = Type.Object(
  {
    valid: Type.Boolean({ description: 'The card with this number and validity start is valid today' }),
    reference: Uuid,
  },
  { title: 'IdCardCheckResult', description: 'Nothing else: no personal data in the answer' },
);

export const IdentitySchema = Type.Object(
  {
    asOf: DateString(),
    person: Type.Object({ idNumber: Type.String(), name: Type.String(), birthDate: DateString(), status: Type.String(), hukouAuthorityId: Nullable(Type.String()) }),
    idCard: Type.Object({
      status: Type.Union([CardStatus, Type.Literal('none')]),
      current: Nullable(CardSchema),
      renewalOpensOn: Nullable(DateString('A valid resident card with an end date: the first day a renewal (换领) is accepted (data/law/idcard-deadlines.json)')),
      cards: Type.Array(CardSchema),
      applications: Type.Array(ApplicationSchema),
      events: Type.Array(CardEventSchema),
    }),
    residence: Type.Object({
      registrations: Type.Array(RegistrationSchema),
      permits: Type.Array(PermitSchema),
      endorsements: Type.Array(EndorsementSchema),
      facts: Nullable(ResidenceFactsSchema),
    }),
  },
  { title: 'Identity' },
);
