import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { noteReturnedRecords } from '../audit/index.ts';
import { statedPurpose } from '../access/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import { checkSettlement, replayDecision } from './check.service.ts';
import { listFacts, recordFact } from './facts.service.ts';
import { decideReview, requestReview } from './review.service.ts';
import { applyToRound, approveRound, lodgeObjection, openRound, publishRound, roundList, scoreRound } from './round.service.ts';
import {
  ApplicationSchema,
  ApplyBody,
  ApprovalSchema,
  CheckBody,
  CheckQuery,
  CheckResultSchema,
  FactSchema,
  ListQuery,
  ListSchema,
  MyCheckQuery,
  ObjectionBody,
  ObjectionSchema,
  OpenRoundBody,
  RecordFactBody,
  ReplaySchema,
  ReviewDecisionBody,
  ReviewRequestBody,
  ReviewSchema,
  RoundSchema,
  ScoredSchema,
  SimulationBody,
  SimulationSchema,
  Uuid,
} from './settlement.schemas.ts';
import { simulatePolicy } from './simulation.service.ts';
import { IdNumber } from '../platform/http/schemas.ts';

export interface SettlementRouteOptions {
  db: Db;
  clock: Clock;
}

const tags = ['settlement'];
const security = [{ bearerAuth: [] }];
const ById = Type.Object({ id: Uuid });

/**
 * Settlement (落户): explained eligibility (officers with a purpose, access-logged; citizens for
 * themselves under /me), department facts, reviews of automated results (PIPL Art. 24), annual
 * rounds and policy simulations. Officers check whoever presents themselves at their counter (the
 * person's hukou is by definition elsewhere), so the check finds the person anywhere, like the
 * residence counter does; the read is logged with its purpose.
 */
