import type { Db } from '../platform/db/database.ts';
import { migrateToLatest } from '../platform/db/migrator.ts';
import type { Logger } from '../platform/logger.ts';
import { loadReferenceData } from '../reference/index.ts';

/** Schema migrations, then the versioned reference datasets they describe (idempotent). */
export async function migrateDatabase(db: Db, logger?: Logger): Promise<string[]> {
  const applied = await migrateToLatest(db);
  const loaded = await loadReferenceData(db);
  if (loaded.length) logger?.info({ loaded }, 'reference data loaded');
  return applied;
}
