import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { noteReturnedRecords } from '../audit/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import { workQueue } from './queue.service.ts';

const Kind = Type.Union([Type.Literal('id_card_application'), Type.Literal('transfer'), Type.Literal('residence_permit')]);
const DateString = Type.String({ format: 'date' });

const QueueSchema = Type.Object({
  authorityId: Type.String(),
  asOf: DateString,
  items: Type.Array(
    Type.Object({
      kind: Kind,
      id: Type.String({ format: 'uuid' }),
      step: Type.String({ description: 'confirm, deliver (ID cards); destination_decision, origin_move_out, destination_move_in (transfers); issue (permits)' }),
      person: Type.Object({ maskedIdNumber: Type.String({ examples: ['110105********002X'] }), maskedName: Type.String({ examples: ['张*明'] }) }),
      authorityId: Type.String({ description: 'The authority whose step it is' }),
      receivedOn: DateString,
      dueOn: DateString,
      overdue: Type.Boolean(),
      href: Type.String({ description: 'GET it here (the item is the purpose)' }),
    }),
  ),
});

/** GET /queue: the pending work of an authority, across modules. */
export const workQueueRoutes: FastifyPluginAsyncTypebox<{ db: Db; clock: Clock }> = async (app, { db, clock }) => {
  app.get(
    '/queue',
    {
      onRequest: app.guard('queue.read'),
      config: { accessLog: { action: 'queue.read', subject: 'search', ref: (r) => new URLSearchParams(r.query as Record<string, string>).toString() } },
      schema: {
        tags: ['queue'],
        security: [{ bearerAuth: [] }],
        summary: 'Work queue: every ID card application, transfer and residence permit waiting for a step by your authority',
        description:
          'Overdue first, then by due date and age. `authorityId` defaults to your own (another only inside your area, else 403). ' +
          '`kind` narrows it (repeat for several). Residence registrations never wait: they are done at the counter. ' +
          'Names and ID numbers are masked; open an item with its `href`. The listing is in the access log.',
        querystring: Type.Object(
          {
            kind: Type.Optional(Type.Array(Kind, { maxItems: 3 })),
            authorityId: Type.Optional(Type.String({ pattern: '^[a-z]+-[0-9]{6,9}$|^mps$', description: 'Default: your own authority' })),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: QueueSchema, ...errorResponses(401, 403, 429) },
      },
    },
    async (request) => {
      const { personIds, ...queue } = await workQueue({ db, clock, actor: request.actor }, { authorityId: request.query.authorityId, kinds: request.query.kind, limit: request.query.limit });
      noteReturnedRecords(request, { personIds });
      return queue;
    },
  );
};
