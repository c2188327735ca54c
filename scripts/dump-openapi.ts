/**
 * Prints the API's OpenAPI document without a database: builds the app in-process (no listen, no
 * connection — the pool connects lazily and nothing here queries) and dumps `app.swagger()`.
 * `npm run web:types` feeds it to openapi-typescript to write web/src/api/schema.d.ts.
 */
import { createDb } from '../src/platform/db/database.ts';
import { buildApp } from '../src/app/build-app.ts';

export async function openApiDocument(): Promise<unknown> {
  const { db } = createDb('postgres://openapi-dump@127.0.0.1:1/none', 1);
  const app = await buildApp({ db, logger: false });
  await app.ready();
  const doc = app.swagger();
  await app.close();
  await db.destroy();
  return doc;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await openApiDocument(), null, 2)}\n`);
}
