import { loadConfig, type ConfigOverrides } from '../config.ts';
import { createLogger } from '../logger.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';

/** Opens the configured database for one CLI command and always closes it (and the embedded cluster). */
export async function withDatabase<T>(overrides: ConfigOverrides, fn: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const config = loadConfig(overrides);
  const handle = await openDatabase(config, createLogger(process.env.LOG_LEVEL ?? 'warn'));
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}
