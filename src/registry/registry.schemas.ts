import { Type, type TSchema } from 'typebox';
import { IdNumber } from '../platform/http/schemas.ts';
import { NOT_BLANK } from '../platform/text.ts';

/**
 * Request and response schemas of the register's routes. Shapes only (lengths, digit counts):
 * whether a code exists in its table is a domain check answered with 422 INVALID_CODE.
 * Response schemas list every field the API may show.
 */

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const DateString = (description?: string) => Type.String({ format: 'date', ...(description ? { description } : {}) });

export { IdNumber };
export const HouseholdNumber = Type.String({ pattern: '^[0-9A-Za-z-]{1,40}$', description: 'Household number (户号)', examples: ['110105001000001'] });
export const ExpectedVersion = Type.Integer({ minimum: 1, description: 'The version of the record as you read it; a mismatch is 409 VERSION_CONFLICT' });
const Relationship = Type.String({ pattern: '^[0-9]{2}$', description: 'GB/T 4761 relationship to the head of household (02 = the head)', examples: ['20'] });
const Sex = Type.String({ pattern: '^[0-9]$', description: 'GB/T 2261.1: 1 male, 2 female (0 unknown, 9 unspecified)' });
const Ethnicity = Type.String({ pattern: '^[0-9]{2}$', description: 'GB/T 3304 ethnicity code (01 Han …)', examples: ['01'] });
const DivisionCode = Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 division code' });
const TownshipCode = Type.String({ pattern: '^[0-9]{9}$', description: 'NBS 9-digit township code', examples: ['110105001'] });
const Name = Type.String({ minLength: 1, maxLength: 60, pattern: NOT_BLANK });
const Address = (description?: string) => Type.String({ minLength: 1, maxLength: 200, pattern: NOT_BLANK, ...(description ? { description } : {}) });
const HouseholdKind = Type.Union([Type.Literal('family'), Type.Literal('collective'), Type.Literal('public_collective')], {
  description: 'family (家庭户), collective (集体户), public_collective (公共集体户 for people who rent, NDRC 2019)',
});
const MaritalStatus = Type.Union(['10', '20', '21', '22', '23', '30', '40', '90'].map((c) => Type.Literal(c)), {
  description: 'GB/T 2261.2 marital status',
});

/** Fields every write accepts. */
export const WriteMeta = {
  reason: Type.Optional(Type.String({ maxLength: 500, description: 'Why; recorded in the event' })),
  idempotencyKey: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Client transaction id: a retry with the same key returns the first answer and writes nothing' }),
  ),
};

// ---- request bodies --------------------------------------------------------------------------

export const CreateHouseholdBody = Type.Object(
  {
    kind: HouseholdKind,
    townshipCode: TownshipCode,
    address: Address('Street address within the township'),
    authorityId: Type.Optional(Type.String({ maxLength: 40, description: 'Registration authority; default the township police station `station-<township code>`' })),
    ...WriteMeta,
  },
  { additionalProperties: false },
);

/** 出生医学证明编号: one letter and nine digits (the form on every edition since 1999; the 7th edition of 2023 adds a barcode of it). */
export const BirthCertificateNumber = Type.String({
  pattern: '^[A-Za-z][0-9]{9}$',
  description: '出生医学证明编号 (birth medical certificate number): one letter and nine digits; one certificate registers one birth',
  examples: ['X320101001'],
});

/** A parent named at a birth: their ID number when they are registered (linked as the person), their name otherwise. */
export const BirthParent = Type.Object(
  {
    idNumber: Type.Optional(IdNumber),
    name: Type.Optional(Name),
  },
  { additionalProperties: false, minProperties: 1, description: 'The ID number of a registered parent (the name, if given, must match), or the name of one who is not registered' },
);

