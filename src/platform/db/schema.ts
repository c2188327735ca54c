import type { IdempotencyTables } from './idempotency.tables.ts';

/**
 * The Kysely view of the whole database. Each domain module declares its own tables in
 * `<module>.tables.ts` and adds them here by augmenting this interface
 * (`declare module '…/platform/db/schema.ts' { interface Database extends XTables {} }`), so the
 * ground floor names no domain module. The platform's own: the answers of keyed requests.
 * `app/schema-drift.int.test.ts` compares the composed declaration with the migrated schema.
 */
export interface Database extends IdempotencyTables {}
