import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { errorResponses } from '../platform/http/schemas.ts';
import { AppError } from '../platform/errors.ts';
import { rateLimited, type AccessRuntime } from './access.http.ts';
import { findAccountSummary } from './access.queries.ts';
import { IssuedTokenSchema, LoginBody, MeSchema, NewTokenBody, SessionSchema, TokenSchema, WhoAmISchema } from './access.schemas.ts';
import { toAccountView, type AccountView } from './account-view.ts';
import * as auth from './auth.service.ts';
import { clearSessionCookies, setSessionCookies } from './cookies.ts';
import { requiresSecondFactor } from './roles.ts';
import { csrfTokenFor } from './secrets.ts';

const DEFAULT_TOKEN_DAYS = 90;

/** `/auth/…`: login, TOTP, logout, whoami, password change, the caller's own API tokens. */
export const authRoutes: FastifyPluginAsyncTypebox<{ access: AccessRuntime }> = async (app, { access }) => {
  const { deps } = access;

  async function accountView(accountId: number): Promise<AccountView> {
    const row = await findAccountSummary(deps.db, accountId, { kind: 'nation' });
    if (!row) throw new AppError('SESSION_EXPIRED', 'The account no longer exists. Log in again.');
    return toAccountView(row);
  }

  function sessionOf(request: FastifyRequest): { token: string; accountId: number } {
    const accountId = request.actor.accountId;
    if (!request.sessionToken || accountId === undefined) throw new AppError('FORBIDDEN', 'This needs a browser session (log in with POST /api/v1/auth/login), not a bearer token.');
    return { token: request.sessionToken, accountId };
  }

  function accountIdOf(request: FastifyRequest): number {
    const id = request.actor.accountId;
    if (id === undefined) throw new AppError('FORBIDDEN', 'This credential has no account; log in with an account for this.');
    return id;
  }

  app.post(
    '/auth/login',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['auth'],
        summary: 'Log in with username and password; sets the session cookies',
        description:
          'Officers, supervisors and administrators then owe a TOTP code (`state: second_factor_required`). ' +
          'Wrong credentials are INVALID_CREDENTIALS; after 5 consecutive failures each further one locks the account for twice as long (1 min … 24 h).',
        body: LoginBody,
        response: { 200: SessionSchema, ...errorResponses(401, 423, 429) },
      },
    },
    async (request, reply) => {
      const now = deps.clock.now().getTime();
      const waitIp = access.loginByIp.take(request.ip, now);
      if (waitIp > 0) throw rateLimited(reply, waitIp, 'login attempts from this address');
      const waitUser = access.loginByUsername.take(request.body.username.toLowerCase(), now);
      if (waitUser > 0) throw rateLimited(reply, waitUser, 'login attempts for this username');
      const session = await auth.logIn(deps, { ...request.body, ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
      setSessionCookies(reply, session.sessionToken, session.csrfToken, session.expiresAt, deps.clock.now());
      return { state: session.state, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString(), account: await accountView(session.accountId) };
    },
  );

  app.post(
    '/auth/totp',
    {
      config: { access: { allowPendingSecondFactor: true, allowPasswordChange: true } },
      schema: {
        tags: ['auth'],
        summary: 'Complete a login with the 6-digit TOTP code (RFC 6238)',
        body: Type.Object({ code: Type.String({ pattern: '^\\s*[0-9]{6}\\s*$' }) }, { additionalProperties: false }),
        response: { 200: SessionSchema, ...errorResponses(401, 403, 423) },
      },
    },
    async (request, reply) => {
      const { token, accountId } = sessionOf(request);
      const session = await auth.verifySecondFactor(deps, { sessionToken: token, accountId, code: request.body.code, ip: request.ip });
      setSessionCookies(reply, session.sessionToken, session.csrfToken, session.expiresAt, deps.clock.now());
      return { state: session.state, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString(), account: await accountView(accountId) };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: { allowPendingSecondFactor: true, allowPasswordChange: true } },
      schema: { tags: ['auth'], summary: 'End the session and clear its cookies', response: { 204: Type.Null(), ...errorResponses(401, 403) } },
    },
    async (request, reply) => {
      if (request.sessionToken && request.actor.accountId !== undefined) {
        await auth.logOut(deps, { sessionToken: request.sessionToken, accountId: request.actor.accountId, ip: request.ip });
      }
      clearSessionCookies(reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/whoami',
    {
      config: { access: { allowPendingSecondFactor: true, allowPasswordChange: true } },
      schema: { tags: ['auth'], summary: 'The caller: account, role, authority, and what the session still owes', response: { 200: WhoAmISchema, ...errorResponses(401) } },
    },
    async (request) => {
      const p = request.principal!;
      const actor = request.actor;
      return {
        actorId: actor.id,
        role: actor.role,
        authorityId: actor.authorityId,
        via: p.via,
        secondFactor: p.secondFactorPending ? ('pending' as const) : p.via === 'session' && requiresSecondFactor(actor.role) ? ('verified' as const) : ('not_required' as const),
        mustChangePassword: p.mustChangePassword,
        csrfToken: request.sessionToken ? csrfTokenFor(request.sessionToken) : null,
        sessionExpiresAt: p.sessionExpiresAt?.toISOString() ?? null,
        account: actor.accountId === undefined ? null : await accountView(actor.accountId),
      };
    },
  );

  app.get(
    '/me',
    {
      schema: {
        tags: ['me'],
        summary: 'Me: my account, role and authority (name and id), and for citizens where to read their own data',
        response: { 200: MeSchema, ...errorResponses(401) },
      },
    },
    async (request) => {
      const actor = request.actor;
      const account = actor.accountId === undefined ? null : await accountView(actor.accountId);
      const citizen = actor.role === 'citizen';
      return {
        role: actor.role,
        authority: { id: actor.authorityId, name: account?.authorityName ?? actor.authorityId },
        account,
        personLinked: citizen ? actor.personId !== undefined : null,
        links: (citizen
          ? { person: '/api/v1/me/person', identity: '/api/v1/me/identity', household: '/api/v1/me/household', accessLog: '/api/v1/me/access-log' }
          : { queue: '/api/v1/queue', search: '/api/v1/persons' }) as Record<string, string>,
      };
    },
  );

  app.post(
    '/auth/password',
    {
      config: { access: { allowPasswordChange: true } },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (required after an administrator reset); ends your other sessions',
        body: Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 200 }), newPassword: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 422) },
      },
    },
    async (request, reply) => {
      await auth.changePassword(deps, { accountId: accountIdOf(request), ...request.body, keepSessionToken: request.sessionToken, ip: request.ip });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/tokens',
    { schema: { tags: ['auth'], summary: 'Your API tokens (never the tokens themselves)', response: { 200: Type.Object({ items: Type.Array(TokenSchema) }), ...errorResponses(401, 403) } } },
    async (request) => ({ items: await auth.listOwnApiTokens(deps, accountIdOf(request)) }),
  );

  app.post(
    '/auth/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an API token acting as you (bearer `hk_…`); shown once',
        description: 'Citizens use the portal and get no tokens. Officers create tokens only from a session that passed TOTP.',
        body: NewTokenBody,
        response: { 201: IssuedTokenSchema, ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const actor = request.actor;
      if (actor.role === 'citizen') throw new AppError('FORBIDDEN', 'Citizens use the online portal; API tokens are for officers, statisticians and departments.');
      const issued = await auth.issueApiToken(deps, {
        accountId: accountIdOf(request),
        name: request.body.name,
        expiresInDays: request.body.expiresInDays === undefined ? DEFAULT_TOKEN_DAYS : request.body.expiresInDays,
        issuedBy: actor.id,
      });
      return reply.status(201).send(issued);
    },
  );

  app.delete(
    '/auth/tokens/:id',
    {
      schema: { tags: ['auth'], summary: 'Revoke one of your API tokens', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 204: Type.Null(), ...errorResponses(401, 403, 404) } },
    },
    async (request, reply) => {
      await auth.revokeOwnApiToken(deps, { accountId: accountIdOf(request), tokenId: request.params.id, actorId: request.actor.id });
      return reply.status(204).send(null);
    },
  );
};
