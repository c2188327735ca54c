import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { defaultToApplicationPurpose, PurposeHeaders } from '../access/index.ts';
import { noteReturnedRecords } from '../audit/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { errorResponses, KeyOnlyBody } from '../platform/http/schemas.ts';
import { endorsePermit } from './endorsement.service.ts';
import { readPermit, readRegistration } from './lookup.service.ts';
import { applyForPermit, closePermit, issuePermit } from './permit.service.ts';
import { endResidenceRegistration, registerResidence } from './registration.service.ts';
import {
  ApplyForPermitBody,
  ClosePermitBody,
  EndorseBody,
  EndorseResultSchema,
  EndRegistrationBody,
  PermitSchema,
  RegisterResidenceBody,
  RegistrationSchema,
  Uuid,
} from './residence.schemas.ts';

export interface ResidenceRouteOptions {
  db: Db;
  clock: Clock;
}

const tags = ['residence'];
const security = [{ bearerAuth: [] }];
const ById = Type.Object({ id: Uuid });

/**
 * Residence registration, residence permits and endorsements (居住证暂行条例). Every route answers
 * to an officer's account: registrations and applications are accepted at the officer's own counter
 * for whoever presents themselves (`application.accept`); permits are issued, refused and cancelled
 * by registration officers (`residence.decide`) where they were accepted. Registers the `residence`
 * person-visibility rule: a person whose open residence registration is in an officer's area is
 * visible to that officer.
 */
export const residenceRoutes: FastifyPluginAsyncTypebox<ResidenceRouteOptions> = async (app, { db, clock }) => {
  const ctx = (request: FastifyRequest): ServiceContext => ({ db, clock, actor: request.actor });

  app.post(
    '/residence-registrations',
    {
      onRequest: app.guard('application.accept'),
      schema: {
        tags,
        security,
        summary: 'Register residence (居住登记) on arrival in a city other than the hukou city',
        description: 'Dated today. An open registration in another city ends (and any permit there is cancelled) in the same transaction.',
        body: RegisterResidenceBody,
        response: { 201: RegistrationSchema, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await registerResidence(ctx(request), request.body)),
  );

  app.get(
    '/residence-registrations/:id',
    {
      onRequest: app.guard('application.read'),
      config: { accessLog: { action: 'residence.registration.read', subject: 'person', ref: (r) => `residence-registration:${(r.params as { id: string }).id}` } },
      schema: {
        tags,
        security,
        summary: 'One residence registration',
        description:
          'Seen by the residence-place authority that registered it (and those above it) and by the person concerned; otherwise 404. ' +
          'The registration is the purpose unless `X-Purpose` states another. Logged in the access log.',
        params: ById,
        headers: PurposeHeaders,
        response: { 200: RegistrationSchema, ...errorResponses(401, 403, 404, 429) },
      },
    },
    async (request) => {
      defaultToApplicationPurpose(request, request.params.id);
      const { registration, personId } = await readRegistration(ctx(request), request.params.id);
      noteReturnedRecords(request, { personIds: [personId] });
      return registration;
    },
  );

  app.get(
    '/residence-permits/:id',
    {
      onRequest: app.guard('application.read'),
      config: { accessLog: { action: 'residence.permit.read', subject: 'person', ref: (r) => `residence-permit:${(r.params as { id: string }).id}` } },
      schema: {
        tags,
        security,
        summary: 'One residence permit or permit application, with its endorsement state today',
        description:
          'Seen by the authority that accepted it, the issuing bureau (and those above them) and the person concerned; otherwise 404. ' +
          'The permit is the purpose unless `X-Purpose` states another. Logged in the access log.',
        params: ById,
        headers: PurposeHeaders,
        response: { 200: PermitSchema, ...errorResponses(401, 403, 404, 429) },
      },
    },
    async (request) => {
      defaultToApplicationPurpose(request, request.params.id);
      const { permit, personId } = await readPermit(ctx(request), request.params.id);
      noteReturnedRecords(request, { personIds: [personId] });
      return permit;
    },
  );

  app.post(
    '/residence-registrations/:id/end',
    {
      onRequest: app.guard('application.accept'),
      schema: {
        tags,
        security,
        summary: 'End a residence registration (the person left the city); its permit is cancelled',
        params: ById,
        body: EndRegistrationBody,
        response: { 200: RegistrationSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => endResidenceRegistration(ctx(request), { registrationId: request.params.id, reason: request.body.reason, idempotencyKey: request.body.idempotencyKey }),
  );

  app.post(
    '/residence-permits',
    {
      onRequest: app.guard('application.accept'),
      schema: {
        tags,
        security,
        summary: 'Apply for a residence permit (居住证): ≥ 6 months of residence plus one basis (Art. 2)',
        description:
          'Refused with RESIDENCE_TOO_SHORT before 6 months of registered residence (details.eligibleFrom), PERMIT_BASIS_REQUIRED without a basis and its evidence, ' +
          'NO_RESIDENCE_REGISTRATION without an open registration in the authority\'s city. `dueOn` is the issue deadline (15 days, 30 in remote areas).',
        body: ApplyForPermitBody,
        response: { 201: PermitSchema, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await applyForPermit(ctx(request), request.body)),
  );

  app.post(
    '/residence-permits/:id/issue',
    {
      onRequest: app.guard('residence.decide'),
      schema: {
        tags,
        security,
        summary: 'Issue a residence permit (county-level public security); endorsements count from today',
        params: ById,
        body: KeyOnlyBody,
        response: { 200: PermitSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => issuePermit(ctx(request), { permitId: request.params.id, idempotencyKey: request.body?.idempotencyKey }),
  );

  app.post(
    '/residence-permits/:id/reject',
    {
      onRequest: app.guard('residence.decide'),
      schema: { tags, security, summary: 'Refuse a pending permit application', params: ById, body: ClosePermitBody, response: { 200: PermitSchema, ...errorResponses(401, 403, 404, 409) } },
    },
    async (request) => closePermit(ctx(request), { permitId: request.params.id, reason: request.body.reason, as: 'rejected', idempotencyKey: request.body.idempotencyKey }),
  );

  app.post(
    '/residence-permits/:id/cancel',
    {
      onRequest: app.guard('residence.decide'),
      schema: { tags, security, summary: 'Cancel an issued residence permit', params: ById, body: ClosePermitBody, response: { 200: PermitSchema, ...errorResponses(401, 403, 404, 409) } },
    },
    async (request) => closePermit(ctx(request), { permitId: request.params.id, reason: request.body.reason, as: 'cancelled', idempotencyKey: request.body.idempotencyKey }),
  );

  app.post(
    '/residence-permits/:id/endorsements',
    {
      onRequest: app.guard('application.accept'),
      schema: {
        tags,
        security,
        summary: 'Annual endorsement (签注, Art. 10)',
        description:
          'On time in the month before each anniversary of issue. After the anniversary the permit is suspended; a late endorsement restores it and the residence years ' +
          'count again from today. Refused: ENDORSEMENT_NOT_DUE before the window, PERMIT_CANCELLED for a cancelled or rejected permit, PERMIT_NOT_ISSUED.',
        params: ById,
        body: EndorseBody,
        response: { 201: EndorseResultSchema, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await endorsePermit(ctx(request), { permitId: request.params.id, authorityId: request.body?.authorityId, idempotencyKey: request.body?.idempotencyKey })),
  );
};
