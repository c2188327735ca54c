import type { Command } from 'commander';
import { Option } from 'commander';
import { printResult } from '../platform/cli/output.ts';
import { withDatabase } from '../platform/cli/runtime.ts';
import { createLogger } from '../platform/logger.ts';
import { outboxCounts } from './outbox.queries.ts';
import { runNotificationsOnce } from './worker.ts';

/** `hukou notify …`: the notification outbox from a terminal. */
export function registerNotificationCommands(program: Command): void {
  const notify = program.command('notify').description('notifications: cards expiring, endorsements due (outbox + worker)');

  notify
    .command('run-once')
    .description('expire cards past their last day, enqueue what is due today, deliver the outbox (log channel), then exit')
    .addOption(new Option('--json', 'print JSON').default(false))
    .action(async (opts: { json: boolean }, cmd: Command) => {
      const { dataDir } = cmd.optsWithGlobals<{ dataDir?: string }>();
      const summary = await withDatabase({ dataDir }, ({ db }) => runNotificationsOnce({ db, logger: createLogger(process.env.LOG_LEVEL ?? 'info') }));
      printResult(summary, opts.json, () =>
        `expired ${summary.cardsExpired} card(s); enqueued ${summary.enqueued.cardsExpiring} expiry and ${summary.enqueued.endorsementsDue} endorsement notice(s); ` +
        `delivered ${summary.delivered}, failed ${summary.failed}`,
      );
    });

  notify
    .command('status')
    .description('outbox counts: pending, delivered, failing')
    .addOption(new Option('--json', 'print JSON').default(false))
    .action(async (opts: { json: boolean }, cmd: Command) => {
      const { dataDir } = cmd.optsWithGlobals<{ dataDir?: string }>();
      const counts = await withDatabase({ dataDir }, ({ db }) => outboxCounts(db));
      printResult(counts, opts.json, () => `pending ${counts.pending}, delivered ${counts.delivered}, failing ${counts.failing}`);
    });
}
