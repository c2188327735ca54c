import { loadConfig, type ConfigOverrides } from '../config.ts';
import { createLogger } from '../logger.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { migrationStatus } from '../db/migrator.ts';
import { AppError } from '../errors.ts';

/**
 * Opens the configured database for one CLI command and always closes it (and the embedded cluster).
 * Unless `requireMigrated` is false (the `db` commands themselves), a database with pending
 * migrations — a data directory that was never migrated — is refused with what to do, instead of
 * failing later on a missing table.
 */
export async function withDatabase<T>(overrides: ConfigOverrides, fn: (handle: DatabaseHandle) => Promise<T>, opts: { requireMigrated?: boolean } = {}): Promise<T> {
  const config = loadConfig(overrides);
  const handle = await openDatabase(config, createLogger(process.env.LOG_LEVEL ?? 'warn'));
  try {
    if (opts.requireMigrated ?? true) {
      const pending = (await migrationStatus(handle.db)).filter((m) => m.checksum === 'pending');
      if (pending.length > 0) {
        throw new AppError(
          'DATABASE_UNAVAILABLE',
          `The database is not migrated (${pending.length} migration${pending.length === 1 ? '' : 's'} pending). Run \`hukou db migrate\` first.`,
          { details: { pending: pending.map((m) => m.name) } },
        );
      }
    }
    return await fn(handle);
  } finally {
    await handle.close();
  }
}
