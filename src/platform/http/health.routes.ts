import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import type { Registry } from 'prom-client';
import type { Db } from '../db/database.ts';
import { migrationStatus } from '../db/migrator.ts';

const Check = Type.Object({ name: Type.String(), ok: Type.Boolean(), detail: Type.Optional(Type.String()) });
const Health = Type.Object({ status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]), checks: Type.Optional(Type.Array(Check)) });

/** Liveness, readiness and Prometheus metrics: unauthenticated, no personal data. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ db: Db; metrics: Registry }> = async (app, { db, metrics }) => {
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'Liveness: the process is up', response: { 200: Health } } }, async () => ({
    status: 'ok' as const,
  }));

  app.get(
    '/readyz',
    { schema: { tags: ['operations'], summary: 'Readiness: database reachable and migrations current', response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      const checks: { name: string; ok: boolean; detail?: string }[] = [];
      try {
        await sql`select 1`.execute(db);
        checks.push({ name: 'database', ok: true });
        const states = await migrationStatus(db);
        const behind = states.filter((s) => s.checksum !== 'ok').map((s) => `${s.name}:${s.checksum}`);
        checks.push(behind.length ? { name: 'migrations', ok: false, detail: behind.join(', ') } : { name: 'migrations', ok: true });
      } catch (e) {
        checks.push({ name: 'database', ok: false, detail: (e as Error).message });
      }
      const ok = checks.every((c) => c.ok);
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
    },
  );

  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics', produces: ['text/plain'], response: { 200: Type.String() } } }, async (_request, reply) => {
    reply.header('content-type', metrics.contentType);
    return metrics.metrics();
  });
};
