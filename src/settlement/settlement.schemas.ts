import { Type, type Static } from 'typebox';
import { IdNumber } from '../platform/http/schemas.ts';
import { CITY_CLASSES } from './city-class.ts';
import { FACT_KINDS } from './facts.vocabulary.ts';

const Date_ = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const CityCode = Type.String({ pattern: '^\\d{6}$' });
const Scheme = Type.String({ pattern: '^[a-z][a-zA-Z0-9_-]{0,40}$' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Scalar = Type.Union([Type.Number(), Type.Boolean(), Type.String()]);
export const Uuid = Type.String({ format: 'uuid' });
const Key = Type.Optional(Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$' }));

export const CheckQuery = Type.Object({ idNumber: IdNumber, city: CityCode, on: Type.Optional(Date_), scheme: Type.Optional(Scheme), purpose: Type.Optional(Type.String()) }, { additionalProperties: false });
export const CheckBody = Type.Object({ idNumber: IdNumber, city: CityCode, on: Type.Optional(Date_), scheme: Type.Optional(Scheme) }, { additionalProperties: false });
export const MyCheckQuery = Type.Object({ city: CityCode, on: Type.Optional(Date_), scheme: Type.Optional(Scheme) }, { additionalProperties: false });

const ConditionLeaf = Type.Object({ id: Type.String(), label: Type.String(), article: Type.String(), verification: Type.String(), status: Type.String(), rule: Type.String(), fact: Nullable(Type.String()), actual: Nullable(Scalar) });
const ConditionResult = Type.Object({ ...ConditionLeaf.properties, alternatives: Type.Optional(Type.Array(ConditionLeaf)) });
const IndicatorResult = Type.Object({
  id: Type.String(),
  label: Type.String(),
  article: Type.String(),
  verification: Type.String(),
  sign: Type.String(),
  fact: Type.String(),
  actual: Nullable(Scalar),
  units: Nullable(Type.Number()),
  raw: Type.Number(),
  points: Type.Number(),
  status: Type.String(),
  explanation: Type.String(),
});
export const EvaluationSchema = Type.Object({
  outcome: Type.String(),
  grants: Type.String(),
  conditions: Type.Array(ConditionResult),
  vetoes: Type.Array(ConditionResult),
  points: Nullable(Type.Object({ total: Type.Number(), base: Type.Number(), additions: Type.Number(), deductions: Type.Number(), floorApplied: Type.Boolean(), items: Type.Array(IndicatorResult) })),
  threshold: Nullable(Type.Object({ required: Type.Number(), of: Type.String(), actual: Type.Number(), status: Type.String(), article: Type.String() })),
  missing: Type.Array(Type.Object({ fact: Type.String(), describe: Type.String(), neededBy: Type.Array(Type.String()) })),
});

export const FactSchema = Type.Object({
  id: Type.Number(),
  kind: Type.String(),
  cityCode: Nullable(Type.String()),
  periodFrom: Type.String(),
  periodTo: Nullable(Type.String()),
  value: Type.Record(Type.String(), Type.Unknown()),
  source: Type.String(),
  receivedOn: Type.String(),
  evidence: Type.String(),
  recordedBy: Type.String(),
});

export const CheckResultSchema = Type.Object({
  idNumber: Type.String(),
  asOf: Type.String(),
  city: Type.Object({ code: Type.String(), name: Nullable(Type.String()), class: Nullable(Type.String()), className: Nullable(Type.String()), urbanPopulation: Nullable(Type.Number()), populationYear: Nullable(Type.Number()), source: Nullable(Type.String()) }),
  answers: Type.Array(
    Type.Object({
      decisionId: Type.String(),
      scheme: Type.String(),
      name: Type.String(),
      grants: Type.String(),
      mode: Type.String(),
      policyVersion: Type.String(),
      policyFile: Type.String(),
      legalBasis: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), document: Type.Optional(Type.String()), verification: Type.String() })),
      evaluation: EvaluationSchema,
      annualQuota: Nullable(Type.Number()),
    }),
  ),
  noPolicy: Nullable(Type.Object({ reason: Type.String(), earliest: Nullable(Type.String()) })),
  facts: Type.Array(Type.Object({ fact: Type.String(), value: Scalar, source: Type.String(), detail: Type.String(), factIds: Type.Array(Type.Number()) })),
  evidence: Type.Array(FactSchema),
});

export const RecordFactBody = Type.Object(
  {
    idNumber: IdNumber,
    kind: Type.Union(FACT_KINDS.map((k) => Type.Literal(k))),
    cityCode: Type.Optional(Nullable(CityCode)),
    periodFrom: Date_,
    periodTo: Type.Optional(Nullable(Date_)),
    value: Type.Record(Type.String(), Type.Unknown()),
    source: Type.String({ minLength: 1, maxLength: 200 }),
    receivedOn: Type.Optional(Date_),
    evidence: Type.String({ minLength: 1, maxLength: 200 }),
    idempotencyKey: Key,
  },
  { additionalProperties: false },
);
export type RecordFactBody = Static<typeof RecordFactBody>;

