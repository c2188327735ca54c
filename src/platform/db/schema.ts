import type { AccessTables } from '../../access/access.tables.ts';
import type { AuditTables } from '../../audit/audit.tables.ts';
import type { ReferenceTables } from '../../reference/reference.tables.ts';
import type { RegistryTables } from '../../registry/registry.tables.ts';
import type { BulkTables } from '../../registry/bulk/bulk.tables.ts';
import type { IdCardTables } from '../../idcards/idcards.tables.ts';
import type { ResidenceTables } from '../../residence/residence.tables.ts';
import type { NotificationTables } from '../../notifications/notifications.tables.ts';
import type { IdempotencyTables } from './idempotency.tables.ts';
import type { SettlementTables } from '../../settlement/settlement.tables.ts';

/**
 * The Kysely view of the whole database: each domain module declares its own tables in
 * `<module>.tables.ts`; this file only joins them (type-only imports, no runtime coupling). The
 * platform's own: the answers of keyed requests (`idempotency.tables.ts`).
 */
export interface Database extends ReferenceTables, RegistryTables, BulkTables, AccessTables, AuditTables, IdCardTables, ResidenceTables, NotificationTables, IdempotencyTables, SettlementTables {}
