import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp, type AppDeps } from '../src/app/build-app.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { seedDemoAccounts } from '../src/access/index.ts';
import type { Db } from '../src/platform/db/database.ts';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly tdb: TestDatabase;
}

/**
 * Registers beforeAll/afterAll hooks that give the file its own database and a built app on it
 * (use `app.inject()`); read the fields inside tests, after beforeAll has run.
 */
export function useTestApp(deps: Omit<AppDeps, 'db' | 'logger'> = {}): TestApp {
  const state: { app?: FastifyInstance; tdb?: TestDatabase } = {};
  beforeAll(async () => {
    state.tdb = await createTestDatabase();
    state.app = await buildApp({ ...deps, db: state.tdb.db, logger: false });
  });
  afterAll(async () => {
    await state.app?.close();
    await state.tdb?.close();
  });
  return {
    get app() {
      if (!state.app) throw new Error('useTestApp: the app exists only inside tests (after beforeAll)');
      return state.app;
    },
    get tdb() {
      if (!state.tdb) throw new Error('useTestApp: the database exists only inside tests (after beforeAll)');
      return state.tdb;
    },
  };
}

/**
 * Headers of the demo department client's API token (seeding the demo accounts into `db` if
 * needed): for tests of endpoints any authenticated caller may use, such as reference data.
 */
export async function apiClientHeaders(db: Db): Promise<Record<string, string>> {
  const client = (await seedDemoAccounts(db)).find((a) => a.role === 'department_client');
  if (!client?.apiToken) throw new Error('the demo department client has no API token');
  return { authorization: `Bearer ${client.apiToken}` };
}
