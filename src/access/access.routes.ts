import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AccessRuntime } from './access.http.ts';
import { AccountSchema } from './access.schemas.ts';
import { accountsRoutes } from './accounts.routes.ts';
import { authRoutes } from './auth.routes.ts';

/** The access module's HTTP surface: `/auth/…` and `/accounts/…` (register inside `/api/v1`). */
export const accessRoutes: FastifyPluginAsyncTypebox<{ access: AccessRuntime }> = async (app, opts) => {
  app.addSchema(AccountSchema);
  await app.register(authRoutes, opts);
  await app.register(accountsRoutes, opts);
};
