import type { ColumnType } from 'kysely';

/**
 * The answers of keyed requests (db/migrations/0014_idempotent_requests.sql), shared by the modules
 * whose events carry no idempotency key of their own (ID cards, residence).
 */
export interface IdempotentRequestTable {
  actor_id: string;
  key: string;
  operation: string;
  /** The JSON answer given to the first request; written as a JSON string, read back parsed. */
  response: ColumnType<unknown, string, never>;
  /** SHA-256 of the canonical request (requestDigest); null for answers stored before 0015. */
  request_digest: ColumnType<string | null, string | undefined, never>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface IdempotencyTables {
  idempotent_request: IdempotentRequestTable;
}
