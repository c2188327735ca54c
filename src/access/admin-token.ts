import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';
import type { Actor } from './actor.ts';

/** The configured admin token, or a fresh random one (printed once at start) when unset. */
export function resolveAdminToken(env: NodeJS.ProcessEnv = process.env): { token: string; generated: boolean } {
  const given = env.HUKOU_ADMIN_TOKEN;
  if (given && given.length >= 16) return { token: given, generated: false };
  if (given) throw new Error('HUKOU_ADMIN_TOKEN must be at least 16 characters');
  return { token: randomBytes(24).toString('base64url'), generated: true };
}

/** Stopgap authentication (until issue #4): `Authorization: Bearer <HUKOU_ADMIN_TOKEN>`. */
export function authenticateAdmin(request: FastifyRequest, token: string): Actor {
  const header = request.headers.authorization ?? '';
  const presented = header.startsWith('Bearer ') ? header.slice(7) : '';
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new AppError('UNAUTHENTICATED', 'A valid bearer token is required: send `Authorization: Bearer <HUKOU_ADMIN_TOKEN>`.');
  }
  return { id: 'admin', role: 'administrator', authorityId: 'mps' };
}
