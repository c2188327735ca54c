import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from '../platform/logger.ts';
import type { Db } from '../platform/db/database.ts';
import { systemClock, type Clock } from '../platform/clock.ts';
import { ErrorBody } from '../platform/http/schemas.ts';
import { installErrorHandling } from '../platform/http/error-handler.ts';
import { installMetrics } from '../platform/http/metrics.ts';
import { healthRoutes } from '../platform/http/health.routes.ts';
import { loadDivisionIndex, referenceRoutes } from '../reference/index.ts';
import { idNumberRoutes } from '../idnumber/idnumber.routes.ts';

export interface AppDeps {
  db: Db;
  /** A pino logger, or false for silence (tests). */
  logger: Logger | false;
  clock?: Clock;
  defaultMetrics?: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the HTTP application without listening (tests call `inject()`; `server.ts` listens). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const clock = deps.clock ?? systemClock;
  const app = Fastify({
    ...(deps.logger === false ? { logger: false } : { loggerInstance: deps.logger as FastifyBaseLogger }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    bodyLimit: 1_048_576,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addSchema(ErrorBody);
  installErrorHandling(app);
  const metrics = installMetrics(app, { defaultMetrics: deps.defaultMetrics ?? false });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'hukou API',
        version: '1',
        description:
          'National household-registration and population management. Errors share one body: ' +
          '`{"error":{"code","message","details","requestId"}}`; codes are listed in docs/errors.md.',
      },
      tags: [
        { name: 'operations', description: 'Health, readiness, metrics' },
        { name: 'id-numbers', description: 'Resident ID numbers (GB 11643-1999)' },
        { name: 'reference', description: 'Administrative divisions (GB/T 2260) and code tables' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const divisions = loadDivisionIndex();
  await app.register(healthRoutes, { db: deps.db, metrics });
  await app.register(
    async (api) => {
      await api.register(idNumberRoutes, { divisions, clock });
      await api.register(referenceRoutes, { db: deps.db, clock });
    },
    { prefix: '/api/v1' },
  );
  return app;
}
