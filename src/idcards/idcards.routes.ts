import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { defaultToApplicationPurpose, PurposeHeaders, PurposeQuery } from '../access/index.ts';
import { noteReturnedRecords } from '../audit/index.ts';
import { ownIdNumber } from '../registry/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { errorResponses, KeyOnlyBody } from '../platform/http/schemas.ts';
import { applyForCard } from './apply.service.ts';
import { checkCard } from './check.service.ts';
import { confirmApplication, deliverCard, listApplicationQueue, readApplication, rejectApplication } from './decide.service.ts';
import { readIdentity } from './identity.service.ts';
import { reportCardLost, reportOwnCardLost } from './loss.service.ts';
import {
  ApplicationSchema,
  ApplicationWithCardSchema,
  ApplyBody,
  CheckBody,
  CheckResultSchema,
  IdentitySchema,
  IdNumber,
  LossReportBody,
  LossReportResultSchema,
  RejectBody,
} from './idcards.schemas.ts';

/** `authorityId`, or the name it had before issue #12 (`acceptingAuthorityId`, accepted for one release). */
function withAuthority<T extends { authorityId?: string | undefined; acceptingAuthorityId?: string | undefined }>(body: T): Omit<T, 'acceptingAuthorityId'> {
  const { acceptingAuthorityId, ...rest } = body;
  return { ...rest, authorityId: rest.authorityId ?? acceptingAuthorityId };
}

export interface IdCardRouteOptions {
  db: Db;
  clock: Clock;
}

const tags = ['id-cards'];
const security = [{ bearerAuth: [] }];
const ById = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * Resident ID cards handled anywhere (跨省通办): applications, confirmation by the hukou place,
 * delivery by the accepting authority, loss reports, the card check, and the one identity view.
 * Every route answers to an account (the card check too: it is for departments and banks). Any
 * officer accepts applications and loss reports at their own counter for whoever presents
 * themselves; the application then makes the person visible to that authority and the hukou place
 * for its purpose (the `id_card_application` person-visibility rule registered here).
 */
