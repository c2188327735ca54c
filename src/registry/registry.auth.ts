import type { FastifyRequest } from 'fastify';
import { authenticateAdmin, type Actor } from '../access/index.ts';
import { AppError } from '../platform/errors.ts';

/**
 * Stopgap authentication of the register's routes (until they adopt accounts, issue #4): each
 * route declares `onRequest: auth.required` and reads its actor with `auth.actorOf(request)`.
 * Running on onRequest means an anonymous caller learns nothing, not even whether its body was valid.
 */
export function adminAuth(token: string) {
  const actors = new WeakMap<FastifyRequest, Actor>();
  return {
    async required(request: FastifyRequest): Promise<void> {
      actors.set(request, authenticateAdmin(request, token));
    },
    actorOf(request: FastifyRequest): Actor {
      const actor = actors.get(request);
      if (!actor) throw new AppError('UNAUTHENTICATED', 'A valid bearer token is required: send `Authorization: Bearer <HUKOU_ADMIN_TOKEN>`.');
      return actor;
    },
  };
}

export type AdminAuth = ReturnType<typeof adminAuth>;

/** OpenAPI: the register's routes take the bearer token. */
export const BEARER = [{ bearerAuth: [] }];
