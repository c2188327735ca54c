import type { Db } from '../platform/db/database.ts';
import { insertDelivery } from './outbox.queries.ts';
import type { NotificationChannel, NotificationKind } from './notifications.tables.ts';

export interface OutboxNotification {
  id: string;
  personId: number;
  kind: NotificationKind;
  payload: Record<string, unknown>;
  channel: NotificationChannel;
  message: string;
}

/**
 * A delivery channel. `send` runs inside the worker's transaction that holds the notification's row
 * lock; the worker marks the notification delivered in that same transaction. If the worker dies
 * before commit, the notification is sent again by another worker — so `send` must be idempotent
 * by `notification.id` (the idempotency key): a channel that records its effect in `trx` is exactly
 * once by construction, an external channel must pass the key on to a receiver that de-duplicates.
 */
export interface NotificationAdapter {
  readonly channel: NotificationChannel;
  send(trx: Db, notification: OutboxNotification, workerId: string): Promise<void>;
}

/**
 * The log channel: the delivery is a row of `notification_delivery` (primary key = notification id)
 * written in the worker's transaction, so it commits together with the delivered mark, exactly once.
 * The worker writes the JSON log line after the commit.
 */
export function logAdapter(): NotificationAdapter {
  return {
    channel: 'log',
    async send(trx, n, workerId) {
      await insertDelivery(trx, { notificationId: n.id, channel: 'log', workerId, message: n.message });
    },
  };
}

/** What a mail transport (SMTP relay, a government messaging gateway) must offer: de-duplication by key. */
export interface MailTransport {
  send(mail: { to: string; subject: string; text: string; idempotencyKey: string }): Promise<void>;
}

/**
 * The mail channel, for when persons have a registered address and a transport exists (neither does
 * yet: the register holds no e-mail addresses). The transport receives the notification id as its
 * idempotency key; the delivery is also recorded in `notification_delivery`.
 */
export function mailAdapter(opts: { transport: MailTransport; addressOf: (trx: Db, personId: number) => Promise<string | null> }): NotificationAdapter {
  return {
    channel: 'mail',
    async send(trx, n, workerId) {
      const to = await opts.addressOf(trx, n.personId);
      if (!to) throw new Error(`no mail address for person ${n.personId}`);
      await opts.transport.send({ to, subject: n.kind === 'id_card_expiring' ? '居民身份证换领提醒' : '居住证签注提醒', text: n.message, idempotencyKey: n.id });
      await insertDelivery(trx, { notificationId: n.id, channel: 'mail', workerId, message: n.message });
    },
  };
}
