import type { ColumnType } from 'kysely';

/** `bigint[]` columns: pg returns their elements as strings (only scalar INT8 is parsed to number). */
type BigintArray = ColumnType<(string | number)[], number[], number[]>;

export interface AccessLogTable {
  chain: string;
  seq: number;
  at: Date;
  actor_id: string;
  account_id: number | null;
  role: string;
  authority_id: string;
  purpose: string | null;
  action: string;
  subject_kind: 'person' | 'household' | 'search';
  subject_ref: string;
  person_ids: BigintArray;
  household_ids: BigintArray;
  fields: string[];
  outcome: string;
  request_id: string | null;
  prev_hash: Buffer;
  hash: Buffer;
}

export interface AccessLogHeadTable {
  chain: string;
  seq: number;
  hash: Buffer;
}

export interface AccessLogCheckpointTable {
  chain: string;
  seq: number;
  hash: Buffer;
  signed_at: Date;
  key_id: string;
  signature: Buffer;
}

export interface AuditTables {
  access_log: AccessLogTable;
  access_log_head: AccessLogHeadTable;
  access_log_checkpoint: AccessLogCheckpointTable;
}

declare module '../platform/db/schema.ts' {
  interface Database extends AuditTables {}
}
