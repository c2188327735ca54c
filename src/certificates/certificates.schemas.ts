import { Type, type Static, type TSchema } from 'typebox';
import { NOT_BLANK } from '../platform/text.ts';

/** Request and response schemas of certificates and public verification; responses list every field shown. */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Kind = Type.Union([Type.Literal('hukou_registration'), Type.Literal('family_relationship'), Type.Literal('deregistration')]);
const Algorithm = Type.Union([Type.Literal('SM2-SM3'), Type.Literal('Ed25519')]);
const Facts = Type.Record(Type.String(), Type.Unknown(), { description: 'the facts certified (src/certificates/facts.ts lists them per kind)' });

export const CertificateNumberParams = Type.Object({
  number: Type.String({ minLength: 1, maxLength: 40, description: 'certificate number, `ZM` + 17 characters (spaces, hyphens and lower case accepted)' }),
});

export const CertificateEventSchema = Type.Object({
  kind: Type.Union([Type.Literal('issued'), Type.Literal('revoked')]),
  actor: Type.String(),
  authorityId: Type.String(),
  reason: Nullable(Type.String()),
  at: Type.String({ format: 'date-time' }),
});

export const CertificateSchema = Type.Object({
  number: Type.String(),
  kind: Kind,
  status: Type.Union([Type.Literal('valid'), Type.Literal('revoked'), Type.Literal('expired')]),
  subjectIdNumber: Type.String(),
  applicationId: Nullable(Type.String()),
  issuingAuthorityId: Type.String(),
  facts: Facts,
  issuedAt: Type.String({ format: 'date-time' }),
  validUntil: Type.String({ format: 'date' }),
  keyId: Type.String(),
  algorithm: Algorithm,
  statusIndex: Type.Integer(),
  qrText: Type.String({ description: 'the signed payload of the QR code (docs/certificates.md)' }),
  revokedAt: Nullable(Type.String({ format: 'date-time' })),
  revocationReason: Nullable(Type.String()),
  events: Type.Array(CertificateEventSchema),
});
export type CertificateView = Static<typeof CertificateSchema>;

export const RevokeBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500, pattern: NOT_BLANK, description: 'why the certificate no longer holds' }) },
  { additionalProperties: false },
);

export const VerificationSchema = Type.Object({
  status: Type.Union([Type.Literal('genuine'), Type.Literal('revoked'), Type.Literal('expired'), Type.Literal('unknown'), Type.Literal('tampered')]),
  reason: Type.String(),
  certificate: Nullable(
    Type.Object({
      number: Type.String(),
      kind: Kind,
      issuingAuthorityId: Type.String(),
      issuedAt: Type.String(),
      validUntil: Type.String(),
      keyId: Type.String(),
      algorithm: Type.String(),
      facts: Nullable(Facts),
    }),
  ),
  revocationChecked: Type.Boolean(),
  statusListStale: Type.Optional(Type.Boolean()),
  checkedAt: Type.String({ format: 'date-time' }),
});

export const VerifyQuery = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 4096, description: 'the QR text (`HKC1:…`) or the certificate number' }),
});
export const VerifyBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false });

const ProofSchema = Nullable(Type.Object({ kid: Type.String(), alg: Algorithm, signature: Type.String({ description: 'base64url' }) }));

export const TrustListSchema = Type.Object({
  type: Type.Literal('HukouCertificateTrustList'),
  version: Type.Literal(1),
  issuer: Type.String(),
  issuedAt: Type.String(),
  keys: Type.Array(
    Type.Object({
      kid: Type.String(),
      alg: Algorithm,
      curve: Type.String(),
      userId: Type.Optional(Type.String()),
      publicKey: Type.String(),
      publicKeyPem: Type.String(),
      validFrom: Type.String(),
      retiredAt: Nullable(Type.String()),
    }),
  ),
  digest: Type.String(),
  proof: ProofSchema,
});

export const StatusListSchema = Type.Object({
  '@context': Type.Array(Type.String()),
  type: Type.Array(Type.String()),
  id: Type.String(),
  issuer: Type.String(),
  validFrom: Type.String(),
  validUntil: Type.String(),
  credentialSubject: Type.Object({ id: Type.String(), type: Type.Literal('BitstringStatusList'), statusPurpose: Type.Literal('revocation'), encodedList: Type.String() }),
  proof: ProofSchema,
});

export const PageQuery = Type.Object({ c: Type.Optional(Type.String({ maxLength: 4096 })) });
