import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type PersonStatus = 'active' | 'deceased' | 'cancelled' | 'emigrated';
export type HouseholdKind = 'family' | 'collective' | 'public_collective';

export interface PersonTable {
  id: Generated<number>;
  id_number: string;
  name: string;
  name_pinyin: Generated<string>;
  former_names: Generated<string[]>;
  sex: string;
  birth_date: string;
  ethnicity: string;
  birthplace_code: string | null;
  native_place_code: string | null;
  education: string | null;
  marital_status: string | null;
  occupation: string | null;
  employer: string | null;
  status: Generated<PersonStatus>;
  death_date: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PersonIdNumberTable {
  id_number: string;
  person_id: number;
  valid_from: string;
  valid_to: string | null;
  reason: string;
}

export interface IdAllocationTable {
  address_code: string;
  birth_date: string;
  sex: '1' | '2';
  last_seq: number;
}

export interface HouseholdTable {
  id: Generated<number>;
  household_number: string;
  kind: HouseholdKind;
  county_code: string;
  township_code: string | null;
  address: string;
  authority_id: string;
  head_person_id: number | null;
  status: Generated<'active' | 'closed'>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MembershipTable {
  id: Generated<number>;
  person_id: number;
  household_id: number;
  relationship: string;
  since: string;
  until: string | null;
}

export type RegistrationEventKind =
  | 'birth'
  | 'registration'
  | 'move_in'
  | 'move_out'
  | 'transfer_out'
  | 'transfer_in'
  | 'death'
  | 'correction'
  | 'id_number_change'
  | 'head_change'
  | 'household_created'
  | 'household_closed'
  | 'household_split'
  | 'member_added'
  | 'member_removed'
  | 'relationship_change';

export interface RegistrationEventTable {
  id: Generated<number>;
  person_id: number | null;
  household_id: number | null;
  kind: RegistrationEventKind;
  occurred_on: string;
  recorded_at: Timestamp;
  actor_id: string;
  authority_id: string;
  reason: string | null;
  legal_basis: string;
  application_id: string | null;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  idempotency_key: string | null;
  /** The answer of the operation, on the event that carries its idempotency key (replayed on retry). */
  response: ColumnType<unknown, string | null | undefined, never>;
}

export type TransferState =
  | 'applied'
  | 'destination_approved'
  | 'origin_moved_out'
  | 'destination_moved_in'
  | 'rejected'
  | 'compensated'
  | 'expired';

export type TransferCategory = 'job_transfer' | 'study_admission' | 'graduate' | 'spouse' | 'parents_join_children' | 'other';

export interface TransferTable {
  id: Generated<string>;
  person_id: number;
  origin_household_id: number;
  destination_household_id: number;
  origin_authority_id: string;
  destination_authority_id: string;
  relationship: string;
  category: TransferCategory;
  state: Generated<TransferState>;
  reason: string | null;
  decision_reason: string | null;
  applied_on: string;
  deadline: ColumnType<Date, Date | string, Date | string>;
  origin_membership_id: number | null;
  destination_membership_id: number | null;
  applied_by: string;
  approved_at: NullableTimestamp;
  moved_out_at: NullableTimestamp;
  moved_in_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One per person registered by birth (migration 0025): certificate number and parents. */
export interface BirthRecordTable {
  person_id: number;
  /** 出生医学证明编号: one letter + nine digits; null for births before certificates (1996) or before 0025. */
  certificate_number: string | null;
  mother_person_id: number | null;
  mother_name: string | null;
  father_person_id: number | null;
  father_name: string | null;
  recorded_at: Timestamp;
}

export interface RegistryTables {
  person: PersonTable;
  person_id_number: PersonIdNumberTable;
  id_allocation: IdAllocationTable;
  household: HouseholdTable;
  membership: MembershipTable;
  registration_event: RegistrationEventTable;
  transfer: TransferTable;
  birth_record: BirthRecordTable;
}

declare module '../platform/db/schema.ts' {
  interface Database extends RegistryTables {}
}
