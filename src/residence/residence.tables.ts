import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;

export type PermitBasis = 'employment' | 'residence_lease' | 'residence_owned' | 'study';
export type PermitStatus = 'applied' | 'issued' | 'rejected' | 'cancelled';
export type ResidenceEventKind =
  | 'registered'
  | 'registration_ended'
  | 'permit_applied'
  | 'permit_issued'
  | 'permit_rejected'
  | 'permit_cancelled'
  | 'permit_endorsed';

export interface ResidenceRegistrationTable {
  id: Generated<string>;
  person_id: number;
  city_code: string;
  authority_id: string;
  address: string;
  registered_on: string;
  ended_on: string | null;
  end_reason: string | null;
  recorded_by: string;
  created_at: Timestamp;
}

export interface ResidencePermitTable {
  id: Generated<string>;
  person_id: number;
  registration_id: string;
  city_code: string;
  authority_id: string;
  issuing_authority_id: string;
  basis: PermitBasis;
  basis_evidence: string;
  applied_on: string;
  due_on: string;
  status: Generated<PermitStatus>;
  issued_on: string | null;
  decided_on: string | null;
  decision_reason: string | null;
  residence_counted_from: string;
  endorsement_anchor: string | null;
  endorsed_years: Generated<number>;
  endorsement_due_on: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ResidencePermitEndorsementTable {
  id: Generated<number>;
  permit_id: string;
  person_id: number;
  endorsed_on: string;
  anniversary: string;
  late: boolean;
  authority_id: string;
  actor_id: string;
  recorded_at: Timestamp;
}

export interface ResidenceEventTable {
  id: Generated<number>;
  person_id: number;
  registration_id: string | null;
  permit_id: string | null;
  kind: ResidenceEventKind;
  occurred_on: string;
  recorded_at: Timestamp;
  actor_id: string;
  authority_id: string;
  legal_basis: string;
  data: Json<Record<string, unknown>>;
}

export interface ResidenceTables {
  residence_registration: ResidenceRegistrationTable;
  residence_permit: ResidencePermitTable;
  residence_permit_endorsement: ResidencePermitEndorsementTable;
  residence_event: ResidenceEventTable;
}

declare module '../platform/db/schema.ts' {
  interface Database extends ResidenceTables {}
}