export const RegisterBirthBody = Type.Object(
  {
    expectedVersion: ExpectedVersion,
    name: Name,
    sex: Sex,
    birthDate: DateString(),
    ethnicity: Ethnicity,
    relationship: Relationship,
    birthplaceCode: Type.Optional(DivisionCode),
    nativePlaceCode: Type.Optional(DivisionCode),
    birthCertificateNumber: Type.Optional(BirthCertificateNumber),
    mother: Type.Optional(BirthParent),
    father: Type.Optional(BirthParent),
    ...WriteMeta,
  },
  { additionalProperties: false },
);

const Particulars = {
  name: Name,
  sex: Sex,
  birthDate: DateString(),
  ethnicity: Ethnicity,
  birthplaceCode: Type.Optional(Nullable(DivisionCode)),
  nativePlaceCode: Type.Optional(Nullable(DivisionCode)),
  education: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  maritalStatus: Type.Optional(Nullable(MaritalStatus)),
  occupation: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  employer: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
};

export const AddMemberBody = Type.Object(
  {
    expectedVersion: ExpectedVersion,
    relationship: Relationship,
    idNumber: Type.Optional(IdNumber),
    person: Type.Optional(Type.Object({ idNumber: IdNumber, ...Particulars }, { additionalProperties: false })),
    ...WriteMeta,
  },
  { additionalProperties: false, description: 'Either idNumber (a person in the register without a current hukou) or person (someone not yet registered)' },
);

export const MoveMemberBody = Type.Object(
  {
    expectedVersion: ExpectedVersion,
    destinationHouseholdNumber: Type.Optional(HouseholdNumber),
    toHouseholdNumber: Type.Optional(Type.String({ ...HouseholdNumber, deprecated: true, description: 'Deprecated: use `destinationHouseholdNumber` (accepted until the next release)' })),
    relationship: Relationship,
    ...WriteMeta,
  },
  { additionalProperties: false },
);

export const RemoveMemberBody = Type.Object(
  {
    expectedVersion: ExpectedVersion,
    cause: Type.Union([Type.Literal('emigrated'), Type.Literal('enlisted'), Type.Literal('other')], {
      description: 'emigrated: settled abroad (Art. 10); enlisted: military service (Art. 11); other: another cancellation',
    }),
    ...WriteMeta,
  },
  { additionalProperties: false },
);

export const ChangeHeadBody = Type.Object(
  {
    expectedVersion: ExpectedVersion,
    newHeadIdNumber: IdNumber,
    relationships: Type.Optional(Type.Array(Type.Object({ idNumber: IdNumber, relationship: Relationship }, { additionalProperties: false }), { maxItems: 100 })),
    ...WriteMeta,
  },
  { additionalProperties: false },
);

export const SplitHouseholdBody = Type.Object(
  {
    expectedVersion: ExpectedVersion,
    members: Type.Array(Type.Object({ idNumber: IdNumber, relationship: Type.Optional(Relationship) }, { additionalProperties: false }), { minItems: 1, maxItems: 100 }),
    newHeadIdNumber: IdNumber,
    townshipCode: TownshipCode,
    address: Address(),
    kind: Type.Optional(HouseholdKind),
    authorityId: Type.Optional(Type.String({ maxLength: 40 })),
    ...WriteMeta,
  },
  { additionalProperties: false },
);

export const CloseHouseholdBody = Type.Object({ expectedVersion: ExpectedVersion, ...WriteMeta }, { additionalProperties: false });

export const RegisterDeathBody = Type.Object({ expectedVersion: ExpectedVersion, deathDate: DateString(), ...WriteMeta }, { additionalProperties: false });

