import type { ColumnType, Generated } from 'kysely';
import type { CertificateKind } from './payload.ts';
import type { Algorithm } from './signature.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface CertificateSigningKeyTable {
  key_id: string;
  algorithm: Algorithm;
  public_key: string;
  /** sealed with the secret box */
  private_key: string;
  valid_from: Timestamp;
  retired_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_by: string;
}

export interface CertificateTable {
  number: string;
  kind: CertificateKind;
  person_id: number;
  subject_id_number: string;
  application_id: string | null;
  issuing_authority_id: string;
  facts: Json<Record<string, unknown>>;
  payload: string;
  signature: Buffer;
  key_id: string;
  qr_text: string;
  status_index: number;
  issued_at: Timestamp;
  valid_until: string;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  revoked_by: string | null;
  revocation_reason: string | null;
  issued_by: string;
}

export interface CertificateEventTable {
  id: Generated<number>;
  certificate_number: string;
  kind: 'issued' | 'revoked';
  actor: string;
  authority_id: string;
  reason: string | null;
  at: Timestamp;
}

export interface CertificateTables {
  certificate_signing_key: CertificateSigningKeyTable;
  certificate: CertificateTable;
  certificate_event: CertificateEventTable;
}

declare module '../platform/db/schema.ts' {
  interface Database extends CertificateTables {}
}
