import { Type } from 'typebox';
import { PURPOSE_PATTERN } from './purpose.ts';
import { ACCOUNT_ROLES } from './roles.ts';
import { IdNumber } from '../platform/http/schemas.ts';

const Role = Type.Union(ACCOUNT_ROLES.map((r) => Type.Literal(r)), { description: 'One of the roles of issue #4' });

export const AccountSchema = Type.Object(
  {
    id: Type.Integer(),
    username: Type.String(),
    displayName: Type.String(),
    role: Role,
    authorityId: Type.String({ description: 'e.g. station-110105001, county-110105, pref-110100, prov-110000, mps' }),
    authorityName: Type.String(),
    personId: Type.Union([Type.Integer(), Type.Null()], { description: 'Citizens: their person record' }),
    status: Type.Union([Type.Literal('active'), Type.Literal('locked')]),
    lockedReason: Type.Union([Type.String(), Type.Null()]),
    lockedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'End of an automatic backoff lock' }),
    mustChangePassword: Type.Boolean(),
    secondFactorEnrolled: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    createdBy: Type.String(),
  },
  { $id: 'Account', title: 'Account' },
);

export const TotpEnrolmentSchema = Type.Object({
  secret: Type.String({ description: 'Base32 TOTP secret (RFC 6238, SHA-1, 6 digits, 30 s); shown once' }),
  uri: Type.String({ description: 'otpauth:// URI for authenticator apps (render as a QR code)' }),
});

export const Username = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$', description: '3-64 letters, digits, . _ -' });

export const LoginBody = Type.Object({ username: Username, password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

export const SessionSchema = Type.Object({
  state: Type.Union([Type.Literal('authenticated'), Type.Literal('second_factor_required'), Type.Literal('password_change_required')], {
    description: 'What the session may do now: everything, only POST /auth/totp, or only POST /auth/password',
  }),
  csrfToken: Type.String({ description: 'Echo in `X-CSRF-Token` on every POST/PUT/PATCH/DELETE made with the session cookie' }),
  expiresAt: Type.String({ format: 'date-time' }),
  account: Type.Ref('Account'),
});

export const WhoAmISchema = Type.Object({
  actorId: Type.String(),
  role: Type.String(),
  authorityId: Type.String(),
  via: Type.Union([Type.Literal('session'), Type.Literal('token')]),
  secondFactor: Type.Union([Type.Literal('verified'), Type.Literal('pending'), Type.Literal('not_required')]),
  mustChangePassword: Type.Boolean(),
  csrfToken: Type.Union([Type.String(), Type.Null()]),
  sessionExpiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  account: Type.Union([Type.Ref('Account'), Type.Null()], { description: 'Null only for actors without an account (never over HTTP today)' }),
});

export const TokenSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters, to recognise the token' }),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const NewTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80 }),
    expiresInDays: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 366 }), Type.Null()], { description: 'Default 90; null for no expiry' })),
  },
  { additionalProperties: false },
);

export const IssuedTokenSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String(),
  token: Type.String({ description: 'The bearer token: shown once, stored only as a hash' }),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const CreateAccountBody = Type.Object(
  {
    username: Username,
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    role: Role,
    authorityId: Type.Optional(Type.String({ maxLength: 40 })),
    personIdNumber: Type.Optional(Type.String({ ...IdNumber, description: 'Citizens: the ID number of their person record' })),
  },
  { additionalProperties: false },
);

export const CreatedAccountSchema = Type.Object({
  account: Type.Ref('Account'),
  initialPassword: Type.Union([Type.String(), Type.Null()], { description: 'Shown once; must be changed at first login. Null for department clients' }),
  totp: Type.Union([TotpEnrolmentSchema, Type.Null()]),
});

export const AccountIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** `?purpose=` on full-record reads: the same as the `X-Purpose` header, for clients that cannot set headers. */
export const PurposeQuery = Type.Object(
  {
    purpose: Type.Optional(
      Type.String({
        pattern: PURPOSE_PATTERN,
        description: 'Why you read this record: `application:<id>` or `case:<reference>` (or send the `X-Purpose` header). Officers must give one.',
      }),
    ),
  },
  { additionalProperties: false },
);

/**
 * The `X-Purpose` header, declared on every route that reads personal data with a purpose so the
 * OpenAPI document shows it. Its form is checked by the guard (PURPOSE_REQUIRED), not by the schema.
 */
export const PurposeHeaders = Type.Object({
  'x-purpose': Type.Optional(
    Type.String({
      description:
        'Why you read this: `application:<id>` (an ID card application, transfer or residence registration/permit concerning the person) or `case:<reference>`. ' +
        'Officers must state one on full-record reads and searches; an `application:` purpose must name an existing application concerning the person.',
      examples: ['case:DEMO-1'],
    }),
  ),
});

export const MeSchema = Type.Object({
  role: Type.String(),
  authority: Type.Object({ id: Type.String(), name: Type.String() }, { description: 'The authority you act for; the default wherever a request asks for one' }),
  account: Type.Union([Type.Ref('Account'), Type.Null()]),
  personLinked: Type.Union([Type.Boolean(), Type.Null()], { description: 'Citizens: whether the account is linked to your person record' }),
  links: Type.Record(Type.String(), Type.String(), { description: 'Where to go next' }),
});
