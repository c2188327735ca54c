import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError, isAppError } from '../platform/errors.ts';
import type { Actor } from './actor.ts';
import { loadAccessSettings, type AccessSettings } from './access.config.ts';
import { authenticateApiToken, authenticateSession, type AuthDeps, type Principal } from './auth.service.ts';
import { CSRF_HEADER, SESSION_COOKIE, clearSessionCookies, readCookie } from './cookies.ts';
import { assertCan, needsPurpose, OPERATIONS, type Operation } from './operations.ts';
import { requirePurpose, statedPurpose, type Purpose } from './purpose.ts';
import { TokenBuckets } from './rate-limit.ts';
import { csrfTokenFor, safeEqual } from './secrets.ts';

/** Per-route access settings: `config: { access: { … } }` in a route's options. */
export interface RouteAccess {
  /** Anyone may call it (health, docs, login, reference data). */
  public?: boolean;
  /** Reachable while the session still owes its TOTP code (verify, whoami, logout). */
  allowPendingSecondFactor?: boolean;
  /** Reachable while an administrator-set password awaits change (change password, whoami, logout). */
  allowPasswordChange?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The authenticated caller; reading it on a route without credentials throws UNAUTHENTICATED. */
    readonly actor: Actor;
    /** How the caller authenticated, or null (public route called anonymously). */
    principal: Principal | null;
    /** The purpose stated for this request (`X-Purpose`), once a guard has read it. */
    purpose: Purpose | null;
    /** The raw session token when the caller authenticated by cookie (for logout, TOTP, password change). */
    sessionToken: string | null;
  }
  interface FastifyInstance {
    /** onRequest/preHandler hook: the request must carry valid credentials (any role). */
    authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    /**
     * onRequest/preHandler hook for one operation: authenticated, role allowed (else FORBIDDEN),
     * personal-data rate limit, and the purpose when officers must state one (else PURPOSE_REQUIRED).
     */
    guard(op: Operation): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

/**
 * Routes anyone may call without credentials. Everything else refuses anonymous calls
 * (deny by default): a new route is protected unless it is listed here or says `access.public`.
 */
const PUBLIC_EXACT = new Set(['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs', '/verify']);
// Issue #4: every endpoint except health, metrics, docs and public certificate verification (issue
// #14: `/verify` and `/api/v1/public/…`, which answer with the minimum facts of a certificate whose
// number or QR the caller already holds) refuses anonymous calls — the reference endpoints and the
// ID-number check too: any account or API token may call them, nobody anonymously.
const PUBLIC_PREFIXES = ['/docs/', '/guides/', '/api/v1/public/']; // API reference, the written guides (docs/*.md), certificate verification

export function isPublicRoute(url: string): boolean {
  return PUBLIC_EXACT.has(url) || PUBLIC_PREFIXES.some((p) => url.startsWith(p));
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AccessOptions {
  db: Db;
  clock: Clock;
  settings?: Partial<AccessSettings>;
}

/** A route as registered, and whether it is open to anonymous callers. */
export interface RouteInfo {
  method: string;
  url: string;
  public: boolean;
}

const routeTables = new WeakMap<FastifyInstance, RouteInfo[]>();

/** Every route registered after `installAccess` (the whole API when called first), with its public flag. */
export function registeredRoutes(app: FastifyInstance): RouteInfo[] {
  return [...(routeTables.get(app) ?? [])];
}

/** What the auth routes share with the hooks: dependencies and the rate-limit buckets. */
export interface AccessRuntime {
  deps: AuthDeps;
  settings: AccessSettings;
  loginByIp: TokenBuckets;
  loginByUsername: TokenBuckets;
  personalReads: TokenBuckets;
}

function unauthenticated(message: string): AppError {
  return new AppError('UNAUTHENTICATED', message);
}

export function rateLimited(reply: FastifyReply, waitSeconds: number, what: string): AppError {
  reply.header('retry-after', String(waitSeconds));
  return new AppError('RATE_LIMITED', `Too many ${what}; retry in ${waitSeconds} s.`, { details: { retryAfterSeconds: waitSeconds } });
}

async function resolvePrincipal(request: FastifyRequest, reply: FastifyReply, deps: AuthDeps): Promise<Principal | null> {
  const auth = request.headers.authorization;
  if (auth !== undefined) {
    const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    const principal = token ? await authenticateApiToken(deps, token) : null;
    if (!principal) throw unauthenticated('The bearer token is not valid. Send `Authorization: Bearer hk_…` with a token from POST /api/v1/auth/tokens.');
    return principal;
  }
  const sessionToken = readCookie(request, SESSION_COOKIE);
  if (sessionToken === null) return null;
  try {
    const principal = await authenticateSession(deps, sessionToken);
    if (!principal) throw new AppError('SESSION_EXPIRED', 'The session is unknown (ended or never existed). Log in again.', { details: { reason: 'unknown session' } });
    request.sessionToken = sessionToken;
    return principal;
  } catch (e) {
    if (isAppError(e) && (e.code === 'SESSION_EXPIRED' || e.code === 'ACCOUNT_LOCKED')) clearSessionCookies(reply);
    throw e;
  }
}

/**
 * Installs authentication on the root app (before any route is registered): every non-public route
 * resolves the caller from a bearer token or the session cookie, checks CSRF on state-changing
 * cookie requests, and refuses sessions that still owe a second factor or a password change.
 */
export function installAccess(app: FastifyInstance, opts: AccessOptions): AccessRuntime {
  const settings = { ...loadAccessSettings(), ...opts.settings };
  const deps: AuthDeps = { db: opts.db, clock: opts.clock };
  const runtime: AccessRuntime = {
    deps,
    settings,
    loginByIp: new TokenBuckets(settings.loginPerIp),
    loginByUsername: new TokenBuckets(settings.loginPerUsername),
    personalReads: new TokenBuckets(settings.personalReads),
  };

  const routes: RouteInfo[] = [];
  routeTables.set(app, routes);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const open = Boolean((route.config as { access?: RouteAccess } | undefined)?.access?.public) || isPublicRoute(route.url);
    for (const method of methods) routes.push({ method, url: route.url, public: open });
  });

  app.decorateRequest('principal', null);
  app.decorateRequest('purpose', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('actor', {
    getter(this: FastifyRequest): Actor {
      if (!this.principal) throw unauthenticated('This operation needs credentials: log in (POST /api/v1/auth/login) or send `Authorization: Bearer <token>`.');
      return this.principal.actor;
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    const url = request.routeOptions.url;
    if (url === undefined) return; // no such route: the not-found handler answers
    const access = request.routeOptions.config.access;
    if (access?.public || isPublicRoute(url)) return;
    const principal = await resolvePrincipal(request, reply, deps);
    if (!principal) throw unauthenticated('This endpoint needs credentials: log in (POST /api/v1/auth/login) or send `Authorization: Bearer <token>` (`npx hukou account token <username>` issues one; `npm start` prints the demo API client\'s).');
    if (principal.via === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !request.sessionToken || !safeEqual(sent, csrfTokenFor(request.sessionToken))) {
        throw new AppError('CSRF_FAILED', 'Send the `X-CSRF-Token` header with the csrfToken from login or GET /api/v1/auth/whoami (also in the `__Host-hukou_csrf` cookie).');
      }
    }
    if (principal.secondFactorPending && !access?.allowPendingSecondFactor) {
      throw new AppError('SECOND_FACTOR_REQUIRED', 'Enter your TOTP code first: POST /api/v1/auth/totp with {"code":"123456"}.');
    }
    if (principal.mustChangePassword && !access?.allowPasswordChange) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED', 'Change the password an administrator set before anything else: POST /api/v1/auth/password.');
    }
    request.principal = principal;
  });

  app.decorate('authenticate', async (request: FastifyRequest) => {
    void request.actor;
  });

  app.decorate('guard', (op: Operation) => async (request: FastifyRequest, reply: FastifyReply) => {
    const actor = request.actor;
    assertCan(actor, op);
    // The local operator (CLI) and system jobs are trusted processes, not people: no limit.
    if (OPERATIONS[op].personalData && actor.role !== 'operator' && actor.role !== 'system') {
      const wait = runtime.personalReads.take(actor.id, opts.clock.now().getTime());
      if (wait > 0) throw rateLimited(reply, wait, 'personal-data reads from this account');
    }
    request.purpose = needsPurpose(actor, op) ? requirePurpose(request) : statedPurpose(request);
  });

  return runtime;
}

/** The authenticated caller of a request (throws UNAUTHENTICATED on an anonymous one). */
export function actorOf(request: FastifyRequest): Actor {
  return request.actor;
}

/** The caller, or null when the route is public and nobody logged in. */
export function actorOrNull(request: FastifyRequest): Actor | null {
  return request.principal?.actor ?? null;
}
