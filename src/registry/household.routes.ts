import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { PurposeHeaders, PurposeQuery } from '../access/index.ts';
import { noteReturnedRecords } from '../audit/index.ts';
import type { ServiceContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import { registerBirth } from './birth.service.ts';
import { changeHead } from './head.service.ts';
import { closeHousehold, createHousehold } from './household.service.ts';
import { addMember, removeMember } from './members.service.ts';
import { moveMember } from './move.service.ts';
import { readHousehold, readOwnHousehold } from './read.service.ts';
import { BEARER } from './registry.auth.ts';
import type { RegistryRouteOptions } from './route-options.ts';
import {
  AddMemberBody,
  ChangeHeadBody,
  CloseHouseholdBody,
  CreateHouseholdBody,
  HouseholdNumber,
  IdNumber,
  MoveMemberBody,
  RegisterBirthBody,
  RemoveMemberBody,
  Results,
  SplitHouseholdBody,
} from './registry.schemas.ts';
import { splitHousehold } from './split.service.ts';

const tags = ['register'];
const ByNumber = Type.Object({ number: HouseholdNumber });
const MemberParams = Type.Object({ number: HouseholdNumber, idNumber: IdNumber });

/** Households (户): create, the 户口簿 view, births, members, head, split. */
export const householdRoutes: FastifyPluginAsyncTypebox<RegistryRouteOptions> = async (app, { db, clock }) => {
  const ctx = (request: FastifyRequest): ServiceContext => ({ db, clock, actor: request.actor });

  app.post(
    '/households',
    {
      onRequest: app.guard('register.change'),
      schema: {
        tags,
        security: BEARER,
        summary: 'Create a household (立户)',
        description:
          'Opens a household at a township address with a new household number (township code + 6-digit sequence). ' +
          'The registration authority defaults to the township police station. The household starts with no members: ' +
          'the first member of a family household is its head (relationship 02).',
        body: CreateHouseholdBody,
        response: { 201: Results.household, ...errorResponses(401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await createHousehold(ctx(request), request.body)),
  );

  app.post(
    '/households/:number/closure',
    {
      onRequest: app.guard('register.change'),
      schema: {
        tags,
        security: BEARER,
        summary: 'Close an empty household (销户)',
        description:
          'The household must have no members and no open transfer into it (else 409 HOUSEHOLD_NOT_EMPTY: move them out first); it is closed for good and ' +
          'takes no members again (HOUSEHOLD_CLOSED). The `household_closed` event is written in the same transaction. Closing a closed household answers 200 and writes nothing.',
        params: ByNumber,
        body: CloseHouseholdBody,
        response: { 200: Results.household, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => closeHousehold(ctx(request), { ...request.body, householdNumber: request.params.number }),
  );

  app.get(
    '/households/:number',
    {
      onRequest: app.guard('household.read'),
      config: { accessLog: { action: 'household.read', subject: 'household', ref: (r) => (r.params as { number: string }).number } },
      schema: {
        tags,
        security: BEARER,
        summary: 'The household register booklet (户口簿) view',
        description:
          'The household page (kind, number, address, authority, head) and a page per current member with their relationship to the head, head first. ' +
          'Officers only, with a purpose (`X-Purpose`); a household outside your area is 404 HOUSEHOLD_NOT_FOUND. Every read and refusal is in the access log.',
        params: ByNumber,
        querystring: PurposeQuery,
        headers: PurposeHeaders,
        response: { 200: Type.Ref('HouseholdBooklet'), ...errorResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const { value, returned } = await readHousehold(ctx(request), request.params.number);
      noteReturnedRecords(request, returned);
      return value;
    },
  );

  app.get(
    '/me/household',
    {
      onRequest: app.guard('self.read'),
      config: { accessLog: { action: 'household.read', subject: 'household', ref: () => 'own household' } },
      schema: {
        tags,
        security: BEARER,
        summary: 'My household register booklet (户口簿)',
        description:
          'For citizens: the household you are registered in now, with every member\'s page, as on the paper booklet issued to the household ' +
          '(户口登记条例 Art. 4). Reading the other members\' pages is in the access log, so they can see it in their own trail (`GET /api/v1/me/access-log`). ' +
          '404 HOUSEHOLD_NOT_FOUND without a current household.',
        response: { 200: Type.Ref('HouseholdBooklet'), ...errorResponses(401, 403, 404, 429) },
      },
    },
    async (request) => {
      const { value, returned } = await readOwnHousehold(ctx(request));
      noteReturnedRecords(request, returned);
      return value;
    },
  );

  app.post(
    '/households/:number/births',
    {
      onRequest: app.guard('register.change'),
      schema: {
        tags,
        security: BEARER,
        summary: 'Register a birth (出生登记)',
        description:
          'Allocates the ID number (address code of the household county, birth date, sequence odd for male / even for female, check digit), ' +
          'creates the person and makes them a member. Due within one month of birth (户口登记条例 Art. 7); later registrations are accepted and flagged. ' +
          '409 ID_SEQUENCE_EXHAUSTED when no sequence code is left for that day, county and sex.',
        params: ByNumber,
        body: RegisterBirthBody,
        response: { 201: Results.birth, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await registerBirth(ctx(request), { ...request.body, householdNumber: request.params.number })),
  );

  app.post(
    '/households/:number/members',
    {
      onRequest: app.guard('register.change'),
      schema: {
        tags,
        security: BEARER,
        summary: 'Add a member: restore a cancelled hukou or register a person not yet in the register',
        description:
          'With `idNumber`: a person whose hukou was cancelled (returned from abroad or from military service) is registered again here. ' +
          'With `person`: someone not in the register is registered with the given (valid) ID number. ' +
          'A person who already has a current hukou is refused with 409 SECOND_HUKOU: move them instead.',
        params: ByNumber,
        body: AddMemberBody,
        response: { 201: Results.addMember, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await addMember(ctx(request), { ...request.body, householdNumber: request.params.number })),
  );

  app.post(
    '/households/:number/members/:idNumber/move',
    {
      onRequest: app.guard('register.change'),
      schema: {
        tags,
        security: BEARER,
        summary: 'Move a member to another household in the same province',
        description:
          'Move-out and move-in in one transaction. `expectedVersion` is the person\'s. Another province → 409 INTERPROVINCIAL_MOVE ' +
          '(apply for a transfer at the destination). If the person was head, `fromNeedsNewHead` says the household they left needs one.',
        params: MemberParams,
        body: MoveMemberBody,
        response: { 200: Results.move, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const { toHouseholdNumber, destinationHouseholdNumber, ...body } = request.body;
      const destination = destinationHouseholdNumber ?? toHouseholdNumber;
      if (destination === undefined) {
        throw new AppError('VALIDATION_FAILED', 'Name the household to move to in `destinationHouseholdNumber`.', {
          details: [{ field: 'body.destinationHouseholdNumber', code: 'REQUIRED', message: "must have required property 'destinationHouseholdNumber'" }],
        });
      }
      return moveMember(ctx(request), { ...body, destinationHouseholdNumber: destination, fromHouseholdNumber: request.params.number, idNumber: request.params.idNumber });
    },
  );

  app.post(
    '/households/:number/members/:idNumber/removal',
    {
      onRequest: app.guard('register.change'),
      schema: {
        tags,
        security: BEARER,
        summary: 'Cancel a member\'s hukou without a destination (settled abroad, enlisted, other)',
        description: 'The person stays in the register with status emigrated or cancelled; `expectedVersion` is the person\'s.',
        params: MemberParams,
        body: RemoveMemberBody,
        response: { 200: Results.removeMember, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => removeMember(ctx(request), { ...request.body, householdNumber: request.params.number, idNumber: request.params.idNumber }),
  );

  app.post(
    '/households/:number/head',
    {
      onRequest: app.guard('register.change'),
      schema: {
        tags,
        security: BEARER,
        summary: 'Change the head of household (户主变更)',
        description: 'The new head must be a member; the former head, if still a member, needs a new relationship in `relationships`, and others may be updated in the same operation.',
        params: ByNumber,
        body: ChangeHeadBody,
        response: { 200: Results.changeHead, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => changeHead(ctx(request), { ...request.body, householdNumber: request.params.number }),
  );

  app.post(
    '/households/:number/split',
    {
      onRequest: app.guard('register.change'),
      schema: {
        tags,
        security: BEARER,
        summary: 'Split a household (分户)',
        description: 'The listed members form a new household at an address in the same province, with one of them as head. At least one member stays behind.',
        params: ByNumber,
        body: SplitHouseholdBody,
        response: { 201: Results.split, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await splitHousehold(ctx(request), { ...request.body, householdNumber: request.params.number })),
  );
};
