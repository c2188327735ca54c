import { Command, Option } from 'commander';
import { cliActor } from '../access/index.ts';
import { EXIT } from '../platform/cli/exit-codes.ts';
import { printResult } from '../platform/cli/output.ts';
import { withDatabase } from '../platform/cli/runtime.ts';
import { systemClock } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { applyForCard } from './apply.service.ts';
import { checkCard } from './check.service.ts';
import { confirmApplication, deliverCard, getApplication, rejectApplication } from './decide.service.ts';
import { expireCards } from './expiry.service.ts';
import { getIdentity, type IdentityView } from './identity.service.ts';
import { reportCardLost } from './loss.service.ts';
import type { ApplicationKind, FeeWaiver, RenewalReason } from './idcards.tables.ts';
import type { ApplicationView, CardView } from './idcards.views.ts';

function run<T>(cmd: Command, fn: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  const { dataDir } = cmd.optsWithGlobals<{ dataDir?: string }>();
  return withDatabase({ dataDir }, ({ db }) => fn({ db, actor: cliActor(), clock: systemClock }));
}

const json = () => new Option('--json', 'print JSON').default(false);

function applicationText(a: ApplicationView): string {
  return [
    `application ${a.id}: ${a.kind}${a.reason ? ` (${a.reason})` : ''} ${a.state}, applied ${a.appliedOn}, due ${a.dueOn}${a.overdue ? ' OVERDUE' : ''}`,
    `  ${a.name} ${a.idNumber}, age ${a.ageOnApplication}${a.late ? ' (late first application)' : ''}; validity ${a.validityMonths === null ? 'long-term' : `${a.validityMonths / 12} years`}`,
    `  accepted at ${a.acceptingAuthorityId}, hukou ${a.hukouAuthorityId} → ${a.scope}; fee ¥${a.fee.dueYuan}${a.fee.waiver ? ` (waived: ${a.fee.waiver})` : ''}`,
  ].join('\n');
}

function cardText(c: CardView): string {
  return `card ${c.id}: ${c.kind} ${c.status}, ${c.idNumber} ${c.name}, ${c.validFrom} – ${c.validUntil ?? '长期'}, issued by ${c.issuingAuthorityId}`;
}

function identityText(v: IdentityView): string {
  const lines = [`${v.person.name} ${v.person.idNumber} (${v.person.status}), hukou ${v.person.hukouAuthorityId ?? 'in transit'}; ID card: ${v.idCard.status}`];
  for (const c of v.idCard.cards) lines.push(`  ${cardText(c)}`);
  for (const a of v.idCard.applications) lines.push(`  application ${a.id}: ${a.kind} ${a.state} ${a.appliedOn} at ${a.acceptingAuthorityId} (${a.scope})`);
  for (const r of v.residence.registrations) lines.push(`  residence in ${r.cityCode} since ${r.registeredOn}${r.endedOn ? ` until ${r.endedOn}` : ''}`);
  for (const p of v.residence.permits) lines.push(`  permit ${p.id}: ${p.status}${p.issuedOn ? `, issued ${p.issuedOn}` : ''}; endorsement ${p.endorsement.status}`);
  const f = v.residence.facts;
  if (f) lines.push(`  residence years: ${f.residenceYears} (from ${f.residenceCountedFrom}), ${f.continuousResidence ? 'continuous' : 'interrupted'}`);
  return lines.join('\n');
}

