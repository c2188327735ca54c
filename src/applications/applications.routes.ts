import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { noteReturnedRecords } from '../audit/index.ts';
import { chinaDate, type Clock } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import {
  ApplicationDetailSchema,
  ApplicationListSchema,
  ApplicationSchema,
  ByCode,
  ByTrackingNumber,
  CatalogSchema,
  FormQuery,
  FormSchema,
  MaterialContentSchema,
  MaterialSchema,
  QueueQuery,
  ReasonBody,
  ReturnBody,
  ServiceSchema,
  StatisticsSchema,
  StepBody,
  SubmitBody,
  UploadBody,
} from './applications.schemas.ts';
import { findService, serviceCatalog, type ServiceCatalog } from './catalog.ts';
import type { CertificateIssuer } from './certificate-issuer.ts';
import { readMaterial, uploadMaterial } from './materials.service.ts';
import { applicationStatistics, listMyApplications, listQueue, listServices, readApplication, serviceForm } from './read.service.ts';
import { acceptApplication, approveApplication, completeApplication, rejectApplication, returnApplication, startReview, submitDraft, withdrawApplication, type StepDeps } from './steps.service.ts';
import { submitApplication } from './submit.service.ts';
import { workingCalendar, type WorkingCalendar } from './working-days.ts';

export interface ApplicationRouteOptions {
  db: Db;
  clock: Clock;
  /** Issues certificates on approval (src/certificates); null until one is configured. */
  certificateIssuer: CertificateIssuer | null;
  catalog?: ServiceCatalog;
  calendar?: WorkingCalendar;
}

const tags = ['applications'];
const security = [{ bearerAuth: [] }];
/** Uploads carry base64 of at most 5 MiB (≈ 7 MiB of text); the material check refuses oversize files with its own code. */
const UPLOAD_BODY_LIMIT = 8 * 1024 * 1024;

/**
 * Online services handled anywhere (跨省通办): the service catalog, applications under one tracking
 * number scheme with the generic lifecycle (or linked to their own flow), materials, queues.
 */