export const CorrectParticularsBody = Type.Object(
  {
    expectedVersion: ExpectedVersion,
    changes: Type.Object(
      {
        name: Type.Optional(Particulars.name),
        sex: Type.Optional(Particulars.sex),
        birthDate: Type.Optional(Particulars.birthDate),
        ethnicity: Type.Optional(Particulars.ethnicity),
        birthplaceCode: Particulars.birthplaceCode,
        nativePlaceCode: Particulars.nativePlaceCode,
        education: Particulars.education,
        maritalStatus: Particulars.maritalStatus,
        occupation: Particulars.occupation,
        employer: Particulars.employer,
      },
      { additionalProperties: false, minProperties: 1 },
    ),
    reason: Type.String({ minLength: 1, maxLength: 500, pattern: NOT_BLANK, description: 'The evidence checked (户口登记条例 Art. 17)' }),
    idempotencyKey: WriteMeta.idempotencyKey,
  },
  { additionalProperties: false },
);

export const TransferCategory = Type.Union(
  [
    Type.Literal('job_transfer'),
    Type.Literal('study_admission'),
    Type.Literal('graduate'),
    Type.Literal('spouse'),
    Type.Literal('parents_join_children'),
    Type.Literal('other'),
  ],
  { description: 'The 2021 categories of one-stop transfer: job transfer, study admission, graduates, joining a spouse, parents joining children' },
);

export const ApplyTransferBody = Type.Object(
  {
    idNumber: IdNumber,
    expectedVersion: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          'The version of the person as you read it (a mismatch is 409 VERSION_CONFLICT). Optional: the destination usually cannot read the person before the ' +
          'application exists (their hukou is elsewhere), and applying changes nothing on the person.',
      }),
    ),
    destinationHouseholdNumber: HouseholdNumber,
    relationship: Relationship,
    category: TransferCategory,
    ...WriteMeta,
  },
  { additionalProperties: false },
);

/** A step with no required input takes no body: absent, `{}`, or an optional reason (absent bodies validate as null). */
export const DecisionBody = Type.Union([Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }), Type.Null()]);
export const RejectionBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500, pattern: NOT_BLANK }) }, { additionalProperties: false });

