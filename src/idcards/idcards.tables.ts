import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;

export type ApplicationKind = 'first' | 'renewal' | 'reissue' | 'temporary';
export type RenewalReason = 'expiry' | 'name_change' | 'damage';
export type ApplicationReason = RenewalReason | 'loss';
export type ApplicationState = 'accepted' | 'confirmed' | 'delivered' | 'rejected';
export type FeeWaiver = 'dibao' | 'rural_hardship';
/** The Ministry's statistics categories for cards handled away from the hukou place (hukou-domain §8). */
export type HandlingScope = 'local' | 'intraprovincial_cross_prefecture' | 'interprovincial';
export type CardKind = 'resident' | 'temporary';
export type CardStatus = 'valid' | 'expired' | 'reported_lost' | 'superseded' | 'cancelled';
export type CardEventKind =
  | 'application_accepted'
  | 'application_confirmed'
  | 'application_rejected'
  | 'card_issued'
  | 'card_delivered'
  | 'loss_reported'
  | 'card_superseded'
  | 'card_expired'
  | 'card_cancelled';

export interface IdCardApplicationTable {
  id: Generated<string>;
  person_id: number;
  kind: ApplicationKind;
  reason: ApplicationReason | null;
  applied_on: string;
  id_number: string;
  name: string;
  age_on_application: number;
  late: Generated<boolean>;
  validity_months: number | null;
  previous_card_id: string | null;
  accepting_authority_id: string;
  hukou_authority_id: string;
  issuing_authority_id: string;
  scope: HandlingScope;
  residence_permit_id: string | null;
  legal_basis: string;
  fee_standard_yuan: number;
  fee_due_yuan: number;
  fee_waiver: FeeWaiver | null;
  fee_source: string;
  due_on: string;
  state: Generated<ApplicationState>;
  decision_reason: string | null;
  card_id: string | null;
  accepted_by: string;
  confirmed_on: string | null;
  confirmed_by: string | null;
  delivered_on: string | null;
  delivered_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IdCardTable {
  id: Generated<string>;
  person_id: number;
  kind: CardKind;
  id_number: string;
  name: string;
  valid_from: string;
  valid_until: string | null;
  status: Generated<CardStatus>;
  status_changed_on: string;
  issuing_authority_id: string;
  application_id: string;
  delivered_on: string | null;
  created_at: Timestamp;
}

export interface IdCardEventTable {
  id: Generated<number>;
  person_id: number;
  application_id: string | null;
  card_id: string | null;
  kind: CardEventKind;
  occurred_on: string;
  recorded_at: Timestamp;
  actor_id: string;
  accepting_authority_id: string;
  hukou_authority_id: string;
  scope: HandlingScope;
  legal_basis: string;
  data: Json<Record<string, unknown>>;
}

export interface IdCardCheckTable {
  id: Generated<string>;
  checked_at: Timestamp;
  checked_on: string;
  actor_id: string;
  id_number: string;
  valid_from: string;
  card_id: string | null;
  valid: boolean;
}

export interface IdCardTables {
  id_card_application: IdCardApplicationTable;
  id_card: IdCardTable;
  id_card_event: IdCardEventTable;
  id_card_check: IdCardCheckTable;
}

declare module '../platform/db/schema.ts' {
  interface Database extends IdCardTables {}
}
