import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type NotificationKind = 'id_card_expiring' | 'endorsement_due' | 'application_transition';
export type NotificationChannel = 'log' | 'mail';

export interface NotificationTable {
  id: Generated<string>;
  person_id: number;
  kind: NotificationKind;
  dedupe_key: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  channel: Generated<NotificationChannel>;
  created_at: Timestamp;
  available_at: Timestamp;
  attempts: Generated<number>;
  last_error: string | null;
  delivered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  delivered_by: string | null;
}

export interface NotificationDeliveryTable {
  notification_id: string;
  channel: NotificationChannel;
  worker_id: string;
  message: string;
  delivered_at: Timestamp;
}

export interface NotificationTables {
  notification: NotificationTable;
  notification_delivery: NotificationDeliveryTable;
}

declare module '../platform/db/schema.ts' {
  interface Database extends NotificationTables {}
}
