import { Command, Option } from 'commander';
import { cliActor } from '../access/index.ts';
import { chinaDate, systemClock } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { printResult } from '../platform/cli/output.ts';
import { withDatabase } from '../platform/cli/runtime.ts';
import { endorsePermit } from './endorsement.service.ts';
import { residenceFacts } from './facts.service.ts';
import { applyForPermit, closePermit, issuePermit } from './permit.service.ts';
import { endResidenceRegistration, registerResidence } from './registration.service.ts';
import type { PermitBasis } from './residence.tables.ts';
import type { PermitView, RegistrationView } from './residence.views.ts';

function run<T>(cmd: Command, fn: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  const { dataDir } = cmd.optsWithGlobals<{ dataDir?: string }>();
  return withDatabase({ dataDir }, ({ db }) => fn({ db, actor: cliActor(), clock: systemClock }));
}

const json = () => new Option('--json', 'print JSON').default(false);

function registrationText(r: RegistrationView): string {
  return `registration ${r.id}: city ${r.cityCode} since ${r.registeredOn}${r.endedOn ? `, ended ${r.endedOn} (${r.endReason})` : ''}\n  ${r.address} (${r.authorityId})`;
}

function permitText(p: PermitView): string {
  const e = p.endorsement;
  return [
    `permit ${p.id}: ${p.status}, city ${p.cityCode}, basis ${p.basis}, applied ${p.appliedOn} (issue by ${p.dueOn})${p.issuedOn ? `, issued ${p.issuedOn}` : ''}`,
    `  residence counted from ${p.residenceCountedFrom}; endorsement ${e.status}${e.anniversary ? ` before ${e.anniversary} (window ${e.windowOpensOn} … ${e.lastOnTimeDay})` : ''}`,
  ].join('\n');
}

/** `hukou residence …`: residence registration, residence permits and endorsements (居住证暂行条例). */
export function registerResidenceCommands(program: Command): void {
  const residence = program.command('residence').description('residence away from the hukou place: registration (居住登记), permits (居住证), endorsements (签注)');

  residence
    .command('register')
    .description('register residence in a city other than the hukou city (dated today)')
    .argument('<idNumber>', 'resident ID number')
    .requiredOption('--at <authorityId>', 'residence-place police station, e.g. station-440305001')
    .requiredOption('--address <text>', 'residence address')
    .addOption(json())
    .action(async (idNumber: string, opts: { at: string; address: string; json: boolean }, cmd: Command) => {
      const r = await run(cmd, (ctx) => registerResidence(ctx, { idNumber, authorityId: opts.at, address: opts.address }));
      printResult(r, opts.json, () => registrationText(r));
    });

  residence
    .command('end')
    .description('end a residence registration (the person left the city); its permit is cancelled')
    .argument('<registrationId>', 'registration id')
    .requiredOption('--reason <text>', 'why')
    .addOption(json())
    .action(async (registrationId: string, opts: { reason: string; json: boolean }, cmd: Command) => {
      const r = await run(cmd, (ctx) => endResidenceRegistration(ctx, { registrationId, reason: opts.reason }));
      printResult(r, opts.json, () => registrationText(r));
    });

  residence
    .command('facts')
    .description('computed residence facts: residence years, continuous residence, endorsement status')
    .argument('<idNumber>', 'resident ID number')
    .option('--on <date>', 'as of this date (default today)')
    .addOption(json())
    .action(async (idNumber: string, opts: { on?: string; json: boolean }, cmd: Command) => {
      const facts = await run(cmd, (ctx) => residenceFacts(ctx.db, idNumber, opts.on ?? chinaDate(ctx.clock.now())));
      printResult(facts, opts.json, () =>
        facts
          ? `city ${facts.cityCode} since ${facts.registeredOn}: ${facts.residenceYears} full year(s) counted from ${facts.residenceCountedFrom}, ` +
            `${facts.continuousResidence ? 'continuous' : 'interrupted (endorsement overdue)'}; permit ${facts.permit ? `${facts.permit.status}` : 'none'}; endorsement ${facts.endorsement.status}`
          : 'no open residence registration away from the hukou place',
      );
    });

  const permit = residence.command('permit').description('residence permits (居住证)');
  permit
    .command('apply')
    .description('apply for a residence permit (≥ 6 months of residence plus one basis)')
    .argument('<idNumber>', 'resident ID number')
    .requiredOption('--at <authorityId>', 'residence-place police station')
    .addOption(new Option('--basis <basis>', 'basis (Art. 2)').choices(['employment', 'residence_lease', 'residence_owned', 'study']))
    .option('--evidence <text>', 'the document shown (contract, lease, deed, enrolment)')
    .addOption(json())
    .action(async (idNumber: string, opts: { at: string; basis?: PermitBasis; evidence?: string; json: boolean }, cmd: Command) => {
      const p = await run(cmd, (ctx) => applyForPermit(ctx, { idNumber, authorityId: opts.at, basis: opts.basis, basisEvidence: opts.evidence }));
      printResult(p, opts.json, () => permitText(p));
    });
  permit
    .command('issue')
    .description('issue an applied-for permit')
    .argument('<permitId>', 'permit id')
    .addOption(json())
    .action(async (permitId: string, opts: { json: boolean }, cmd: Command) => {
      const p = await run(cmd, (ctx) => issuePermit(ctx, { permitId }));
      printResult(p, opts.json, () => permitText(p));
    });
  for (const [name, as] of [['reject', 'rejected'], ['cancel', 'cancelled']] as const) {
    permit
      .command(name)
      .description(as === 'rejected' ? 'refuse a pending application' : 'cancel an issued permit')
      .argument('<permitId>', 'permit id')
      .requiredOption('--reason <text>', 'why')
      .addOption(json())
      .action(async (permitId: string, opts: { reason: string; json: boolean }, cmd: Command) => {
        const p = await run(cmd, (ctx) => closePermit(ctx, { permitId, reason: opts.reason, as }));
        printResult(p, opts.json, () => permitText(p));
      });
  }
  permit
    .command('endorse')
    .description('annual endorsement (签注); late endorsements restart the count of residence years')
    .argument('<permitId>', 'permit id')
    .requiredOption('--at <authorityId>', 'residence-place police station')
    .addOption(json())
    .action(async (permitId: string, opts: { at: string; json: boolean }, cmd: Command) => {
      const r = await run(cmd, (ctx) => endorsePermit(ctx, { permitId, authorityId: opts.at }));
      printResult(r, opts.json, () => `${r.endorsement.late ? 'late ' : ''}endorsement for the anniversary ${r.endorsement.anniversary}\n${permitText(r.permit)}`);
    });
}