export const settlementRoutes: FastifyPluginAsyncTypebox<SettlementRouteOptions> = async (app, { db, clock }) => {
  const ctx = (request: FastifyRequest): ServiceContext => ({ db, clock, actor: request.actor });
  const checkDescription =
    'Every scheme of the city in force on the date (default today): eligible / not_eligible / undetermined, each condition met or unmet with its article, ' +
    'the points item by item (caps, exclusive groups, deductions), the facts used with their provenance, and what is missing. A city without a policy, ' +
    'or a date before any, is answered in `noPolicy`, not as an error. Each answer is stored as a replayable decision (`decisionId`).';

  app.get(
    '/settlement/check',
    {
      onRequest: app.guard('settlement.check'),
      config: { accessLog: { action: 'settlement.check', subject: 'person', ref: (r) => String((r.query as { idNumber?: string }).idNumber ?? '').toUpperCase() } },
      schema: { tags, security, summary: 'Settlement eligibility, explained (officers, with X-Purpose)', description: checkDescription, querystring: CheckQuery, response: { 200: CheckResultSchema, ...errorResponses(401, 403, 404, 429) } },
    },
    async (request) => {
      const q = request.query;
      const r = await checkSettlement(ctx(request), { idNumber: q.idNumber, cityCode: q.city, on: q.on, scheme: q.scheme, purpose: statedPurpose(request)?.text ?? null });
      noteReturnedRecords(request, { personIds: [r.personId] });
      return r;
    },
  );

  app.post(
    '/settlement/check',
    {
      onRequest: app.guard('settlement.check'),
      config: { accessLog: { action: 'settlement.check', subject: 'person', ref: (r) => String((r.body as { idNumber?: string } | undefined)?.idNumber ?? '').toUpperCase() } },
      schema: { tags, security, summary: 'Settlement eligibility, explained (the same, with the number in the body)', description: checkDescription, body: CheckBody, response: { 200: CheckResultSchema, ...errorResponses(401, 403, 404, 429) } },
    },
    async (request) => {
      const b = request.body;
      const r = await checkSettlement(ctx(request), { idNumber: b.idNumber, cityCode: b.city, on: b.on, scheme: b.scheme, purpose: statedPurpose(request)?.text ?? null });
      noteReturnedRecords(request, { personIds: [r.personId] });
      return r;
    },
  );

  app.get(
    '/me/settlement/check',
    {
      onRequest: app.guard('self.read'),
      schema: { tags: ['me', ...tags], security, summary: 'My settlement eligibility in a city, explained', description: checkDescription, querystring: MyCheckQuery, response: { 200: CheckResultSchema, ...errorResponses(401, 403, 404, 429) } },
    },
    async (request) => {
      const personId = request.actor.personId;
      if (personId === undefined) throw new AppError('PERSON_NOT_FOUND', 'Your account is not linked to a person in the register.', { details: {} });
      return checkSettlement(ctx(request), { personId, cityCode: request.query.city, on: request.query.on, scheme: request.query.scheme });
    },
  );

  app.post(
    '/settlement/facts',
    {
      onRequest: app.guard('settlement.facts'),
      schema: { tags, security, summary: 'Record a department fact with its source, period, received date and evidence', body: RecordFactBody, response: { 201: FactSchema, ...errorResponses(401, 403, 404, 422) } },
    },
    async (request, reply) => reply.status(201).send(await recordFact(ctx(request), request.body)),
  );

  app.get(
    '/settlement/facts/:idNumber',
    {
      onRequest: app.guard('settlement.facts'),
      config: { accessLog: { action: 'settlement.facts.read', subject: 'person', ref: (r) => String((r.params as { idNumber?: string }).idNumber ?? '').toUpperCase() } },
      schema: { tags, security, summary: "A person's department facts, newest first", params: Type.Object({ idNumber: IdNumber }), response: { 200: Type.Array(FactSchema), ...errorResponses(401, 403, 404, 429) } },
    },
    async (request) => listFacts(ctx(request), request.params.idNumber),
  );

  app.get(
    '/settlement/decisions/:id/replay',
    {
      onRequest: app.guard('settlement.list'),
      schema: { tags, security, summary: 'Replay a stored decision: its facts through its policy version', params: ById, response: { 200: ReplaySchema, ...errorResponses(401, 403, 404) } },
    },
    async (request) => replayDecision(ctx(request), request.params.id),
  );

  app.post(
    '/settlement/decisions/:id/reviews',
    {
      onRequest: app.guard('settlement.list'),
      schema: { tags, security, summary: "Ask for an officer's review of an automated result (PIPL Art. 24)", params: ById, body: ReviewRequestBody, response: { 201: ReviewSchema, ...errorResponses(401, 403, 404, 409) } },
    },
    async (request, reply) => reply.status(201).send(await requestReview(ctx(request), { decisionId: request.params.id, reason: request.body.reason })),
  );

  app.post(
    '/settlement/reviews/:id/decision',
    {
      onRequest: app.guard('settlement.decide'),
      schema: { tags, security, summary: 'Decide a review: upheld or changed, with the reason', params: ById, body: ReviewDecisionBody, response: { 200: ReviewSchema, ...errorResponses(401, 403, 404, 409) } },
    },
    async (request) => decideReview(ctx(request), { reviewId: request.params.id, outcome: request.body.outcome, reason: request.body.reason }),
  );

  app.post(
    '/settlement/rounds',
    { onRequest: app.guard('settlement.decide'), schema: { tags, security, summary: 'Open an annual round of a points scheme', body: OpenRoundBody, response: { 201: RoundSchema, ...errorResponses(401, 403, 409) } } },
    async (request, reply) => reply.status(201).send(await openRound(ctx(request), request.body)),
  );

  app.post(
    '/settlement/rounds/:id/applications',
    {
      onRequest: app.guard('application.accept'),
      schema: {
        tags,
        security,
        summary: 'Apply in a round (facts gathered today and stored with the application)',
        description: 'Refused with nothing written: SETTLEMENT_ROUND_CLOSED outside the window, SETTLEMENT_ALREADY_APPLIED for a second application, SETTLEMENT_NOT_ELIGIBLE (details: unmet, missing).',
        params: ById,
        body: ApplyBody,
        response: { 201: ApplicationSchema, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await applyToRound(ctx(request), { roundId: request.params.id, ...request.body })),
  );

  for (const [path, summary, fn] of [
    ['score', 'Score and rank every application set-wise, cut at the quota', scoreRound],
    ['publish', 'Publish the list; the objection window opens', publishRound],
  ] as const) {
    app.post(
      `/settlement/rounds/:id/${path}`,
      { onRequest: app.guard('settlement.decide'), schema: { tags, security, summary, params: ById, response: { 200: path === 'score' ? ScoredSchema : RoundSchema, ...errorResponses(401, 403, 404, 409) } } },
      async (request) => fn(ctx(request), request.params.id),
    );
  }

  app.post(
    '/settlement/rounds/:id/approve',
    {
      onRequest: app.guard('settlement.decide'),
      schema: { tags, security, summary: 'Final approval after the objection window: starts each admitted settlement with the accompanying family', params: ById, response: { 200: ApprovalSchema, ...errorResponses(401, 403, 404, 409) } },
    },
    async (request) => approveRound(ctx(request), request.params.id),
  );

  app.get(
    '/settlement/rounds/:id/list',
    { onRequest: app.guard('settlement.list'), schema: { tags, security, summary: 'The published list: positions, masked names and ID numbers, scores', params: ById, querystring: ListQuery, response: { 200: ListSchema, ...errorResponses(401, 403, 404, 409) } } },
    async (request) => roundList(ctx(request), request.params.id, request.query),
  );

  app.post(
    '/settlement/rounds/:id/objections',
    { onRequest: app.guard('application.accept'), schema: { tags, security, summary: 'Lodge an objection while the list is on notice', params: ById, body: ObjectionBody, response: { 201: ObjectionSchema, ...errorResponses(401, 403, 404, 409) } } },
    async (request, reply) => reply.status(201).send(await lodgeObjection(ctx(request), { roundId: request.params.id, idNumber: request.body.idNumber, text: request.body.text })),
  );

  app.post(
    '/settlement/simulations',
    {
      onRequest: app.guard('stats.read'),
      schema: { tags, security, summary: 'What if: insurance months, quota or the next class — who would become eligible, by district and origin province (read-only)', body: SimulationBody, response: { 200: SimulationSchema, ...errorResponses(401, 403, 422) } },
    },
    async (request) => simulatePolicy(ctx(request), request.body),
  );
};