/** `hukou idcard …` and `hukou identity`: what a counter officer does from a terminal. */
export function registerIdCardCommands(program: Command): void {
  const idcard = program.command('idcard').description('resident ID cards: applications handled anywhere, loss reports, card checks');

  idcard
    .command('apply')
    .description('accept an application (dated today) at any authority')
    .argument('<idNumber>', 'resident ID number')
    .addOption(new Option('--kind <kind>', 'application kind').choices(['first', 'renewal', 'reissue', 'temporary']).makeOptionMandatory())
    .addOption(new Option('--reason <reason>', 'renewal reason (default expiry)').choices(['expiry', 'name_change', 'damage']))
    .requiredOption('--at <authorityId>', 'accepting authority, e.g. station-440305001')
    .addOption(new Option('--waiver <waiver>', 'fee waiver').choices(['dibao', 'rural_hardship']))
    .addOption(json())
    .action(async (idNumber: string, opts: { kind: ApplicationKind; reason?: RenewalReason; at: string; waiver?: FeeWaiver; json: boolean }, cmd: Command) => {
      const a = await run(cmd, (ctx) => applyForCard(ctx, { idNumber, kind: opts.kind, reason: opts.reason, authorityId: opts.at, feeWaiver: opts.waiver }));
      printResult(a, opts.json, () => applicationText(a));
    });

  idcard
    .command('show')
    .description('show an application')
    .argument('<applicationId>', 'application id')
    .addOption(json())
    .action(async (applicationId: string, opts: { json: boolean }, cmd: Command) => {
      const a = await run(cmd, (ctx) => getApplication(ctx, applicationId));
      printResult(a, opts.json, () => applicationText(a));
    });

  for (const [name, description, step] of [
    ['confirm', 'confirm and issue at the hukou place (the card is valid from today)', confirmApplication],
    ['deliver', 'deliver the card at the accepting authority', deliverCard],
  ] as const) {
    idcard
      .command(name)
      .description(description)
      .argument('<applicationId>', 'application id')
      .addOption(json())
      .action(async (applicationId: string, opts: { json: boolean }, cmd: Command) => {
        const r = await run(cmd, (ctx) => step(ctx, { applicationId }));
        printResult(r, opts.json, () => `${applicationText(r.application)}\n${cardText(r.card)}`);
      });
  }

  idcard
    .command('reject')
    .description('refuse an accepted application at the hukou place')
    .argument('<applicationId>', 'application id')
    .requiredOption('--reason <text>', 'why')
    .addOption(json())
    .action(async (applicationId: string, opts: { reason: string; json: boolean }, cmd: Command) => {
      const a = await run(cmd, (ctx) => rejectApplication(ctx, { applicationId, reason: opts.reason }));
      printResult(a, opts.json, () => applicationText(a));
    });

  idcard
    .command('report-loss')
    .description('report the valid card lost (挂失): invalid at once, nationally')
    .argument('<idNumber>', 'resident ID number')
    .requiredOption('--at <authorityId>', 'accepting authority')
    .addOption(json())
    .action(async (idNumber: string, opts: { at: string; json: boolean }, cmd: Command) => {
      const r = await run(cmd, (ctx) => reportCardLost(ctx, { idNumber, authorityId: opts.at }));
      printResult(r, opts.json, () => cardText(r.card));
    });

  idcard
    .command('check')
    .description('is the card with this number and validity start valid today? (exit 1 when not)')
    .argument('<idNumber>', 'resident ID number')
    .argument('<validFrom>', 'validity start printed on the card, YYYY-MM-DD')
    .addOption(json())
    .action(async (idNumber: string, validFrom: string, opts: { json: boolean }, cmd: Command) => {
      const r = await run(cmd, (ctx) => checkCard(ctx, { idNumber, validFrom }));
      printResult(r, opts.json, () => `${r.valid ? 'valid' : 'NOT valid'} (reference ${r.reference})`);
      if (!r.valid) process.exitCode = EXIT.NO;
    });

  idcard
    .command('expire')
    .description('mark valid cards past their last day as expired (also done by the notification worker)')
    .addOption(json())
    .action(async (opts: { json: boolean }, cmd: Command) => {
      const expired = await run(cmd, (ctx) => expireCards(ctx));
      printResult({ expired }, opts.json, () => `${expired} card(s) expired`);
    });

  program
    .command('identity')
    .description('one identity: ID card status and history, residence registrations, permit and endorsements')
    .argument('<idNumber>', 'resident ID number')
    .addOption(json())
    .action(async (idNumber: string, opts: { json: boolean }, cmd: Command) => {
      const v = await run(cmd, (ctx) => getIdentity(ctx, idNumber));
      printResult(v, opts.json, () => identityText(v));
    });
}