export const applicationRoutes: FastifyPluginAsyncTypebox<ApplicationRouteOptions> = async (app, opts) => {
  const { db, clock } = opts;
  const catalog = opts.catalog ?? serviceCatalog();
  const deps: StepDeps = { catalog, calendar: opts.calendar ?? workingCalendar(), certificateIssuer: opts.certificateIssuer };
  const ctx = (request: FastifyRequest): ServiceContext => ({ db, clock, actor: request.actor });
  const step = (summary: string, description?: string) => ({
    tags,
    security,
    summary,
    ...(description ? { description } : {}),
    params: ByTrackingNumber,
    response: { 200: ApplicationSchema, ...errorResponses(401, 403, 404, 409, 422) },
  });

  app.get(
    '/services',
    { onRequest: app.guard('service.read'), schema: { tags, security, summary: 'The service catalog in force today', response: { 200: CatalogSchema, ...errorResponses(401, 403) } } },
    async () => listServices(catalog, chinaDate(clock.now())),
  );

  app.get(
    '/services/:code',
    { onRequest: app.guard('service.read'), schema: { tags, security, summary: 'One service: materials and where each comes from, competent authority, deadline, fee, legal basis', params: ByCode, response: { 200: ServiceSchema, ...errorResponses(401, 403, 404) } } },
    async (request) => findService(catalog, chinaDate(clock.now()), request.params.code).service,
  );

  app.get(
    '/services/:code/form',
    {
      onRequest: app.guard('person.read'),
      config: { accessLog: { action: 'application.form.read', subject: 'person', ref: (r) => String((r.query as { idNumber?: string }).idNumber ?? 'self').toUpperCase() } },
      schema: {
        tags,
        security,
        summary: 'The form of a service, prefilled from the register and residence (once-only)',
        description: 'A citizen names their own number; an officer names the person and states a purpose. Materials held by the register, residence or a department are listed as fetched by reference.',
        params: ByCode,
        querystring: FormQuery,
        response: { 200: FormSchema, ...errorResponses(401, 403, 404, 429) },
      },
    },
    async (request) => {
      const { personId, form } = await serviceForm(ctx(request), catalog, { code: request.params.code, idNumber: request.query.idNumber, purpose: request.purpose ?? null });
      noteReturnedRecords(request, { personIds: [personId] });
      return form;
    },
  );

  app.post(
    '/applications',
    {
      onRequest: app.guard('application.submit'),
      schema: {
        tags,
        security,
        summary: 'Apply for a catalog service, online (citizens) or at any counter (officers)',
        description:
          'Generic services (certificates, births, deaths, corrections, settlement) start as a draft and are submitted unless `submit: false`; ID card, residence and transfer services are passed to their own flow and linked. ' +
          'The answer carries the tracking number. Idempotent by `idempotencyKey`.',
        body: SubmitBody,
        response: { 201: ApplicationSchema, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await submitApplication(ctx(request), catalog, request.body)),
  );

  app.get(
    '/applications',
    {
      onRequest: app.guard('application.accept'),
      schema: {
        tags,
        security,
        summary: "An authority's queue: decided here (competent, from the whole country) or accepted here; overdue first",
        querystring: QueueQuery,
        response: { 200: ApplicationListSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ applications: await listQueue(ctx(request), { side: request.query.queue, open: request.query.open, limit: request.query.limit }) }),
  );

  app.get(
    '/applications/statistics',
    { onRequest: app.guard('stats.read'), schema: { tags, security, summary: 'Applications per service, scope and state, with the overdue', response: { 200: StatisticsSchema, ...errorResponses(401, 403) } } },
    async (request) => applicationStatistics(ctx(request)),
  );

  app.get(
    '/me/applications',
    { onRequest: app.guard('self.read'), schema: { tags: ['me', ...tags], security, summary: 'My applications, every flow', response: { 200: ApplicationListSchema, ...errorResponses(401, 403) } } },
    async (request) => ({ applications: await listMyApplications(ctx(request)) }),
  );

  app.get(
    '/applications/:trackingNumber',
    {
      onRequest: app.guard('application.read'),
      config: { accessLog: { action: 'application.read', subject: 'person', ref: (r) => `application:${(r.params as { trackingNumber: string }).trackingNumber}` } },
      schema: { tags, security, summary: 'Track one application: state, deadline, trail, materials', params: ByTrackingNumber, response: { 200: ApplicationDetailSchema, ...errorResponses(401, 403, 404, 429) } },
    },
    async (request) => {
      const { detail, subjectPersonId } = await readApplication(ctx(request), request.params.trackingNumber);
      noteReturnedRecords(request, { personIds: [subjectPersonId] });
      return detail;
    },
  );

  const key = (body: { idempotencyKey?: string | undefined } | null | undefined) => body?.idempotencyKey;

  app.post('/applications/:trackingNumber/submit', { onRequest: app.guard('application.submit'), schema: { ...step('Submit a draft (or resubmit a returned application)'), body: StepBody } }, async (request) =>
    submitDraft(ctx(request), deps, { trackingNumber: request.params.trackingNumber, idempotencyKey: key(request.body) }),
  );
  app.post('/applications/:trackingNumber/withdraw', { onRequest: app.guard('application.submit'), schema: { ...step('Withdraw (the applicant, before a decision)'), body: StepBody } }, async (request) =>
    withdrawApplication(ctx(request), { trackingNumber: request.params.trackingNumber, idempotencyKey: key(request.body) }),
  );
  app.post('/applications/:trackingNumber/accept', { onRequest: app.guard('application.accept'), schema: { ...step('Accept (受理): the working-day deadline starts'), body: StepBody } }, async (request) =>
    acceptApplication(ctx(request), deps, { trackingNumber: request.params.trackingNumber, idempotencyKey: key(request.body) }),
  );
  app.post('/applications/:trackingNumber/return', { onRequest: app.guard('application.accept'), schema: { ...step('Return for missing materials, listing them'), body: ReturnBody } }, async (request) =>
    returnApplication(ctx(request), deps, { trackingNumber: request.params.trackingNumber, missing: request.body.missing, reason: request.body.reason, idempotencyKey: request.body.idempotencyKey }),
  );
  app.post('/applications/:trackingNumber/review', { onRequest: app.guard('application.decide'), schema: { ...step('Start the review at the competent authority'), body: StepBody } }, async (request) =>
    startReview(ctx(request), { trackingNumber: request.params.trackingNumber, idempotencyKey: key(request.body) }),
  );
  app.post(
    '/applications/:trackingNumber/approve',
    { onRequest: app.guard('application.decide'), schema: { ...step('Approve: the effect (certificate, register change) is carried out'), body: StepBody } },
    async (request) => approveApplication(ctx(request), deps, { trackingNumber: request.params.trackingNumber, idempotencyKey: key(request.body) }),
  );
  app.post('/applications/:trackingNumber/reject', { onRequest: app.guard('application.decide'), schema: { ...step('Reject, with the reason'), body: ReasonBody } }, async (request) =>
    rejectApplication(ctx(request), { trackingNumber: request.params.trackingNumber, reason: request.body.reason, idempotencyKey: request.body.idempotencyKey }),
  );
  app.post('/applications/:trackingNumber/complete', { onRequest: app.guard('application.accept'), schema: { ...step('Complete (办结) an approved application'), body: StepBody } }, async (request) =>
    completeApplication(ctx(request), { trackingNumber: request.params.trackingNumber, idempotencyKey: key(request.body) }),
  );

  app.post(
    '/applications/:trackingNumber/materials',
    {
      onRequest: app.guard('application.submit'),
      bodyLimit: UPLOAD_BODY_LIMIT,
      schema: {
        tags,
        security,
        summary: 'Upload a material (PDF, JPEG or PNG by content; at most 5 MiB) to a draft or returned application',
        params: ByTrackingNumber,
        body: UploadBody,
        response: { 201: MaterialSchema, ...errorResponses(401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await uploadMaterial(ctx(request), (code) => findService(catalog, chinaDate(clock.now()), code).service, {
          trackingNumber: request.params.trackingNumber,
          materialCode: request.body.materialCode,
          contentBase64: request.body.contentBase64,
        }),
      ),
  );

  app.get(
    '/applications/:trackingNumber/materials/:materialId',
    {
      onRequest: app.guard('application.read'),
      config: { accessLog: { action: 'application.material.read', subject: 'person', ref: (r) => `application:${(r.params as { trackingNumber: string }).trackingNumber}` } },
      schema: {
        tags,
        security,
        summary: 'Read one uploaded material (base64), if you may see the application; logged',
        params: Type.Object({ trackingNumber: ByTrackingNumber.properties.trackingNumber, materialId: Type.String({ format: 'uuid' }) }),
        response: { 200: MaterialContentSchema, ...errorResponses(401, 403, 404, 429) },
      },
    },
    async (request) => {
      const m = await readMaterial(ctx(request), request.params);
      noteReturnedRecords(request, { personIds: [m.subjectPersonId] });
      return { materialCode: m.materialCode, mediaType: m.mediaType, sha256: m.sha256, contentBase64: m.content.toString('base64') };
    },
  );
};
