import { Command, Option } from 'commander';
import { cliActor } from '../access/index.ts';
import { printResult } from '../platform/cli/output.ts';
import { withDatabase } from '../platform/cli/runtime.ts';
import { systemClock } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { ApplicationView } from './applications.views.ts';
import { serviceCatalog } from './catalog.ts';
import type { CertificateIssuer } from './certificate-issuer.ts';
import { listQueue, readApplication } from './read.service.ts';
import { acceptApplication, approveApplication, completeApplication, rejectApplication, returnApplication, startReview, type StepDeps } from './steps.service.ts';
import { workingCalendar } from './working-days.ts';

function run<T>(cmd: Command, fn: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  const { dataDir } = cmd.optsWithGlobals<{ dataDir?: string }>();
  return withDatabase({ dataDir }, ({ db }) => fn({ db, actor: cliActor(), clock: systemClock }));
}

const json = () => new Option('--json', 'print JSON').default(false);

function applicationText(a: ApplicationView): string {
  return [
    `${a.trackingNumber}  ${a.serviceCode}  ${a.state}${a.flowState ? ` (${a.flow}: ${a.flowState})` : ''}${a.overdue ? '  OVERDUE' : ''}`,
    `  subject ${a.subjectIdNumber}; ${a.channel === 'online' ? 'online' : `accepted at ${a.acceptingAuthorityId}`} → decided by ${a.competentAuthorityId} (${a.scope})`,
    `  deadline ${a.deadline ?? '-'}${a.deadlineProvisional ? ' (provisional: no published calendar)' : ''}${a.decisionReason ? `; reason: ${a.decisionReason}` : ''}${a.outcome ? `; outcome ${JSON.stringify(a.outcome)}` : ''}`,
  ].join('\n');
}

/**
 * `hukou application …`: an officer's queue work from a terminal, as the local operator.
 * The composition root passes the certificate issuer (src/certificates) for approvals of certificates.
 */
export function registerApplicationCommands(program: Command, opts: { certificateIssuer?: CertificateIssuer | null } = {}): void {
  const deps = (): StepDeps => ({ catalog: serviceCatalog(), calendar: workingCalendar(), certificateIssuer: opts.certificateIssuer ?? null });
  const application = program.command('application').description('applications for catalog services: queues, acceptance, decisions');

  application
    .command('list')
    .description('the queue, overdue first: decided by (competent) or accepted at (accepting) an authority area; the operator sees the nation')
    .addOption(new Option('--queue <side>', 'which queue').choices(['competent', 'accepting']).default('competent'))
    .option('--all', 'include closed applications', false)
    .addOption(new Option('--limit <n>', 'at most n').argParser((v) => Number(v)).default(100))
    .addOption(json())
    .action(async (o: { queue: 'competent' | 'accepting'; all: boolean; limit: number; json: boolean }, cmd: Command) => {
      const list = await run(cmd, (ctx) => listQueue(ctx, { side: o.queue, open: !o.all, limit: o.limit }));
      printResult(list, o.json, () => (list.length ? list.map(applicationText).join('\n') : 'no applications'));
    });

  application
    .command('show')
    .description('one application with its trail')
    .argument('<trackingNumber>')
    .addOption(json())
    .action(async (trackingNumber: string, o: { json: boolean }, cmd: Command) => {
      const { detail } = await run(cmd, (ctx) => readApplication(ctx, trackingNumber));
      printResult(detail, o.json, () =>
        [applicationText(detail.application), ...detail.events.map((e) => `  ${e.occurredAt}  ${e.fromState ?? '-'} → ${e.toState}  by ${e.actorId}${e.authorityId ? ` at ${e.authorityId}` : ''}${e.reason ? `: ${e.reason}` : ''}`)].join('\n'),
      );
    });

  const simple = [
    ['accept', 'accept (受理): the working-day deadline starts', (ctx: ServiceContext, tn: string) => acceptApplication(ctx, deps(), { trackingNumber: tn })],
    ['review', 'start the review at the competent authority', (ctx: ServiceContext, tn: string) => startReview(ctx, { trackingNumber: tn })],
    ['approve', 'approve: the certificate or register change is carried out', (ctx: ServiceContext, tn: string) => approveApplication(ctx, deps(), { trackingNumber: tn })],
    ['complete', 'complete (办结) an approved application', (ctx: ServiceContext, tn: string) => completeApplication(ctx, { trackingNumber: tn })],
  ] as const;
  for (const [name, description, step] of simple) {
    application
      .command(name)
      .description(description)
      .argument('<trackingNumber>')
      .addOption(json())
      .action(async (trackingNumber: string, o: { json: boolean }, cmd: Command) => {
        const a = await run(cmd, (ctx) => step(ctx, trackingNumber));
        printResult(a, o.json, () => applicationText(a));
      });
  }

  application
    .command('reject')
    .description('reject an application in review, with the reason')
    .argument('<trackingNumber>')
    .requiredOption('--reason <text>', 'why (shown to the applicant)')
    .addOption(json())
    .action(async (trackingNumber: string, o: { reason: string; json: boolean }, cmd: Command) => {
      const a = await run(cmd, (ctx) => rejectApplication(ctx, { trackingNumber, reason: o.reason }));
      printResult(a, o.json, () => applicationText(a));
    });

  application
    .command('return')
    .description('return a submitted application for missing materials')
    .argument('<trackingNumber>')
    .requiredOption('--missing <codes>', 'comma-separated material codes')
    .addOption(json())
    .action(async (trackingNumber: string, o: { missing: string; json: boolean }, cmd: Command) => {
      const a = await run(cmd, (ctx) => returnApplication(ctx, deps(), { trackingNumber, missing: o.missing.split(',').map((s) => s.trim()).filter(Boolean) }));
      printResult(a, o.json, () => applicationText(a));
    });
}
