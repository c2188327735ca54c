import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { householdRoutes } from './household.routes.ts';
import { personRoutes } from './person.routes.ts';
import { adminAuth, type AdminAuth } from './registry.auth.ts';
import { SHARED_SCHEMAS } from './registry.schemas.ts';
import { transferRoutes } from './transfer.routes.ts';

export interface RegistryRouteOptions {
  db: Db;
  clock: Clock;
  auth: AdminAuth;
}

/** The population register's API: households, persons, transfers. Every route needs the bearer token. */
export const registryRoutes: FastifyPluginAsyncTypebox<{ db: Db; clock: Clock; adminToken: string }> = async (app, { db, clock, adminToken }) => {
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  const options = { db, clock, auth: adminAuth(adminToken) };
  await app.register(householdRoutes, options);
  await app.register(personRoutes, options);
  await app.register(transferRoutes, options);
};
