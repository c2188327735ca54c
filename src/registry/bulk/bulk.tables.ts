import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type ImportFormat = 'ndjson' | 'csv';

export interface ImportJobTable {
  id: Generated<number>;
  file_sha256: string;
  file_name: string;
  format: ImportFormat;
  file_bytes: number;
  status: Generated<'running' | 'completed'>;
  committed_offset: Generated<number>;
  committed_rows: Generated<number>;
  imported_rows: Generated<number>;
  unchanged_rows: Generated<number>;
  rejected_rows: Generated<number>;
  batches: Generated<number>;
  actor_id: string;
  started_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  completed_at: Timestamp | null;
}

export interface ImportIssueTable {
  job_id: number;
  row_number: number;
  field: string;
  code: string;
  message: string;
}

export interface BulkTables {
  import_job: ImportJobTable;
  import_issue: ImportIssueTable;
}

declare module '../../platform/db/schema.ts' {
  interface Database extends BulkTables {}
}
