import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { PurposeHeaders, PurposeQuery } from '../access/index.ts';
import { noteReturnedRecords } from '../audit/index.ts';
import type { ServiceContext } from '../platform/context.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import { correctParticulars, registerDeath } from './person.service.ts';
import { ownIdNumber, readPerson, readPersonByHandle, searchPersonsReturning } from './read.service.ts';
import { BEARER } from './registry.auth.ts';
import type { RegistryRouteOptions } from './route-options.ts';
import { CorrectParticularsBody, IdNumber, PersonViewSchema, RegisterDeathBody, Results, SearchQuery, SearchResultsSchema } from './registry.schemas.ts';

const tags = ['register'];
const ByIdNumber = Type.Object({ idNumber: IdNumber });

/** Persons: the full record by ID number, masked search, death, corrections. */
export const personRoutes: FastifyPluginAsyncTypebox<RegistryRouteOptions> = async (app, { db, clock }) => {
  const ctx = (request: FastifyRequest): ServiceContext => ({ db, clock, actor: request.actor });

  app.get(
    '/persons',
    {
      onRequest: app.guard('person.search'),
      config: { accessLog: { action: 'person.search', subject: 'search', ref: (r) => new URLSearchParams(r.query as Record<string, string>).toString() } },
      schema: {
        tags,
        security: BEARER,
        summary: 'Search persons by name (Chinese or pinyin), birth-date range and division',
        description:
          'Results are masked (`110105********002X`, `张*明`) and paginated by `cursor`; the full record is read by ID number only. ' +
          'Officers state a purpose (`X-Purpose`) like for every other personal-data read. At least one criterion is required. `division` is a province, prefecture or county code matched against the current household. ' +
          'Only persons in your jurisdiction are found (hukou or current residence in your area). Officers only; every search is in the access log.',
        querystring: SearchQuery,
        headers: PurposeHeaders,
        response: { 200: SearchResultsSchema, ...errorResponses(401, 403, 422, 429) },
      },
    },
    async (request) => {
      const { value, returned } = await searchPersonsReturning(ctx(request), request.query);
      noteReturnedRecords(request, returned);
      return value;
    },
  );

  app.get(
    '/me/person',
    {
      onRequest: app.guard('self.read'),
      config: { accessLog: { action: 'person.read', subject: 'person', ref: () => 'own record' } },
      schema: {
        tags: ['me'],
        security: BEARER,
        summary: 'My record: the same view as GET /persons/{idNumber}, without knowing the number',
        description: 'For citizens. The household pages are withheld (`householdWithheld`; read them with GET /me/household). Your own reads are not logged.',
        response: { 200: PersonViewSchema, ...errorResponses(401, 403, 409, 429) },
      },
    },
    async (request) => {
      const { value, returned } = await readPerson(ctx(request), await ownIdNumber(ctx(request)));
      noteReturnedRecords(request, returned);
      return value;
    },
  );

  app.get(
    '/persons/by-handle/:handle',
    {
      onRequest: app.guard('person.read'),
      config: { accessLog: { action: 'person.read', subject: 'person', ref: () => 'search handle' } },
      schema: {
        tags,
        security: BEARER,
        summary: 'Open a search hit: the full record behind its opaque handle',
        description:
          'The same record and rules as GET /persons/{idNumber} (a purpose, your jurisdiction), for the officer who searched and for 15 minutes after the search; ' +
          'otherwise 404 PERSON_NOT_FOUND (search again). Every read and refusal is in the access log.',
        params: Type.Object({ handle: Type.String({ minLength: 20, maxLength: 400, pattern: '^[A-Za-z0-9_-]+$' }) }),
        querystring: PurposeQuery,
        headers: PurposeHeaders,
        response: { 200: PersonViewSchema, ...errorResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const { value, returned } = await readPersonByHandle(ctx(request), request.params.handle, request.purpose);
      noteReturnedRecords(request, returned);
      return value;
    },
  );

  app.get(
    '/persons/:idNumber',
    {
      onRequest: app.guard('person.read'),
      config: { accessLog: { action: 'person.read', subject: 'person', ref: (r) => (r.params as { idNumber: string }).idNumber.toUpperCase() } },
      schema: {
        tags,
        security: BEARER,
        summary: 'A person by current or former ID number: record, household, ID history, timeline',
        description:
          'The full record, the current household (户口簿 view) with the person\'s relationship to the head, every ID number held, transfers, and the registration events newest first. ' +
          'Officers state a purpose (`X-Purpose: application:<id>` or `case:<reference>`) and see persons whose hukou or current residence is in their area, or who ' +
          'are the subject of the application they name; the household is shown only when it is in their area (`householdWithheld`). A citizen reads their own record. ' +
          'Anyone else is 404 PERSON_NOT_FOUND. Every read and refusal is in the access log.',
        params: ByIdNumber,
        querystring: PurposeQuery,
        headers: PurposeHeaders,
        response: { 200: PersonViewSchema, ...errorResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const { value, returned } = await readPerson(ctx(request), request.params.idNumber, request.purpose);
      noteReturnedRecords(request, returned);
      return value;
    },
  );

  app.post(
    '/persons/:idNumber/death',
    {
      onRequest: app.guard('register.change'),
      schema: {
        tags,
        security: BEARER,
        summary: 'Register a death (死亡登记)',
        description:
          'Status becomes deceased with the death date, the membership closes, the record stays. If the person was head, `householdNeedsNewHead` ' +
          'is true: change the head with POST /households/{number}/head.',
        params: ByIdNumber,
        body: RegisterDeathBody,
        response: { 200: Results.death, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => registerDeath(ctx(request), { ...request.body, idNumber: request.params.idNumber }),
  );

  app.post(
    '/persons/:idNumber/corrections',
    {
      onRequest: app.guard('register.change'),
      schema: {
        tags,
        security: BEARER,
        summary: 'Correct registered particulars (变更更正)',
        description:
          'A new name keeps the old one among former names. A corrected birth date or sex issues a new ID number (same address code) ' +
          'and keeps the old one in the history; `previousIdNumber` is then set.',
        params: ByIdNumber,
        body: CorrectParticularsBody,
        response: { 200: Results.correction, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => correctParticulars(ctx(request), { ...request.body, idNumber: request.params.idNumber }),
  );
};
