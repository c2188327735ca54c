import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';
import type { Actor } from './actor.ts';

/**
 * The stopgap root credential (`HUKOU_ADMIN_TOKEN`), kept while the registry's routes move to
 * accounts (issue #4 phase 2). It acts as the local operator: the whole nation, like the CLI.
 */
export const STOPGAP_ADMIN_ACTOR: Readonly<Actor> = { id: 'admin', role: 'operator', authorityId: 'mps' };

/** The configured admin token, or a fresh random one (printed once at start) when unset. */
export function resolveAdminToken(env: NodeJS.ProcessEnv = process.env): { token: string; generated: boolean } {
  const given = env.HUKOU_ADMIN_TOKEN;
  if (given && given.length >= 16) return { token: given, generated: false };
  if (given) throw new Error('HUKOU_ADMIN_TOKEN must be at least 16 characters');
  return { token: randomBytes(24).toString('base64url'), generated: true };
}

/** Stopgap authentication (until the registry adopts `app.guard`): `Authorization: Bearer <HUKOU_ADMIN_TOKEN>`. */
export function authenticateAdmin(request: FastifyRequest, token: string): Actor {
  const header = request.headers.authorization ?? '';
  const presented = header.startsWith('Bearer ') ? header.slice(7) : '';
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new AppError('UNAUTHENTICATED', 'A valid bearer token is required: send `Authorization: Bearer <HUKOU_ADMIN_TOKEN>`.');
  }
  return { ...STOPGAP_ADMIN_ACTOR };
}
