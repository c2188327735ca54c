import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { errorResponses } from '../platform/http/schemas.ts';
import { BEARER } from './registry.auth.ts';
import type { RegistryRouteOptions } from './registry.routes.ts';
import { ApplyTransferBody, DecisionBody, RejectionBody, Results, SettledSchema, StepResultSchema } from './registry.schemas.ts';
import * as transfers from './transfer.service.ts';

const tags = ['transfers'];
const ById = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Interprovincial transfer handled at the destination (迁入地一站式办理): a saga of idempotent steps. */
export const transferRoutes: FastifyPluginAsyncTypebox<RegistryRouteOptions> = async (app, { db, clock, auth }) => {
  const ctx = (request: Parameters<typeof auth.actorOf>[0]) => ({ db, clock, actor: auth.actorOf(request) });

  app.post(
    '/transfers',
    {
      onRequest: auth.required,
      schema: {
        tags,
        security: BEARER,
        summary: 'Apply for an interprovincial transfer at the destination',
        description:
          'The person (current ID number, `expectedVersion` of the person) moves to a household in another province. Nothing moves until ' +
          'the destination approves. Same province → 409 TRANSFER_NOT_INTERPROVINCIAL; one open transfer per person.',
        body: ApplyTransferBody,
        response: { 201: Type.Ref('Transfer'), ...errorResponses(401, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await transfers.applyTransfer(ctx(request), request.body)),
  );

  app.get(
    '/transfers/:id',
    {
      onRequest: auth.required,
      schema: {
        tags,
        security: BEARER,
        summary: 'A transfer with its trail at both ends',
        description: 'State, next step, deadline, and every event written at the origin (transfer_out) and the destination (transfer_in).',
        params: ById,
        response: { 200: Type.Ref('Transfer'), ...errorResponses(401, 404) },
      },
    },
    async (request) => transfers.getTransfer(ctx(request), request.params.id),
  );

  app.post(
    '/transfers/:id/approve',
    {
      onRequest: auth.required,
      schema: {
        tags,
        security: BEARER,
        summary: 'Destination approves; the origin move-out and destination move-in then run',
        description:
          'Approval commits on its own; the automatic steps follow, each its own transaction. If one fails, `stepError` says why ' +
          'and the transfer waits for a retry (POST …/advance) or compensation at its deadline. Repeating is harmless.',
        params: ById,
        body: DecisionBody,
        response: { 200: SettledSchema, ...errorResponses(401, 404, 409) },
      },
    },
    async (request) => {
      const c = ctx(request);
      await transfers.approveTransfer(c, { transferId: request.params.id, reason: request.body.reason });
      return transfers.runPendingSteps(c, request.params.id);
    },
  );

  app.post(
    '/transfers/:id/reject',
    {
      onRequest: auth.required,
      schema: {
        tags,
        security: BEARER,
        summary: 'Destination rejects the application (nothing had moved)',
        params: ById,
        body: RejectionBody,
        response: { 200: StepResultSchema, ...errorResponses(401, 404, 409) },
      },
    },
    async (request) => stepResult(await transfers.rejectTransfer(ctx(request), { transferId: request.params.id, reason: request.body.reason }), 'reject'),
  );

  app.post(
    '/transfers/:id/origin-rejection',
    {
      onRequest: auth.required,
      schema: {
        tags,
        security: BEARER,
        summary: 'Origin refuses the move-out: the transfer ends compensated, the origin hukou untouched',
        params: ById,
        body: RejectionBody,
        response: { 200: StepResultSchema, ...errorResponses(401, 404, 409) },
      },
    },
    async (request) => stepResult(await transfers.rejectAtOrigin(ctx(request), { transferId: request.params.id, reason: request.body.reason }), 'origin_rejection'),
  );

  app.post(
    '/transfers/:id/advance',
    {
      onRequest: auth.required,
      schema: {
        tags,
        security: BEARER,
        summary: 'Run the next pending step (retry after a failure)',
        description: 'origin_move_out after approval, then destination_move_in; an overdue open transfer is compensated as expired. `performed` is null when nothing was due.',
        params: ById,
        response: { 200: StepResultSchema, ...errorResponses(401, 404, 409) },
      },
    },
    async (request) => transfers.advanceTransfer(ctx(request), request.params.id),
  );

  app.post(
    '/transfers/expire',
    {
      onRequest: auth.required,
      schema: {
        tags,
        security: BEARER,
        summary: 'Compensate every open transfer past its deadline (what a periodic worker calls)',
        response: { 200: Results.expired, ...errorResponses(401) },
      },
    },
    async (request) => transfers.expireTransfers(ctx(request)),
  );
};

function stepResult(r: { transfer: transfers.TransferView; performed: boolean }, step: string) {
  return { transfer: r.transfer, performed: r.performed ? step : null };
}