export const SearchQuery = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'Part of the name in Chinese characters, or in pinyin without tones (zhangxiaoming)' })),
    birthDateFrom: Type.Optional(DateString('Born on or after')),
    birthDateTo: Type.Optional(DateString('Born on or before')),
    division: Type.Optional(Type.String({ maxLength: 6, description: 'Province, prefecture or county code (2, 4 or 6 digits) of the current household' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 40, description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);

// ---- responses ---------------------------------------------------------------------------------

export const HouseholdSummarySchema = Type.Object(
  {
    householdNumber: Type.String(),
    kind: Type.String(),
    countyCode: Type.String(),
    townshipCode: Nullable(Type.String()),
    address: Type.String(),
    authorityId: Type.String(),
    status: Type.String(),
    version: Type.Integer(),
  },
  { $id: 'HouseholdSummary', title: 'HouseholdSummary' },
);

export const PersonSummarySchema = Type.Object(
  { idNumber: Type.String(), name: Type.String(), sex: Type.String(), birthDate: Type.String(), status: Type.String(), version: Type.Integer() },
  { $id: 'PersonSummary', title: 'PersonSummary' },
);

export const PersonRecordSchema = Type.Object(
  {
    idNumber: Type.String(),
    name: Type.String(),
    namePinyin: Type.String(),
    formerNames: Type.Array(Type.String()),
    sex: Type.String(),
    birthDate: Type.String(),
    ethnicity: Type.String(),
    birthplaceCode: Nullable(Type.String()),
    nativePlaceCode: Nullable(Type.String()),
    education: Nullable(Type.String()),
    maritalStatus: Nullable(Type.String()),
    occupation: Nullable(Type.String()),
    employer: Nullable(Type.String()),
    status: Type.String({ description: 'active, deceased, cancelled, emigrated' }),
    deathDate: Nullable(Type.String()),
    version: Type.Integer(),
  },
  { $id: 'PersonRecord', title: 'PersonRecord' },
);

export const EventSchema = Type.Object(
  {
    id: Type.Integer(),
    kind: Type.String(),
    occurredOn: Type.String(),
    recordedAt: Type.String({ format: 'date-time' }),
    householdNumber: Nullable(Type.String()),
    authorityId: Type.String(),
    authorityName: Type.String(),
    actorId: Type.String(),
    reason: Nullable(Type.String()),
    legalBasis: Type.String(),
    applicationId: Nullable(Type.String()),
    data: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'RegistrationEvent', title: 'RegistrationEvent' },
);

const MemberPageSchema = Type.Object({
  idNumber: Type.String(),
  name: Type.String(),
  formerNames: Type.Array(Type.String()),
  relationship: Type.String(),
  relationshipName: Nullable(Type.String()),
  sex: Type.String(),
  sexName: Nullable(Type.String()),
  birthDate: Type.String(),
  ethnicity: Type.String(),
  ethnicityName: Nullable(Type.String()),
  birthplaceCode: Nullable(Type.String()),
  nativePlaceCode: Nullable(Type.String()),
  education: Nullable(Type.String()),
  maritalStatus: Nullable(Type.String()),
  occupation: Nullable(Type.String()),
  employer: Nullable(Type.String()),
  status: Type.String(),
  since: Type.String(),
  version: Type.Integer(),
  birth: Type.Optional(Nullable(Type.Ref('BirthRecord'))),
});

const BookletFields = {
  householdNumber: Type.String(),
  kind: Type.String(),
  countyCode: Type.String(),
  township: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  address: Type.String(),
  authority: Type.Object({ id: Type.String(), name: Type.String() }),
  head: Nullable(Type.Object({ idNumber: Type.String(), name: Type.String() })),
  status: Type.String(),
  version: Type.Integer(),
  members: Type.Array(MemberPageSchema),
};

export const HouseholdBookletSchema = Type.Object(BookletFields, { $id: 'HouseholdBooklet', title: 'HouseholdBooklet' });

const ParentView = Nullable(
  Type.Object({
    name: Type.String(),
    idNumber: Nullable(Type.String({ description: 'The linked parent\'s ID number; masked unless the parent is a member of the household shown with it' })),
    linked: Type.Boolean({ description: 'true when the parent is a registered person (named by ID number at the birth)' }),
  }),
);

/** What the birth registration recorded: certificate number and parents (户口登记条例 Art. 7). */
export const BirthRecordSchema = Type.Object(
  {
    certificateNumber: Nullable(Type.String({ description: '出生医学证明编号; null for births registered without one (before 1996, or before the register kept it)' })),
    mother: ParentView,
    father: ParentView,
  },
  { $id: 'BirthRecord', title: 'BirthRecord' },
);

export const PersonViewSchema = Type.Object({
  person: Type.Ref('PersonRecord'),
  matched: Type.Object({ idNumber: Type.String(), current: Type.Boolean({ description: 'false when found by a former ID number' }) }),
  household: Nullable(Type.Object({ ...BookletFields, relationship: Type.String(), since: Type.String() })),
  householdWithheld: Type.Boolean({
    description:
      'true when the person has a current household outside your jurisdiction (you see them through their residence or an application you handle) ' +
      "or this is your own record as a citizen: the household's pages hold other people's data, so `household` is null",
  }),
  idNumbers: Type.Array(Type.Object({ idNumber: Type.String(), validFrom: Type.String(), validTo: Nullable(Type.String()), reason: Type.String() })),
  transfers: Type.Array(
    Type.Object({ id: Type.String(), state: Type.String(), category: Type.String(), appliedOn: Type.String({ format: 'date' }), dueOn: Type.String({ format: 'date', description: 'Last day to complete (China time)' }), closedAt: Nullable(Type.String({ format: 'date-time' })) }),
  ),
  timeline: Type.Array(Type.Ref('RegistrationEvent')),
  birth: Nullable(Type.Ref('BirthRecord')),
});

export const SearchResultsSchema = Type.Object({
  results: Type.Array(
    Type.Object({
      maskedIdNumber: Type.String({ examples: ['110105********002X'] }),
      maskedName: Type.String({ examples: ['张*明'] }),
      sex: Type.String(),
      birthDate: Type.String(),
      status: Type.String(),
      countyCode: Nullable(Type.String()),
      handle: Type.String({ description: 'Opaque: GET /api/v1/persons/by-handle/{handle} (with a purpose) opens the full record, for you only, for 15 minutes' }),
    }),
  ),
  nextCursor: Nullable(Type.String()),
});

const Authority = Type.Object({ householdNumber: Type.String(), authorityId: Type.String(), authorityName: Type.String() });

export const TransferSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    state: Type.String({ description: 'applied, destination_approved, origin_moved_out, destination_moved_in (completed), rejected, compensated, expired' }),
    nextStep: Nullable(Type.String({ description: 'destination_decision, origin_move_out, destination_move_in; null when final' })),
    category: Type.String(),
    person: Type.Object({ idNumber: Type.String(), name: Type.String() }),
    origin: Authority,
    destination: Authority,
    relationship: Type.String(),
    reason: Nullable(Type.String()),
    decisionReason: Nullable(Type.String()),
    appliedOn: Type.String(),
    dueOn: DateString('The last day (China time) to complete the transfer; past it, it is compensated as expired'),
    approvedAt: Nullable(Type.String()),
    movedOutAt: Nullable(Type.String()),
    movedInAt: Nullable(Type.String()),
    closedAt: Nullable(Type.String()),
    version: Type.Integer(),
    events: Type.Array(Type.Ref('RegistrationEvent')),
  },
  { $id: 'Transfer', title: 'Transfer' },
);