export const ReviewRequestBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
export const ReviewDecisionBody = Type.Object({ outcome: Type.Union([Type.Literal('upheld'), Type.Literal('changed')]), reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
export const ReviewSchema = Type.Object({
  id: Type.String(),
  decisionId: Type.String(),
  reason: Type.String(),
  requestedBy: Type.String(),
  requestedAt: Type.String(),
  state: Type.String(),
  officerId: Nullable(Type.String()),
  outcome: Nullable(Type.String()),
  officerReason: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
});
export const ReplaySchema = Type.Object({
  decision: Type.Object({ id: Type.String(), cityCode: Type.String(), scheme: Type.String(), policyVersion: Type.String(), asOf: Type.String(), outcome: Type.String(), factIds: Type.Array(Type.Number()), requestedBy: Type.String(), createdAt: Type.String() }),
  replayed: Nullable(EvaluationSchema),
  same: Type.Boolean(),
  policyChanged: Type.Boolean(),
});

export const OpenRoundBody = Type.Object(
  { cityCode: CityCode, scheme: Scheme, year: Type.Integer({ minimum: 2000, maximum: 2100 }), opensOn: Date_, closesOn: Date_, collectiveHouseholdNumber: Type.String({ pattern: '^\\d{15}$' }), quota: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);
export const RoundSchema = Type.Object({
  id: Type.String(),
  cityCode: Type.String(),
  scheme: Type.String(),
  year: Type.Number(),
  policyVersion: Type.String(),
  quota: Type.Number(),
  opensOn: Type.String(),
  closesOn: Type.String(),
  state: Type.String(),
  publishedOn: Nullable(Type.String()),
  objectionsUntil: Nullable(Type.String()),
  collectiveHouseholdNumber: Type.String(),
});
export const ScoredSchema = Type.Object({ ...RoundSchema.properties, applicants: Type.Number(), admitted: Type.Number(), cutoff: Nullable(Type.Number()) });
const Family = Type.Array(Type.Object({ idNumber: IdNumber, relationship: Type.String({ pattern: '^\\d{2}$' }) }, { additionalProperties: false }), { maxItems: 10 });
export const ApplyBody = Type.Object(
  { idNumber: IdNumber, destinationHouseholdNumber: Type.Optional(Type.String({ pattern: '^\\d{15}$' })), relationship: Type.Optional(Type.String({ pattern: '^\\d{2}$' })), family: Type.Optional(Family), idempotencyKey: Key },
  { additionalProperties: false },
);
export const ApplicationSchema = Type.Object({ id: Type.String(), roundId: Type.String(), idNumber: Type.String(), appliedOn: Type.String(), decisionId: Type.String(), state: Type.String(), family: Type.Array(Type.Object({ idNumber: Type.String(), relationship: Type.String() })) });
export const ListQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), offset: Type.Optional(Type.Integer({ minimum: 0 })), admittedOnly: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export const ListSchema = Type.Object({ round: RoundSchema, entries: Type.Array(Type.Object({ position: Type.Number(), maskedName: Type.String(), maskedIdNumber: Type.String(), score: Type.Number(), admitted: Type.Boolean() })) });
export const ObjectionBody = Type.Object({ idNumber: IdNumber, text: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false });
export const ObjectionSchema = Type.Object({ id: Type.String(), lodgedOn: Type.String() });
export const ApprovalSchema = Type.Object({
  round: RoundSchema,
  started: Type.Array(
    Type.Object({
      applicationId: Type.String(),
      idNumber: Type.String(),
      members: Type.Array(Type.Object({ idNumber: Type.String(), how: Type.String(), transferId: Nullable(Type.String()) })),
      error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
    }),
  ),
});
export const SimulationBody = Type.Object(
  {
    cityCode: CityCode,
    on: Type.Optional(Date_),
    scheme: Type.Optional(Scheme),
    socialInsuranceMonths: Type.Optional(Type.Integer({ minimum: 0, maximum: 600 })),
    quota: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
    nextClass: Type.Optional(Type.Boolean()),
    cityClass: Type.Optional(Type.Union(CITY_CLASSES.map((c) => Type.Literal(c)))),
  },
  { additionalProperties: false },
);
const Group = Type.Object({ code: Type.String(), residents: Type.Number(), baseline: Type.Number(), variant: Type.Number(), newly: Type.Number() });
export const SimulationSchema = Type.Object({
  cityCode: Type.String(),
  asOf: Type.String(),
  baseline: Type.Object({ policyVersion: Type.String(), quota: Nullable(Type.Number()) }),
  variant: Type.Object({ policyVersion: Type.String(), quota: Nullable(Type.Number()), changes: Type.Array(Type.String()) }),
  residents: Type.Number(),
  baselineCount: Type.Number(),
  variantCount: Type.Number(),
  newly: Type.Number(),
  byDistrict: Type.Array(Group),
  byOriginProvince: Type.Array(Group),
});
