import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { chinaDate, type Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import { CodeTableInfoSchema, CodeTableSchema, DivisionCodeParam, DivisionDetailSchema, DivisionSchema } from './reference.schemas.ts';
import * as service from './reference.service.ts';

export const referenceRoutes: FastifyPluginAsyncTypebox<{ db: Db; clock: Clock }> = async (app, { db, clock }) => {
  app.addSchema(DivisionSchema);

  app.get(
    '/divisions',
    {
      schema: {
        tags: ['reference'],
        summary: 'List administrative divisions: provinces, or the children of `parent`',
        querystring: Type.Object(
          {
            parent: Type.Optional(DivisionCodeParam),
            at: Type.Optional(Type.String({ format: 'date', description: 'Divisions in force on this date (default today)' })),
            includeAbolished: Type.Optional(Type.Boolean({ default: false, description: 'Every division since 1980, abolished ones included' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('Division')) }), ...errorResponses(404) },
      },
    },
    async (request) => ({
      items: await service.listDivisions(db, { ...request.query, at: request.query.at ?? chinaDate(clock.now()) }),
    }),
  );

  app.get(
    '/divisions/:code',
    {
      schema: {
        tags: ['reference'],
        summary: 'One division with its parent and the names it has carried',
        params: Type.Object({ code: DivisionCodeParam }),
        response: { 200: DivisionDetailSchema, ...errorResponses(404) },
      },
    },
    async (request) => service.getDivision(db, request.params.code),
  );

  app.get(
    '/divisions/:code/townships',
    {
      schema: {
        tags: ['reference'],
        summary: 'Townships (NBS 2023 statistical codes) of a county-level division',
        params: Type.Object({ code: DivisionCodeParam }),
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })) }), ...errorResponses(404) },
      },
    },
    async (request) => ({ items: await service.listDivisionTownships(db, request.params.code) }),
  );

  app.get(
    '/codes',
    {
      schema: { tags: ['reference'], summary: 'The national code tables available', response: { 200: Type.Object({ items: Type.Array(CodeTableInfoSchema) }), ...errorResponses() } },
    },
    async () => ({ items: await service.listCodeTables(db) }),
  );

  app.get(
    '/codes/:table',
    {
      schema: {
        tags: ['reference'],
        summary: 'One code table (sex, ethnicity, relationship) with its source',
        params: Type.Object({ table: Type.String({ pattern: '^[a-z_]{1,40}$' }) }),
        response: { 200: CodeTableSchema, ...errorResponses(404) },
      },
    },
    async (request) => service.getCodeTable(db, request.params.table),
  );
};
