import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { defaultToApplicationPurpose, PurposeHeaders, SYSTEM_ACTOR } from '../access/index.ts';
import { noteReturnedRecords } from '../audit/index.ts';
import type { ServiceContext } from '../platform/context.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import { BEARER } from './registry.auth.ts';
import type { RegistryRouteOptions } from './route-options.ts';
import { ApplyTransferBody, DecisionBody, RejectionBody, Results, SettledSchema, StepResultSchema } from './registry.schemas.ts';
import * as transfers from './transfer.service.ts';

const tags = ['transfers'];
const ById = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * Every step answers with the transfer (the person, both households, the trail), done or not: like
 * GET /transfers/{id}, each answer is in the access log, for the transfer as purpose unless another is stated.
 */
const stepLog = (action: string) => ({ accessLog: { action, subject: 'person' as const, ref: (r: FastifyRequest) => `transfer:${(r.params as { id: string }).id}` } });

/** Interprovincial transfer handled at the destination (迁入地一站式办理): a saga of idempotent steps. */
export const transferRoutes: FastifyPluginAsyncTypebox<RegistryRouteOptions> = async (app, { db, clock }) => {
  const ctx = (request: FastifyRequest): ServiceContext => ({ db, clock, actor: request.actor });
  // The automatic steps after the destination's approval (origin move-out, destination move-in) run
  // as the system, online and without a visit (hukou-domain §7.4); their events say so.
  const system: ServiceContext = { db, clock, actor: SYSTEM_ACTOR };

  app.post(
    '/transfers',
    {
      onRequest: app.guard('register.change'),
      schema: {
        tags,
        security: BEARER,
        summary: 'Apply for an interprovincial transfer at the destination',
        description:
          'The person (current ID number, `expectedVersion` of the person) moves to a household in another province. Nothing moves until ' +
          'the destination approves. Same province → 409 TRANSFER_NOT_INTERPROVINCIAL; one open transfer per person. ' +
          'Applied for at the destination: the destination household must be in your area (else 404 HOUSEHOLD_NOT_FOUND); the person presents themselves, wherever their hukou is.',
        body: ApplyTransferBody,
        response: { 201: Type.Ref('Transfer'), ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await transfers.applyTransfer(ctx(request), request.body)),
  );

  app.get(
    '/transfers/:id',
    {
      onRequest: app.guard('application.read'),
      config: stepLog('transfer.read'),
      schema: {
        tags,
        security: BEARER,
        summary: 'A transfer with its trail at both ends',
        description:
          'State, next step, deadline, and every event written at the origin (transfer_out) and the destination (transfer_in). ' +
          'Both ends see it (origin or destination household in your area), and the person concerned; otherwise 404 TRANSFER_NOT_FOUND. Logged in the access log.',
        params: ById,
        headers: PurposeHeaders,
        response: { 200: Type.Ref('Transfer'), ...errorResponses(401, 403, 404, 429) },
      },
    },
    async (request) => {
      defaultToApplicationPurpose(request, request.params.id);
      const { transfer, personId } = await transfers.readTransfer(ctx(request), request.params.id);
      noteReturnedRecords(request, { personIds: [personId] });
      return transfer;
    },
  );

  app.post(
    '/transfers/:id/approve',
    {
      onRequest: app.guard('register.change'),
      config: stepLog('transfer.approve'),
      schema: {
        tags,
        security: BEARER,
        summary: 'Destination approves; the origin move-out and destination move-in then run',
        description:
          'Approval commits on its own; the automatic steps follow, each its own transaction, run by the system. If one fails, `stepError` says why ' +
          'and the transfer waits for a retry (POST …/advance) or compensation at its deadline. Repeating is harmless. The destination authority decides: ' +
          'a transfer you cannot see is 404 TRANSFER_NOT_FOUND, one whose destination is not in your area 403 FORBIDDEN.',
        params: ById,
        headers: PurposeHeaders,
        body: DecisionBody,
        response: { 200: SettledSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => {
      defaultToApplicationPurpose(request, request.params.id);
      const { personId } = await transfers.approveTransfer(ctx(request), { transferId: request.params.id, reason: request.body?.reason });
      noteReturnedRecords(request, { personIds: [personId] });
      return transfers.runPendingSteps(system, request.params.id);
    },
  );

  app.post(
    '/transfers/:id/reject',
    {
      onRequest: app.guard('register.change'),
      config: stepLog('transfer.reject'),
      schema: {
        tags,
        security: BEARER,
        summary: 'Destination rejects the application (nothing had moved)',
        params: ById,
        headers: PurposeHeaders,
        body: RejectionBody,
        response: { 200: StepResultSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => {
      defaultToApplicationPurpose(request, request.params.id);
      return stepResult(request, await transfers.rejectTransfer(ctx(request), { transferId: request.params.id, reason: request.body.reason }), 'reject');
    },
  );

  app.post(
    '/transfers/:id/origin-rejection',
    {
      onRequest: app.guard('register.change'),
      config: stepLog('transfer.origin_rejection'),
      schema: {
        tags,
        security: BEARER,
        summary: 'Origin refuses the move-out: the transfer ends compensated, the origin hukou untouched',
        description: 'The origin authority decides (origin household in your area); the destination gets 403 FORBIDDEN.',
        params: ById,
        headers: PurposeHeaders,
        body: RejectionBody,
        response: { 200: StepResultSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => {
      defaultToApplicationPurpose(request, request.params.id);
      return stepResult(request, await transfers.rejectAtOrigin(ctx(request), { transferId: request.params.id, reason: request.body.reason }), 'origin_rejection');
    },
  );

  app.post(
    '/transfers/:id/advance',
    {
      onRequest: app.guard('register.change'),
      config: stepLog('transfer.advance'),
      schema: {
        tags,
        security: BEARER,
        summary: 'Run the next pending step (retry after a failure)',
        description:
          'origin_move_out after approval, then destination_move_in; an overdue open transfer is compensated as expired. `performed` is null when nothing was due. ' +
          'The move-out is done by the origin authority, the move-in by the destination authority (403 FORBIDDEN at the other end); compensation by either.',
        params: ById,
        headers: PurposeHeaders,
        response: { 200: StepResultSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => {
      defaultToApplicationPurpose(request, request.params.id);
      const { transfer, performed, personId } = await transfers.advanceTransfer(ctx(request), request.params.id);
      noteReturnedRecords(request, { personIds: [personId] });
      return { transfer, performed };
    },
  );

  app.post(
    '/transfers/expire',
    {
      onRequest: app.guard('register.change'),
      schema: {
        tags,
        security: BEARER,
        summary: 'Compensate every open transfer past its deadline (what a periodic worker calls)',
        description: 'Only transfers with an end in your area; the server\'s own worker covers the nation.',
        response: { 200: Results.expired, ...errorResponses(401, 403) },
      },
    },
    async (request) => transfers.expireTransfers(ctx(request)),
  );
};

function stepResult(request: FastifyRequest, r: transfers.StepAnswer, step: string) {
  noteReturnedRecords(request, { personIds: [r.personId] });
  return { transfer: r.transfer, performed: r.performed ? step : null };
}
