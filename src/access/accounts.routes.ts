import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { errorResponses, IdNumber } from '../platform/http/schemas.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { AccessRuntime } from './access.http.ts';
import { AccountIdParams, CreateAccountBody, CreatedAccountSchema, IssuedTokenSchema, NewTokenBody, TotpEnrolmentSchema } from './access.schemas.ts';
import * as accounts from './accounts.service.ts';
import { ACCOUNT_ROLES } from './roles.ts';

/** `/accounts/…`: administrators manage the accounts of authorities inside their own area. */
export const accountsRoutes: FastifyPluginAsyncTypebox<{ access: AccessRuntime }> = async (app, { access }) => {
  const ctx = (request: FastifyRequest): ServiceContext => ({ db: access.deps.db, clock: access.deps.clock, actor: request.actor });
  const manage = app.guard('account.manage');
  const errors = errorResponses(401, 403, 404);

  app.post(
    '/accounts',
    {
      onRequest: manage,
      schema: {
        tags: ['accounts'],
        summary: 'Create an account; returns its first password and TOTP secret once',
        description:
          'Officers, statisticians and administrators need `authorityId` inside your own area; citizens and department clients act through the national platform (`mps`). ' +
          'Citizens may be linked to their person record by `personIdNumber`.',
        body: CreateAccountBody,
        response: { 201: CreatedAccountSchema, ...errorResponses(401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await accounts.createAccount(ctx(request), request.body)),
  );

  app.get(
    '/accounts',
    {
      onRequest: manage,
      schema: {
        tags: ['accounts'],
        summary: 'List the accounts you manage',
        querystring: Type.Object(
          {
            role: Type.Optional(Type.Union(ACCOUNT_ROLES.map((r) => Type.Literal(r)))),
            authorityId: Type.Optional(Type.String({ maxLength: 40 })),
            status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('locked')])),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
            offset: Type.Integer({ minimum: 0, default: 0 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('Account')), total: Type.Integer() }), ...errors },
      },
    },
    async (request) => accounts.listAccounts(ctx(request), request.query),
  );

  app.get(
    '/accounts/:id',
    { onRequest: manage, schema: { tags: ['accounts'], summary: 'One account', params: AccountIdParams, response: { 200: Type.Ref('Account'), ...errors } } },
    async (request) => accounts.getAccount(ctx(request), request.params.id),
  );

  app.post(
    '/accounts/:id/lock',
    {
      onRequest: manage,
      schema: {
        tags: ['accounts'],
        summary: 'Lock an account (ends its sessions; its tokens stop working)',
        params: AccountIdParams,
        body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 300 }) }, { additionalProperties: false }),
        response: { 200: Type.Ref('Account'), ...errors },
      },
    },
    async (request) => accounts.lockAccount(ctx(request), request.params.id, request.body.reason),
  );

  app.post(
    '/accounts/:id/unlock',
    { onRequest: manage, schema: { tags: ['accounts'], summary: 'Unlock an account and forget its failed attempts', params: AccountIdParams, response: { 200: Type.Ref('Account'), ...errors } } },
    async (request) => accounts.unlockAccount(ctx(request), request.params.id),
  );

  app.post(
    '/accounts/:id/reset-password',
    {
      onRequest: manage,
      schema: {
        tags: ['accounts'],
        summary: 'Reset the password: a temporary one, shown once, to be changed at next login',
        params: AccountIdParams,
        body: Type.Object({ resetSecondFactor: Type.Boolean({ default: false, description: 'Also issue a new TOTP secret (lost phone)' }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ account: Type.Ref('Account'), temporaryPassword: Type.String(), totp: Type.Union([TotpEnrolmentSchema, Type.Null()]) }),
          ...errors,
        },
      },
    },
    async (request) => accounts.resetPassword(ctx(request), request.params.id, request.body),
  );

  app.post(
    '/accounts/:id/person',
    {
      onRequest: manage,
      schema: {
        tags: ['accounts'],
        summary: "Link a citizen account to the citizen's person record",
        params: AccountIdParams,
        body: Type.Object({ personIdNumber: IdNumber }, { additionalProperties: false }),
        response: { 200: Type.Ref('Account'), ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => accounts.linkCitizen(ctx(request), request.params.id, request.body.personIdNumber),
  );

  app.post(
    '/accounts/:id/tokens',
    {
      onRequest: manage,
      schema: {
        tags: ['accounts'],
        summary: 'Issue an API token to a department client; shown once',
        params: AccountIdParams,
        body: NewTokenBody,
        response: { 201: IssuedTokenSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await accounts.issueClientToken(ctx(request), request.params.id, {
          name: request.body.name,
          expiresInDays: request.body.expiresInDays === undefined ? 90 : request.body.expiresInDays,
        }),
      ),
  );
};
