import type { ReferenceTables } from '../../reference/reference.tables.ts';
import type { RegistryTables } from '../../registry/registry.tables.ts';

/**
 * The Kysely view of the whole database: each domain module declares its own tables in
 * `<module>.tables.ts`; this file only joins them (type-only imports, no runtime coupling).
 */
export interface Database extends ReferenceTables, RegistryTables {}
