import { Type, type TSchema } from 'typebox';
import { IdempotencyKeyField, IdNumber } from '../platform/http/schemas.ts';
import { NOT_BLANK } from '../platform/text.ts';

/** Request and response schemas of the residence routes; responses list every field shown. */

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const DateString = (description?: string) => Type.String({ format: 'date', ...(description ? { description } : {}) });

export { IdNumber };
const AUTHORITY_ID = 'Public-security authority: `station-<township>` (police station), `county-<code>`, `pref-<code>`';
export const AuthorityId = Type.String({
  pattern: '^[a-z]+-[0-9]{6,9}$',
  description: AUTHORITY_ID,
  examples: ['station-440305001'],
});
const OwnAuthorityDefault = Type.String({ ...AuthorityId, description: `The counter acting; default: your own authority. ${AUTHORITY_ID}` });
export const Uuid = Type.String({ format: 'uuid' });
const Reason = Type.String({ minLength: 1, maxLength: 500, pattern: NOT_BLANK });

export const PermitBasisSchema = Type.Union([Type.Literal('employment'), Type.Literal('residence_lease'), Type.Literal('residence_owned'), Type.Literal('study')], {
  description: '居住证暂行条例 Art. 2: lawful stable employment, lawful stable residence (lease or owned), continuous study',
});

export const RegisterResidenceBody = Type.Object(
  {
    idNumber: IdNumber,
    authorityId: Type.Optional(OwnAuthorityDefault),
    address: Type.String({ minLength: 1, maxLength: 200, pattern: NOT_BLANK, description: 'Residence address in the city' }),
    ...IdempotencyKeyField,
  },
  { additionalProperties: false },
);

export const EndRegistrationBody = Type.Object({ reason: Reason, ...IdempotencyKeyField }, { additionalProperties: false });

export const ApplyForPermitBody = Type.Object(
  {
    idNumber: IdNumber,
    authorityId: Type.Optional(OwnAuthorityDefault),
    basis: Type.Optional(Nullable(PermitBasisSchema)),
    basisEvidence: Type.Optional(Nullable(Type.String({ maxLength: 200, description: 'The document shown: labour contract, lease, title deed, school enrolment' }))),
    ...IdempotencyKeyField,
  },
  { additionalProperties: false },
);

export const ClosePermitBody = Type.Object({ reason: Reason, ...IdempotencyKeyField }, { additionalProperties: false });
export const EndorseBody = Type.Union([Type.Object({ authorityId: Type.Optional(OwnAuthorityDefault), ...IdempotencyKeyField }, { additionalProperties: false }), Type.Null()], {
  description: 'Absent, `{}`, or the counter (default: your own authority) and a key',
});

export const RegistrationSchema = Type.Object(
  {
    id: Uuid,
    cityCode: Type.String({ description: 'Prefecture-level city (GB/T 2260)' }),
    authorityId: Type.String(),
    address: Type.String(),
    registeredOn: DateString(),
    endedOn: Nullable(DateString()),
    endReason: Nullable(Type.String()),
  },
  { title: 'ResidenceRegistration' },
);

export const EndorsementStateSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('not_due'), Type.Literal('due'), Type.Literal('overdue'), Type.Literal('not_applicable')]),
    anniversary: Nullable(DateString('The anniversary the next endorsement is due before')),
    windowOpensOn: Nullable(DateString()),
    lastOnTimeDay: Nullable(DateString()),
  },
  { title: 'EndorsementState' },
);

export const PermitStatusSchema = Type.Union(
  [Type.Literal('applied'), Type.Literal('valid'), Type.Literal('suspended'), Type.Literal('rejected'), Type.Literal('cancelled')],
  { description: 'On the day asked; suspended = an endorsement is overdue (Art. 10)' },
);

export const PermitSchema = Type.Object(
  {
    id: Uuid,
    registrationId: Uuid,
    cityCode: Type.String(),
    authorityId: Type.String(),
    issuingAuthorityId: Type.String(),
    basis: PermitBasisSchema,
    basisEvidence: Type.String(),
    appliedOn: DateString(),
    dueOn: DateString('Issue deadline (Art. 9: 15 days, ≤ 30 in remote areas)'),
    status: PermitStatusSchema,
    issuedOn: Nullable(DateString()),
    decidedOn: Nullable(DateString()),
    decisionReason: Nullable(Type.String()),
    residenceCountedFrom: DateString('Residence years count from here (registration, or the last late endorsement)'),
    endorsement: EndorsementStateSchema,
    suspendedSince: Nullable(DateString()),
    version: Type.Integer(),
  },
  { title: 'ResidencePermit' },
);

export const EndorsementSchema = Type.Object(
  {
    id: Type.Integer(),
    permitId: Uuid,
    endorsedOn: DateString(),
    anniversary: DateString(),
    late: Type.Boolean({ description: 'After the anniversary: the count of residence years restarted on endorsedOn' }),
    authorityId: Type.String(),
  },
  { title: 'ResidenceEndorsement' },
);

export const EndorseResultSchema = Type.Object({ permit: PermitSchema, endorsement: EndorsementSchema });

export const ResidenceFactsSchema = Type.Object(
  {
    asOf: DateString(),
    cityCode: Type.String(),
    registrationId: Uuid,
    registeredOn: DateString(),
    permit: Nullable(Type.Object({ id: Uuid, status: PermitStatusSchema, issuedOn: Nullable(DateString()) })),
    residenceCountedFrom: DateString(),
    residenceYears: Type.Integer({ minimum: 0 }),
    continuousResidence: Type.Boolean(),
    endorsement: EndorsementStateSchema,
  },
  { title: 'ResidenceFacts' },
);