export const idCardRoutes: FastifyPluginAsyncTypebox<IdCardRouteOptions> = async (app, { db, clock }) => {
  const ctx = (request: FastifyRequest): ServiceContext => ({ db, clock, actor: request.actor });

  app.post(
    '/id-card-applications',
    {
      onRequest: app.guard('application.accept'),
      schema: {
        tags,
        security,
        summary: 'Accept an ID card application at any authority (first, renewal, reissue, temporary)',
        description:
          'Dated today. Validity by age on this date (Art. 5), fee (¥20 first/renewal, ¥40 loss or damage, ¥10 temporary; waivers on first application and renewal), ' +
          'issue deadline (60 days, +30 remote; temporary 3 days), the hukou-place authority that confirms, and the scope (local, intraprovincial_cross_prefecture, interprovincial). ' +
          'Refusals: CARD_NOT_NEAR_EXPIRY, NAME_NOT_CHANGED, REISSUE_WITHOUT_LOSS_REPORT, FIRST_CARD_ALREADY_ISSUED, SECOND_VALID_CARD, NO_PENDING_APPLICATION, APPLICATION_IN_PROGRESS, FEE_WAIVER_NOT_APPLICABLE.',
        body: ApplyBody,
        response: { 201: ApplicationSchema, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await applyForCard(ctx(request), withAuthority(request.body))),
  );

  app.get(
    '/id-card-applications',
    {
      onRequest: app.guard('application.accept'),
      config: { accessLog: { action: 'idcard.application.queue', subject: 'search', ref: (r) => `queue:${(r.query as { queue?: string }).queue ?? ''}` } },
      schema: {
        tags,
        security,
        summary: 'Work queue: applications waiting for your authority (confirm at the hukou place, deliver at the accepting one)',
        description: 'Nearest deadline first; `overdue` marks those past their issue deadline. Officers see their own authority and those under it. Logged.',
        querystring: Type.Object(
          { queue: Type.Union([Type.Literal('confirm'), Type.Literal('deliver')]), limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ applications: Type.Array(ApplicationSchema) }), ...errorResponses(401, 403, 429) },
      },
    },
    async (request) => {
      const { applications, personIds } = await listApplicationQueue(ctx(request), request.query);
      noteReturnedRecords(request, { personIds });
      return { applications };
    },
  );

  app.get(
    '/id-card-applications/:id',
    {
      onRequest: app.guard('application.read'),
      config: { accessLog: { action: 'idcard.application.read', subject: 'person', ref: (r) => `id-card-application:${(r.params as { id: string }).id}` } },
      schema: {
        tags,
        security,
        summary: 'One ID card application',
        description: 'Seen by the accepting authority, the hukou place (and authorities above them) and the person concerned; otherwise 404. Logged in the access log.',
        params: ById,
        headers: PurposeHeaders,
        response: { 200: ApplicationSchema, ...errorResponses(401, 403, 404, 429) },
      },
    },
    async (request) => {
      defaultToApplicationPurpose(request, request.params.id);
      const { application, personId } = await readApplication(ctx(request), request.params.id);
      noteReturnedRecords(request, { personIds: [personId] });
      return application;
    },
  );

  app.post(
    '/id-card-applications/:id/confirm',
    {
      onRequest: app.guard('idcard.decide'),
      schema: {
        tags,
        security,
        summary: 'Confirm and issue (签发) at the hukou place: the card is made, valid from today',
        description: 'Any card the person still holds as valid is superseded in the same transaction: a person never holds two valid cards.',
        params: ById,
        body: KeyOnlyBody,
        response: { 200: ApplicationWithCardSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => confirmApplication(ctx(request), { applicationId: request.params.id, idempotencyKey: request.body?.idempotencyKey }),
  );

  app.post(
    '/id-card-applications/:id/reject',
    {
      onRequest: app.guard('idcard.decide'),
      schema: { tags, security, summary: 'Refuse an accepted application at the hukou place', params: ById, body: RejectBody, response: { 200: ApplicationSchema, ...errorResponses(401, 403, 404, 409) } },
    },
    async (request) => rejectApplication(ctx(request), { applicationId: request.params.id, reason: request.body.reason, idempotencyKey: request.body.idempotencyKey }),
  );

  app.post(
    '/id-card-applications/:id/deliver',
    {
      onRequest: app.guard('application.accept'),
      schema: {
        tags,
        security,
        summary: 'Deliver the card at (or from) the accepting authority',
        params: ById,
        body: KeyOnlyBody,
        response: { 200: ApplicationWithCardSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => deliverCard(ctx(request), { applicationId: request.params.id, idempotencyKey: request.body?.idempotencyKey }),
  );

  app.post(
    '/id-cards/loss-reports',
    {
      onRequest: app.guard('application.accept'),
      schema: {
        tags,
        security,
        summary: 'Report a card lost (挂失): it is invalid at once, nationally',
        body: LossReportBody,
        response: { 201: LossReportResultSchema, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await reportCardLost(ctx(request), withAuthority(request.body))),
  );

  app.post(
    '/id-cards/check',
    {
      onRequest: app.guard('idcard.check'),
      schema: {
        tags,
        security,
        summary: 'Card check for departments and banks: is this card valid today?',
        description: 'Given the ID number and the validity start printed on the card: `valid` yes/no and the `reference` of the logged check. Nothing else is disclosed.',
        body: CheckBody,
        response: { 200: CheckResultSchema, ...errorResponses(401, 403, 429) },
      },
    },
    async (request) => checkCard(ctx(request), request.body),
  );

  app.get(
    '/me/identity',
    {
      onRequest: app.guard('self.read'),
      config: { accessLog: { action: 'identity.read', subject: 'person', ref: () => 'own identity' } },
      schema: {
        tags: ['me'],
        security,
        summary: 'My identity: ID cards, applications, residence registrations, permit and endorsements',
        description: 'For citizens: the same view as GET /persons/{idNumber}/identity for your own record. Your own reads are not logged.',
        response: { 200: IdentitySchema, ...errorResponses(401, 403, 409, 429) },
      },
    },
    async (request) => {
      const { personId, identity } = await readIdentity(ctx(request), await ownIdNumber(ctx(request)), null);
      noteReturnedRecords(request, { personIds: [personId] });
      return identity;
    },
  );

  app.get(
    '/persons/:idNumber/identity',
    {
      onRequest: app.guard('identity.read'),
      // Personal data leaves: every read (and refusal) lands in the access log, in the person's trail.
      config: { accessLog: { action: 'identity.read', subject: 'person', ref: (request) => String((request.params as { idNumber?: string }).idNumber ?? '').toUpperCase() } },
      schema: {
        tags: ['id-cards', 'residence'],
        security,
        summary: 'One identity: ID card status and history, residence registrations, permit and endorsements',
        description:
          'Officers state a purpose (`X-Purpose`) and see persons whose hukou or current residence is in their area, or who are the subject of the ' +
          'application they name (`application:<id>`); a citizen reads their own. Anyone else is 404 PERSON_NOT_FOUND.',
        params: Type.Object({ idNumber: IdNumber }),
        querystring: PurposeQuery,
        headers: PurposeHeaders,
        response: { 200: IdentitySchema, ...errorResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const { personId, identity } = await readIdentity(ctx(request), request.params.idNumber, request.purpose);
      noteReturnedRecords(request, { personIds: [personId] });
      return identity;
    },
  );

  app.post(
    '/me/id-card/loss-report',
    {
      onRequest: app.guard('self.report-loss'),
      schema: {
        tags: ['me'],
        security,
        summary: 'Report my own ID card lost (挂失), online: it is invalid at once, nationally',
        description: 'Recorded as reported to your hukou-place authority. Then apply for a reissue (补领) at any counter. NO_VALID_CARD when you hold no valid card that was handed over.',
        body: KeyOnlyBody,
        response: { 201: LossReportResultSchema, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await reportOwnCardLost(ctx(request), { idempotencyKey: request.body?.idempotencyKey })),
  );
};
