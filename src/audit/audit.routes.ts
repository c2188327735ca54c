import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import { getMyAccessTrail } from './trail.service.ts';

const TrailItemSchema = Type.Object({
  kind: Type.Union([Type.Literal('access'), Type.Literal('card_check'), Type.Literal('registration_event')]),
  reference: Type.String({ description: '`access:<chain>:<seq>`, `card-check:<id>` or `event:<id>`' }),
  at: Type.String({ format: 'date-time' }),
  actorId: Type.String(),
  role: Type.Union([Type.String(), Type.Null()]),
  authorityId: Type.String(),
  authorityName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String({ description: 'person.read, household.read, person.search, idcard.check … or the registration event kind' }),
  purpose: Type.Union([Type.String(), Type.Null()]),
  fields: Type.Array(Type.String(), { description: 'Which fields were returned' }),
  outcome: Type.String({ description: '`returned`, a refusal code, or `recorded`' }),
  legalBasis: Type.Union([Type.String(), Type.Null()]),
});

/** `/me/access-log`: the citizen's own trail. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ db: Db; clock: Clock }> = async (app, { db, clock }) => {
  app.get(
    '/me/access-log',
    {
      onRequest: app.guard('self.read'),
      schema: {
        tags: ['me'],
        summary: 'Who looked at my data: access-log entries, card checks and registration events of my record',
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ personId: Type.Integer(), items: Type.Array(TrailItemSchema) }), ...errorResponses(401, 403, 409) },
      },
    },
    async (request) => getMyAccessTrail({ db, clock, actor: request.actor }, { limit: request.query.limit }),
  );
};
