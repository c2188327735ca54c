import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { PageQuery } from './certificates.schemas.ts';
import { verifyCertificateOnline } from './certificates.service.ts';
import { verificationPage } from './verify-page.ts';

/** GET /verify?c=<QR text or number>: the public verification page (no login, server-rendered). */
export const verifyPageRoutes: FastifyPluginAsyncTypebox<{ db: Db; clock: Clock }> = async (app, { db, clock }) => {
  app.get(
    '/verify',
    { config: { access: { public: true } }, schema: { hide: true, querystring: PageQuery } },
    async (request, reply) => {
      const code = request.query.c?.trim() ?? '';
      const result = code ? await verifyCertificateOnline(db, code, clock) : null;
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
        .header('referrer-policy', 'no-referrer')
        .send(verificationPage(result, code));
    },
  );
};
