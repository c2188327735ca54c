import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { householdRoutes } from './household.routes.ts';
import { personRoutes } from './person.routes.ts';
import { SHARED_SCHEMAS } from './registry.schemas.ts';
import { transferRoutes } from './transfer.routes.ts';
import { ensureTransferVisibilityRule } from './transfer.visibility.ts';

export interface RegistryRouteOptions {
  db: Db;
  clock: Clock;
}

/** The population register's API: households, persons, transfers. Every route answers to an account and its jurisdiction. */
export const registryRoutes: FastifyPluginAsyncTypebox<RegistryRouteOptions> = async (app, { db, clock }) => {
  ensureTransferVisibilityRule();
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  const options = { db, clock };
  await app.register(householdRoutes, options);
  await app.register(personRoutes, options);
  await app.register(transferRoutes, options);
};
