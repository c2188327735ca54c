/** Public surface of notifications: the outbox, its worker, and the delivery channels. */
export { startNotificationWorker, runNotificationsOnce, deliverOne, deliverPending } from './worker.ts';
export type { NotificationWorker, NotificationWorkerOptions, RunSummary, DeliveryOptions } from './worker.ts';
export { enqueueDueNotifications } from './scan.service.ts';
export { insertNotifications as enqueueNotifications } from './outbox.queries.ts';
export type { NewNotification } from './outbox.queries.ts';
export { logAdapter, mailAdapter } from './adapters.ts';
export type { NotificationAdapter, MailTransport, OutboxNotification } from './adapters.ts';
export { registerNotificationCommands } from './notifications.cli.ts';
