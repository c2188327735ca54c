import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import { getMyAccessTrail } from './trail.service.ts';

const WordsSchema = Type.Object({ en: Type.String(), zh: Type.String() });

const TrailItemSchema = Type.Object({
  kind: Type.Union([Type.Literal('access'), Type.Literal('card_check'), Type.Literal('registration_event'), Type.Literal('id_card_event'), Type.Literal('residence_event')]),
  reference: Type.String({ description: 'Quote it when asking about an entry: `access:<chain>:<seq>`, `card-check:<id>`, `event:<id>`, `card-event:<id>`, `residence-event:<id>`' }),
  at: Type.String({ format: 'date-time', description: 'China local time (Asia/Shanghai), e.g. 2026-12-02T18:03:12+08:00' }),
  date: Type.String({ format: 'date', description: 'Local date' }),
  time: Type.String({ description: 'Local time, HH:MM:SS' }),
  authority: Type.Union([Type.String(), Type.Null()], { description: 'The authority that acted, by name' }),
  role: Type.Union([WordsSchema, Type.Null()], { description: 'The role of whoever acted (counter officer 窗口民警 …)' }),
  byYou: Type.Boolean({ description: 'Your own read or step' }),
  action: Type.String({ description: 'person.read, household.read, idcard.check … or the event kind' }),
  actionWords: WordsSchema,
  purpose: Type.Union([Type.String(), Type.Null()]),
  fields: Type.Array(Type.Object({ field: Type.String(), en: Type.String(), zh: Type.String() }), { description: 'Which of your data was disclosed, in words' }),
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
        summary: 'Who looked at my data: reads, card checks and every event that handled my data, in words and local time',
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(TrailItemSchema) }), ...errorResponses(401, 403, 409) },
      },
    },
    async (request) => getMyAccessTrail({ db, clock, actor: request.actor }, { limit: request.query.limit }),
  );
};
