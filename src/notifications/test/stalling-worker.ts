/**
 * A worker process that dies mid-delivery (run by notifications.int.test.ts): it claims one
 * notification, performs the log channel's send inside its transaction, prints `holding <id>` and
 * then waits, never committing, until the test kills it with SIGKILL.
 */
import { createDb } from '../../platform/db/database.ts';
import { logAdapter, type NotificationAdapter } from '../adapters.ts';
import { deliverOne } from '../worker.ts';

const url = process.argv[2];
if (!url) throw new Error('usage: stalling-worker.ts <database url>');
const { db } = createDb(url, 2);
const log = logAdapter();
const stalling: NotificationAdapter = {
  channel: 'log',
  async send(trx, n, workerId) {
    await log.send(trx, n, workerId);
    process.stdout.write(`holding ${n.id}\n`);
    setInterval(() => undefined, 60_000);
    await new Promise(() => undefined);
  },
};
await deliverOne({ db, adapters: [stalling], workerId: 'worker-A' });
