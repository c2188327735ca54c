import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RegistryRouteOptions } from './route-options.ts';
import { householdRoutes } from './household.routes.ts';
import { personRoutes } from './person.routes.ts';
import { SHARED_SCHEMAS } from './registry.schemas.ts';
import { transferRoutes } from './transfer.routes.ts';

export type { RegistryRouteOptions } from './route-options.ts';

/** The population register's API: households, persons, transfers. Every route answers to an account and its jurisdiction. */
export const registryRoutes: FastifyPluginAsyncTypebox<RegistryRouteOptions> = async (app, { db, clock }) => {
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  const options = { db, clock };
  await app.register(householdRoutes, options);
  await app.register(personRoutes, options);
  await app.register(transferRoutes, options);
};
