import { Type, type TSchema } from 'typebox';
import { PurposeQuery } from '../access/index.ts';
import { IdempotencyKeyField, IdNumber } from '../platform/http/schemas.ts';
import { CatalogMaterial, CatalogService } from './catalog.ts';

/** Request and response schemas of the catalog and application routes; responses list every field shown. */

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const AuthorityId = Type.String({ minLength: 2, maxLength: 40, pattern: '^[a-z]+(-[0-9]+)?$', description: 'Authority id: station-440305001, county-440305…' });
const Scope = Type.Union([Type.Literal('local'), Type.Literal('intraprovincial_cross_prefecture'), Type.Literal('interprovincial')]);
const State = Type.Union([
  Type.Literal('draft'),
  Type.Literal('submitted'),
  Type.Literal('returned'),
  Type.Literal('accepted'),
  Type.Literal('in_review'),
  Type.Literal('approved'),
  Type.Literal('rejected'),
  Type.Literal('completed'),
  Type.Literal('withdrawn'),
  Type.Literal('delegated'),
]);

export const TrackingNumberParam = Type.String({ minLength: 1, maxLength: 40, description: 'Tracking number (17 characters; spaces and hyphens ignored)' });
export const ByTrackingNumber = Type.Object({ trackingNumber: TrackingNumberParam });
export const ByCode = Type.Object({ code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,62}$' }) });

export const CatalogSchema = Type.Object({
  version: Type.Object({ effectiveFrom: Type.String(), source: Type.String(), verifiedAt: Type.String() }),
  services: Type.Array(CatalogService),
});
export { CatalogService as ServiceSchema };

export const SubmitBody = Type.Object(
  {
    serviceCode: Type.String({ pattern: '^[a-z][a-z0-9_]{1,62}$' }),
    subjectIdNumber: IdNumber,
    acceptingAuthorityId: Type.Optional(AuthorityId),
    competentAuthorityId: Type.Optional(AuthorityId),
    facts: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]{0,40}$' }), Type.Unknown(), { maxProperties: 30 })),
    submit: Type.Optional(Type.Boolean({ description: 'false keeps a draft, to upload materials first (default true)' })),
    ...IdempotencyKeyField,
  },
  { additionalProperties: false },
);

export const StepBody = Type.Union([Type.Object({ ...IdempotencyKeyField }, { additionalProperties: false }), Type.Null()]);
export const ReasonBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }), ...IdempotencyKeyField }, { additionalProperties: false });
export const ReturnBody = Type.Object(
  {
    missing: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]{1,62}$' }), { minItems: 1, maxItems: 30 }),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    ...IdempotencyKeyField,
  },
  { additionalProperties: false },
);

export const UploadBody = Type.Object(
  {
    materialCode: Type.String({ pattern: '^[a-z][a-z0-9_]{1,62}$' }),
    contentBase64: Type.String({ minLength: 4, pattern: '^[A-Za-z0-9+/]*={0,2}$', description: 'The file, base64; at most 5 MiB decoded; PDF, JPEG or PNG by content' }),
  },
  { additionalProperties: false },
);

export const ApplicationSchema = Type.Object({
  trackingNumber: Nullable(Type.String({ description: 'null for an application made directly in its own flow (not through the catalog): see flow and flowRef' })),
  serviceCode: Type.String(),
  catalogVersion: Type.String(),
  flow: Type.String(),
  flowRef: Nullable(Type.String()),
  state: State,
  flowState: Nullable(Type.String()),
  subjectIdNumber: Type.String(),
  channel: Type.Union([Type.Literal('online'), Type.Literal('counter')]),
  acceptingAuthorityId: Nullable(Type.String()),
  competentAuthorityId: Type.String(),
  scope: Scope,
  deadlineWorkingDays: Type.Integer(),
  deadline: Nullable(Type.String()),
  deadlineProvisional: Type.Boolean(),
  overdue: Type.Boolean(),
  missingMaterials: Nullable(Type.Array(Type.String())),
  decisionReason: Nullable(Type.String()),
  outcome: Nullable(Type.Record(Type.String(), Type.Unknown())),
  facts: Type.Record(Type.String(), Type.Unknown()),
  version: Type.Integer(),
  submittedAt: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  createdAt: Type.String(),
});

export const MaterialSchema = Type.Object({
  id: Type.String(),
  materialCode: Type.String(),
  mediaType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  uploadedAt: Type.String(),
});

export const MaterialContentSchema = Type.Object({ materialCode: Type.String(), mediaType: Type.String(), sha256: Type.String(), contentBase64: Type.String() });

export const ApplicationDetailSchema = Type.Object({
  application: ApplicationSchema,
  events: Type.Array(
    Type.Object({
      fromState: Nullable(Type.String()),
      toState: Type.String(),
      actorId: Type.String(),
      authorityId: Nullable(Type.String()),
      reason: Nullable(Type.String()),
      data: Type.Record(Type.String(), Type.Unknown()),
      occurredAt: Type.String(),
    }),
  ),
  materials: Type.Array(MaterialSchema),
});

export const ApplicationListSchema = Type.Object({ applications: Type.Array(ApplicationSchema) });

export const QueueQuery = Type.Object(
  {
    queue: Type.Union([Type.Literal('competent'), Type.Literal('accepting')], { default: 'competent' }),
    open: Type.Boolean({ default: true }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

export const StatisticsSchema = Type.Object({
  asOf: Type.String(),
  overdue: Type.Integer(),
  rows: Type.Array(Type.Object({ serviceCode: Type.String(), scope: Type.String(), state: Type.String(), count: Type.Integer(), overdue: Type.Integer() })),
});

export const FormQuery = Type.Object(
  { idNumber: IdNumber, purpose: PurposeQuery.properties.purpose },
  { additionalProperties: false },
);

export const FormSchema = Type.Object({
  serviceCode: Type.String(),
  available: Type.Object({ ok: Type.Boolean(), reason: Nullable(Type.String()), message: Nullable(Type.String()) }),
  prefilled: Type.Object({
    idNumber: Type.String(),
    name: Type.String(),
    sex: Type.String(),
    birthDate: Type.String(),
    ethnicity: Type.String(),
    householdNumber: Nullable(Type.String()),
    hukouAddress: Nullable(Type.String()),
    hukouAuthorityId: Nullable(Type.String()),
    residenceAddress: Nullable(Type.String()),
    residenceAuthorityId: Nullable(Type.String()),
  }),
  materials: Type.Array(Type.Intersect([CatalogMaterial, Type.Object({ fetchedByReference: Type.Boolean() })])),
  toUpload: Type.Array(Type.String()),
});
