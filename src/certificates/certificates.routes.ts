import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { noteReturnedRecords } from '../audit/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import { CertificateNumberParams, CertificateSchema, RevokeBody, StatusListSchema, TrustListSchema, VerificationSchema, VerifyBody, VerifyQuery } from './certificates.schemas.ts';
import { currentStatusList, currentTrustList, readCertificate, readCertificatePdf, revokeCertificate, verifyCertificateOnline } from './certificates.service.ts';

export interface CertificateRouteOptions {
  db: Db;
  clock: Clock;
}

const tags = ['certificates'];
const security = [{ bearerAuth: [] }];
const ref = (r: FastifyRequest) => `certificate:${(r.params as { number: string }).number}`;
const PUBLIC = { access: { public: true } };

/**
 * Electronic household certificates (户籍证明). Issuance goes through applications (src/applications
 * calls `issueCertificate`); here: reading one (the subject or an officer in area, access-logged),
 * its PDF, revocation, and public verification with the trust list and status list (no login:
 * every route under /api/v1/public/ is public, src/access/access.http.ts).
 */
export const certificateRoutes: FastifyPluginAsyncTypebox<CertificateRouteOptions> = async (app, { db, clock }) => {
  const ctx = (request: FastifyRequest): ServiceContext => ({ db, clock, actor: request.actor });

  app.get(
    '/certificates/:number',
    {
      onRequest: app.guard('certificate.read'),
      config: { accessLog: { action: 'certificate.read', subject: 'person', ref } },
      schema: {
        tags,
        security,
        summary: 'One electronic household certificate, with its signed QR payload and trail',
        description: 'Seen by the person certified and by officers whose area holds the issuing authority or the person; otherwise 404. Logged in the access log. CERTIFICATE_NUMBER_MISTYPED for a wrong check character.',
        params: CertificateNumberParams,
        response: { 200: CertificateSchema, ...errorResponses(401, 403, 404, 429) },
      },
    },
    async (request) => {
      const { certificate, personId } = await readCertificate(ctx(request), request.params.number);
      noteReturnedRecords(request, { personIds: [personId] });
      return certificate;
    },
  );

  app.get(
    '/certificates/:number/pdf',
    {
      onRequest: app.guard('certificate.read'),
      config: { accessLog: { action: 'certificate.pdf', subject: 'person', ref, documentFields: ['certificate.pdf'] } },
      schema: {
        tags,
        security,
        summary: 'The certificate as a PDF (Chinese text, QR code of the signed payload)',
        params: CertificateNumberParams,
        produces: ['application/pdf'],
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'application/pdf' }), ...errorResponses(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const { pdf, personId, number } = await readCertificatePdf(ctx(request), request.params.number);
      noteReturnedRecords(request, { personIds: [personId] });
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${number}.pdf"`).send(pdf);
    },
  );

  app.post(
    '/certificates/:number/revoke',
    {
      onRequest: app.guard('certificate.revoke'),
      schema: {
        tags,
        security,
        summary: 'Revoke a certificate (at once online; in the next status list offline)',
        description: 'By an officer of the issuing authority or one above it. CERTIFICATE_ALREADY_REVOKED when it is revoked already.',
        params: CertificateNumberParams,
        body: RevokeBody,
        response: { 200: CertificateSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => revokeCertificate(ctx(request), request.params.number, request.body.reason),
  );

  const verifySchema = {
    tags,
    summary: 'Verify a certificate (public, no login): genuine, revoked, expired, unknown or tampered',
    description: 'Give the QR text (`HKC1:…`) or the certificate number. Online: revocation counts at once. Shows the certified facts only for a genuine certificate.',
  };
  app.get('/public/certificates/verify', { config: PUBLIC, schema: { ...verifySchema, querystring: VerifyQuery, response: { 200: VerificationSchema, ...errorResponses() } } }, async (request) =>
    verifyCertificateOnline(db, request.query.code, clock),
  );
  app.post('/public/certificates/verify', { config: PUBLIC, schema: { ...verifySchema, body: VerifyBody, response: { 200: VerificationSchema, ...errorResponses(413, 415) } } }, async (request) =>
    verifyCertificateOnline(db, request.body.code, clock),
  );

  app.get(
    '/public/certificates/trust-list',
    {
      config: PUBLIC,
      schema: {
        tags,
        summary: 'The trust list: every certificate signing key with its validity (retired keys too), hash-pinned and signed',
        response: { 200: TrustListSchema, ...errorResponses() },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return currentTrustList(db, clock.now());
    },
  );

  app.get(
    '/public/certificates/status-list',
    {
      config: PUBLIC,
      schema: {
        tags,
        summary: 'The signed revocation status list (W3C Bitstring Status List model): bit i = certificate with status index i is revoked',
        response: { 200: StatusListSchema, ...errorResponses() },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return currentStatusList(db, clock.now());
    },
  );
};
