import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { errorResponses } from '../platform/http/schemas.ts';
import { correctParticulars, registerDeath } from './person.service.ts';
import { getPerson, searchPersons } from './read.service.ts';
import { BEARER } from './registry.auth.ts';
import type { RegistryRouteOptions } from './registry.routes.ts';
import { CorrectParticularsBody, IdNumber, PersonViewSchema, RegisterDeathBody, Results, SearchQuery, SearchResultsSchema } from './registry.schemas.ts';

const tags = ['register'];
const ByIdNumber = Type.Object({ idNumber: IdNumber });

/** Persons: the full record by ID number, masked search, death, corrections. */
export const personRoutes: FastifyPluginAsyncTypebox<RegistryRouteOptions> = async (app, { db, clock, auth }) => {
  const ctx = (request: Parameters<typeof auth.actorOf>[0]) => ({ db, clock, actor: auth.actorOf(request) });

  app.get(
    '/persons',
    {
      onRequest: auth.required,
      schema: {
        tags,
        security: BEARER,
        summary: 'Search persons by name (Chinese or pinyin), birth-date range and division',
        description:
          'Results are masked (`110105********002X`, `张*明`) and paginated by `cursor`; the full record is read by ID number only. ' +
          'At least one criterion is required. `division` is a province, prefecture or county code matched against the current household.',
        querystring: SearchQuery,
        response: { 200: SearchResultsSchema, ...errorResponses(401, 422) },
      },
    },
    async (request) => searchPersons(ctx(request), request.query),
  );

  app.get(
    '/persons/:idNumber',
    {
      onRequest: auth.required,
      schema: {
        tags,
        security: BEARER,
        summary: 'A person by current or former ID number: record, household, ID history, timeline',
        description: 'The full record, the current household (户口簿 view) with the person\'s relationship to the head, every ID number held, transfers, and the registration events newest first.',
        params: ByIdNumber,
        response: { 200: PersonViewSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => getPerson(ctx(request), request.params.idNumber),
  );

  app.post(
    '/persons/:idNumber/death',
    {
      onRequest: auth.required,
      schema: {
        tags,
        security: BEARER,
        summary: 'Register a death (死亡登记)',
        description:
          'Status becomes deceased with the death date, the membership closes, the record stays. If the person was head, `householdNeedsNewHead` ' +
          'is true: change the head with POST /households/{number}/head.',
        params: ByIdNumber,
        body: RegisterDeathBody,
        response: { 200: Results.death, ...errorResponses(401, 404, 409, 422) },
      },
    },
    async (request) => registerDeath(ctx(request), { ...request.body, idNumber: request.params.idNumber }),
  );

  app.post(
    '/persons/:idNumber/corrections',
    {
      onRequest: auth.required,
      schema: {
        tags,
        security: BEARER,
        summary: 'Correct registered particulars (变更更正)',
        description:
          'A new name keeps the old one among former names. A corrected birth date or sex issues a new ID number (same address code) ' +
          'and keeps the old one in the history; `previousIdNumber` is then set.',
        params: ByIdNumber,
        body: CorrectParticularsBody,
        response: { 200: Results.correction, ...errorResponses(401, 404, 409, 422) },
      },
    },
    async (request) => correctParticulars(ctx(request), { ...request.body, idNumber: request.params.idNumber }),
  );
};
