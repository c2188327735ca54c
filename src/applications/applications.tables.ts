import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;

/** Which module runs an application's state machine: this one (`generic`) or an existing flow. */
export type ApplicationFlow = 'generic' | 'idcard' | 'residence_registration' | 'residence_permit' | 'transfer';
/** Generic lifecycle; `delegated` marks a link row whose state lives in the owning module. */
export type ApplicationState = 'draft' | 'submitted' | 'returned' | 'accepted' | 'in_review' | 'approved' | 'rejected' | 'completed' | 'withdrawn' | 'delegated';
export type ApplicationChannel = 'online' | 'counter';
export type ApplicationScope = 'local' | 'intraprovincial_cross_prefecture' | 'interprovincial';

export interface ApplicationTable {
  id: Generated<string>;
  tracking_number: string;
  service_code: string;
  catalog_version: string;
  flow: ApplicationFlow;
  flow_ref: string | null;
  applicant_actor_id: string;
  applicant_person_id: number | null;
  subject_person_id: number;
  subject_id_number: string;
  channel: ApplicationChannel;
  accepting_authority_id: string | null;
  competent_authority_id: string;
  scope: ApplicationScope;
  state: ApplicationState;
  facts: Json<Record<string, unknown>>;
  missing_materials: ColumnType<string[] | null, string | null | undefined, string | null>;
  deadline_working_days: number;
  deadline: string | null;
  deadline_provisional: Generated<boolean>;
  decision_reason: string | null;
  outcome: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  version: Generated<number>;
  client_key: string | null;
  submitted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  decided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ApplicationEventTable {
  id: Generated<number>;
  application_id: string;
  subject_person_id: number;
  from_state: ApplicationState | null;
  to_state: ApplicationState;
  actor_id: string;
  authority_id: string | null;
  reason: string | null;
  data: Json<Record<string, unknown>>;
  occurred_at: Timestamp;
}

export type MaterialMediaType = 'application/pdf' | 'image/jpeg' | 'image/png';

export interface ApplicationMaterialTable {
  id: Generated<string>;
  application_id: string;
  material_code: string;
  media_type: MaterialMediaType;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  uploaded_by: string;
  uploaded_at: Timestamp;
}

export interface ApplicationTables {
  application: ApplicationTable;
  application_event: ApplicationEventTable;
  application_material: ApplicationMaterialTable;
}

declare module '../platform/db/schema.ts' {
  interface Database extends ApplicationTables {}
}