export const StepResultSchema = Type.Object({
  transfer: Type.Ref('Transfer'),
  performed: Nullable(Type.String({ description: 'The step this call performed; null when there was none to do (already done, or waiting)' })),
});

export const SettledSchema = Type.Object({
  transfer: Type.Ref('Transfer'),
  stepError: Nullable(Type.Object({ code: Type.String(), message: Type.String() }, { description: 'An automatic step that failed; retry with …/advance' })),
});

const HouseholdRef = Type.Ref('HouseholdSummary');
const PersonRef = Type.Ref('PersonSummary');

export const Results = {
  household: Type.Object({ household: HouseholdRef }),
  birth: Type.Object({
    person: PersonRef,
    household: HouseholdRef,
    registrationDue: Type.String({ description: 'One month after birth (户口登记条例 Art. 7)' }),
    lateRegistration: Type.Boolean(),
    birth: Type.Ref('BirthRecord'),
  }),
  addMember: Type.Object({ person: PersonRef, household: HouseholdRef, registration: Type.String({ description: 'new or restored' }) }),
  removeMember: Type.Object({ person: PersonRef, household: HouseholdRef, householdNeedsNewHead: Type.Boolean() }),
  move: Type.Object({ person: PersonRef, from: HouseholdRef, to: HouseholdRef, fromNeedsNewHead: Type.Boolean() }),
  changeHead: Type.Object({ household: HouseholdRef, head: Type.Object({ idNumber: Type.String(), name: Type.String() }), relationshipsChanged: Type.Integer() }),
  split: Type.Object({ source: HouseholdRef, household: HouseholdRef, moved: Type.Array(Type.String()), sourceNeedsNewHead: Type.Boolean() }),
  death: Type.Object({ person: PersonRef, household: Nullable(HouseholdRef), householdNeedsNewHead: Type.Boolean(), lateRegistration: Type.Boolean() }),
  correction: Type.Object({ person: Type.Ref('PersonRecord'), changed: Type.Array(Type.String()), previousIdNumber: Nullable(Type.String()) }),
  expired: Type.Object({ expired: Type.Array(Type.String()) }),
};

/** Shared schemas registered once by the register's plugin. */
export const SHARED_SCHEMAS = [BirthRecordSchema, HouseholdSummarySchema, PersonSummarySchema, PersonRecordSchema, EventSchema, HouseholdBookletSchema, TransferSchema];
