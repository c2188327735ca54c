import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | undefined, string>;
type Num = ColumnType<number, number | string, number | string>;

export interface SettlementFactTable {
  id: Generated<number>;
  person_id: number;
  kind: string;
  city_code: string | null;
  period_from: string;
  period_to: string | null;
  value: Json<Record<string, unknown>>;
  source: string;
  received_on: string;
  evidence: string;
  recorded_by: string;
  recorded_at: Timestamp;
  idempotency_key: string | null;
}

export interface SettlementDecisionTable {
  id: Generated<string>;
  person_id: number;
  city_code: string;
  scheme: string;
  policy_version: string;
  policy_sha256: string;
  as_of: string;
  outcome: string;
  facts: Json<Record<string, unknown>>;
  fact_ids: ColumnType<number[], number[] | undefined, number[]>;
  evaluation: Json<Record<string, unknown>>;
  requested_by: string;
  purpose: string | null;
  created_at: Timestamp;
}

export interface SettlementReviewTable {
  id: Generated<string>;
  decision_id: string;
  person_id: number;
  reason: string;
  requested_by: string;
  requested_at: Timestamp;
  state: Generated<'requested' | 'decided'>;
  officer_id: string | null;
  outcome: 'upheld' | 'changed' | null;
  officer_reason: string | null;
  decided_at: NullableTimestamp;
  version: Generated<number>;
}

export type RoundState = 'open' | 'scored' | 'published' | 'approved';

export interface SettlementRoundTable {
  id: Generated<string>;
  city_code: string;
  scheme: string;
  year: number;
  policy_version: string;
  quota: number;
  opens_on: string;
  closes_on: string;
  state: Generated<RoundState>;
  published_on: string | null;
  objections_until: string | null;
  collective_household_number: string;
  created_by: string;
  version: Generated<number>;
  created_at: Timestamp;
}

export interface RoundApplicationTable {
  id: Generated<string>;
  round_id: string;
  person_id: number;
  id_number: string;
  name: string;
  applied_on: string;
  decision_id: string;
  facts: Json<Record<string, unknown>>;
  destination_household_number: string | null;
  relationship: string | null;
  family: Json<{ idNumber: string; relationship: string }[]>;
  state: Generated<'applied' | 'admitted' | 'not_admitted' | 'settled'>;
  settled_at: NullableTimestamp;
  settlement: ColumnType<unknown, string | null | undefined, string | null>;
  idempotency_key: string | null;
  created_at: Timestamp;
}

export interface RoundResultTable {
  application_id: string;
  round_id: string;
  score: Num;
  total: Num;
  tie_keys: ColumnType<number[], string, string>;
  position: number;
  tie_rank: number;
  admitted: boolean;
}

export interface RoundObjectionTable {
  id: Generated<string>;
  round_id: string;
  application_id: string | null;
  person_id: number;
  text: string;
  lodged_on: string;
  lodged_by: string;
  created_at: Timestamp;
}

export interface RoundEventTable {
  id: Generated<number>;
  round_id: string;
  application_id: string | null;
  kind: string;
  occurred_on: string;
  recorded_at: Timestamp;
  actor_id: string;
  data: Json<Record<string, unknown>>;
}

export interface SettlementTables {
  settlement_fact: SettlementFactTable;
  settlement_decision: SettlementDecisionTable;
  settlement_review: SettlementReviewTable;
  settlement_round: SettlementRoundTable;
  round_application: RoundApplicationTable;
  round_result: RoundResultTable;
  round_objection: RoundObjectionTable;
  round_event: RoundEventTable;
}

declare module '../platform/db/schema.ts' {
  interface Database extends SettlementTables {}
}
