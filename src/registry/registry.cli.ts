import { Command, InvalidArgumentError, Option } from 'commander';
import { cliActor } from '../access/index.ts';
import { systemClock } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { printResult } from '../platform/cli/output.ts';
import { withDatabase } from '../platform/cli/runtime.ts';
import { registerBirth } from './birth.service.ts';
import { codeNames } from './codes.ts';
import { createHousehold } from './household.service.ts';
import { moveMember } from './move.service.ts';
import { registerDeath } from './person.service.ts';
import { getHousehold, getPerson, searchPersons, type BirthRecordView, type HouseholdBooklet } from './read.service.ts';
import type { HouseholdKind } from './registry.tables.ts';
import { advanceTransfer, expireTransfers, getTransfer, type TransferView } from './transfer.service.ts';

/** Runs `fn` with a service context on the configured database, acting as the local operator. */
function run<T>(cmd: Command, fn: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  const { dataDir } = cmd.optsWithGlobals<{ dataDir?: string }>();
  return withDatabase({ dataDir }, ({ db }) => fn({ db, actor: cliActor(), clock: systemClock }));
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

const json = () => new Option('--json', 'print JSON').default(false);

function bookletText(h: HouseholdBooklet): string {
  const lines = [
    `户号 ${h.householdNumber}  ${h.kind}  ${h.status}  version ${h.version}`,
    `住址 ${h.township?.name ?? h.countyCode} ${h.address}`,
    `登记机关 ${h.authority.name} (${h.authority.id})`,
    `户主 ${h.head ? `${h.head.name} ${h.head.idNumber}` : '(none — a head is needed)'}`,
  ];
  for (const m of h.members) {
    lines.push(`  ${m.relationship} ${m.relationshipName ?? ''}\t${m.name}\t${m.idNumber}\t${m.sexName ?? m.sex}\t${m.birthDate}\t${m.ethnicityName ?? m.ethnicity}\tsince ${m.since}`);
    if (m.birth) lines.push(`      ${birthText(m.birth)}`);
  }
  return lines.join('\n');
}

function birthText(b: BirthRecordView): string {
  const parent = (label: string, p: BirthRecordView['mother']) => (p ? `${label} ${p.name}${p.idNumber ? ` ${p.idNumber}` : ''}` : `${label} —`);
  return `出生医学证明 ${b.certificateNumber ?? '—'}  ${parent('母', b.mother)}  ${parent('父', b.father)}`;
}

function transferText(t: TransferView): string {
  const lines = [
    `transfer ${t.id}: ${t.state}${t.nextStep ? ` (next: ${t.nextStep})` : ''}, due by ${t.dueOn}`,
    `  ${t.person.name} ${t.person.idNumber}: ${t.origin.householdNumber} (${t.origin.authorityName}) → ${t.destination.householdNumber} (${t.destination.authorityName})`,
  ];
  for (const e of t.events) lines.push(`  ${e.recordedAt} ${e.kind} at ${e.householdNumber ?? '-'} step ${String(e.data.step ?? '')}`);
  return lines.join('\n');
}

/** `hukou household …`, `hukou person …`, `hukou transfer …`: what a registration officer does from a terminal. */
export function registerRegistryCommands(program: Command): void {
  const household = program.command('household').description('households (户): create, show the 户口簿, register births');
  household
    .command('create')
    .description('create a household at a township address (registration authority: the township police station)')
    .addOption(new Option('--kind <kind>', 'household kind').choices(['family', 'collective', 'public_collective']).default('family'))
    .requiredOption('--township <code>', 'NBS 9-digit township code')
    .requiredOption('--address <text>', 'street address within the township')
    .option('--reason <text>', 'why (recorded in the event)')
    .addOption(json())
    .action(async (opts: { kind: HouseholdKind; township: string; address: string; reason?: string; json: boolean }, cmd: Command) => {
      const r = await run(cmd, (ctx) => createHousehold(ctx, { kind: opts.kind, townshipCode: opts.township, address: opts.address, reason: opts.reason }));
      printResult(r, opts.json, () => `created household ${r.household.householdNumber} (version ${r.household.version}) at ${r.household.address}`);
    });
  household
    .command('show')
    .description('show a household as its 户口簿: household page and member pages')
    .argument('<number>', 'household number (户号)')
    .addOption(json())
    .action(async (number: string, opts: { json: boolean }, cmd: Command) => {
      const h = await run(cmd, (ctx) => getHousehold(ctx, number));
      printResult(h, opts.json, () => bookletText(h));
    });
  household
    .command('birth')
    .description('register a birth in a household: allocates the ID number')
    .argument('<number>', 'household number (户号)')
    .requiredOption('--name <name>', 'name')
    .addOption(new Option('--sex <sex>', '1 male, 2 female').choices(['1', '2']).makeOptionMandatory())
    .requiredOption('--birth-date <date>', 'YYYY-MM-DD')
    .option('--ethnicity <code>', 'GB/T 3304 code', '01')
    .requiredOption('--relationship <code>', 'GB/T 4761 relationship to the head (e.g. 20 son, 30 daughter)')
    .requiredOption('--expected-version <n>', 'household version as read (hukou household show)', positiveInt)
    .option('--birthplace <code>', 'GB/T 2260 code of the birthplace')
    .option('--certificate <number>', '出生医学证明编号 (birth medical certificate number): one letter and nine digits')
    .option('--mother-id <idNumber>', "the mother's ID number, when she is registered")
    .option('--mother-name <name>', "the mother's name (checked against the register with --mother-id)")
    .option('--father-id <idNumber>', "the father's ID number, when he is registered")
    .option('--father-name <name>', "the father's name (checked against the register with --father-id)")
    .addOption(json())
    .action(async (number: string, o: { name: string; sex: string; birthDate: string; ethnicity: string; relationship: string; expectedVersion: number; birthplace?: string; certificate?: string; motherId?: string; motherName?: string; fatherId?: string; fatherName?: string; json: boolean }, cmd: Command) => {
      const parent = (idNumber?: string, name?: string) => (idNumber || name ? { idNumber, name } : undefined);
      const r = await run(cmd, (ctx) =>
        registerBirth(ctx, {
          householdNumber: number,
          expectedVersion: o.expectedVersion,
          name: o.name,
          sex: o.sex,
          birthDate: o.birthDate,
          ethnicity: o.ethnicity,
          relationship: o.relationship,
          birthplaceCode: o.birthplace,
          birthCertificateNumber: o.certificate,
          mother: parent(o.motherId, o.motherName),
          father: parent(o.fatherId, o.fatherName),
        }),
      );
      printResult(r, o.json, () => `registered ${r.person.name}: ID number ${r.person.idNumber}${r.lateRegistration ? ` (late: due ${r.registrationDue})` : ''}`);
    });

  const person = program.command('person').description('persons: full record, search, moves, deaths');
  person
    .command('show')
    .description('the full record of a person by current or former ID number')
    .argument('<idNumber>', 'resident ID number')
    .addOption(json())
    .action(async (idNumber: string, opts: { json: boolean }, cmd: Command) => {
      const { v, name } = await run(cmd, async (ctx) => {
        const v = await getPerson(ctx, idNumber);
        const p = v.person;
        const name = await codeNames(ctx.db, [
          { kind: 'sex', code: p.sex },
          { kind: 'ethnicity', code: p.ethnicity },
          { kind: 'relationship', code: v.household?.relationship },
          { kind: 'division', code: p.birthplaceCode },
          { kind: 'division', code: p.nativePlaceCode },
        ]);
        return { v, name };
      });
      const p = v.person;
      printResult(v, opts.json, () =>
        [
          `${p.name} ${p.idNumber}${v.matched.current ? '' : ` (found by former number ${v.matched.idNumber})`}  ${p.status}  version ${p.version}`,
          `  born ${p.birthDate}, ${name('sex', p.sex)}, ${name('ethnicity', p.ethnicity)}${p.formerNames.length ? `, former names ${p.formerNames.join('、')}` : ''}`,
          ...(p.birthplaceCode || p.nativePlaceCode
            ? [`  ${p.birthplaceCode ? `birthplace ${name('division', p.birthplaceCode)}` : ''}${p.birthplaceCode && p.nativePlaceCode ? ', ' : ''}${p.nativePlaceCode ? `native place ${name('division', p.nativePlaceCode)}` : ''}`]
            : []),
          v.household
            ? `  household ${v.household.householdNumber} (${v.household.authority.name}), ${name('relationship', v.household.relationship)}, since ${v.household.since}`
            : v.householdWithheld
              ? '  household outside your jurisdiction'
              : '  no current household',
          ...(v.birth ? [`  ${birthText(v.birth)}`] : []),
          ...v.idNumbers.map((n) => `  ID ${n.idNumber} ${n.validFrom}…${n.validTo ?? ''} (${n.reason})`),
          ...v.timeline.map((e) => `  ${e.occurredOn} ${e.kind} ${e.householdNumber ?? ''} ${e.authorityName}`),
        ].join('\n'),
      );
    });
  person
    .command('search')
    .description('search by name (Chinese or pinyin), birth-date range and division; results are masked')
    .option('--name <text>', 'part of the name, or its pinyin')
    .option('--born-from <date>', 'born on or after')
    .option('--born-to <date>', 'born on or before')
    .option('--division <code>', 'province, prefecture or county code (2, 4 or 6 digits)')
    .option('--limit <n>', 'results per page (max 100)', positiveInt, 20)
    .option('--cursor <cursor>', 'next page: the cursor printed with the previous one')
    .addOption(json())
    .action(async (o: { name?: string; bornFrom?: string; bornTo?: string; division?: string; limit: number; cursor?: string; json: boolean }, cmd: Command) => {
      const r = await run(cmd, (ctx) =>
        searchPersons(ctx, { name: o.name, birthDateFrom: o.bornFrom, birthDateTo: o.bornTo, division: o.division, limit: Math.min(o.limit, 100), cursor: o.cursor }),
      );
      printResult(r, o.json, () =>
        [...r.results.map((p) => `${p.maskedIdNumber}  ${p.maskedName}\t${p.sex}\t${p.birthDate}\t${p.status}\t${p.countyCode ?? '-'}`), r.nextCursor ? `next page: --cursor ${r.nextCursor}` : '(end)'].join('\n'),
      );
    });
  person
    .command('move')
    .description('move a member to another household in the same province')
    .argument('<idNumber>', 'resident ID number')
    .requiredOption('--from <number>', 'household the person leaves')
    .requiredOption('--to <number>', 'destination household')
    .requiredOption('--relationship <code>', 'GB/T 4761 relationship to the destination head')
    .requiredOption('--expected-version <n>', 'person version as read (hukou person show)', positiveInt)
    .option('--reason <text>', 'why')
    .addOption(json())
    .action(async (idNumber: string, o: { from: string; to: string; relationship: string; expectedVersion: number; reason?: string; json: boolean }, cmd: Command) => {
      const r = await run(cmd, (ctx) =>
        moveMember(ctx, { idNumber, fromHouseholdNumber: o.from, destinationHouseholdNumber: o.to, relationship: o.relationship, expectedVersion: o.expectedVersion, reason: o.reason }),
      );
      printResult(r, o.json, () => `moved ${r.person.idNumber} from ${r.from.householdNumber} to ${r.to.householdNumber}${r.fromNeedsNewHead ? `; ${r.from.householdNumber} needs a new head` : ''}`);
    });
  person
    .command('death')
    .description('register a death: the hukou is cancelled, the record kept')
    .argument('<idNumber>', 'resident ID number')
    .requiredOption('--death-date <date>', 'YYYY-MM-DD')
    .requiredOption('--expected-version <n>', 'person version as read (hukou person show)', positiveInt)
    .option('--reason <text>', 'why')
    .addOption(json())
    .action(async (idNumber: string, o: { deathDate: string; expectedVersion: number; reason?: string; json: boolean }, cmd: Command) => {
      const r = await run(cmd, (ctx) => registerDeath(ctx, { idNumber, deathDate: o.deathDate, expectedVersion: o.expectedVersion, reason: o.reason }));
      printResult(r, o.json, () => `registered the death of ${r.person.idNumber}${r.householdNeedsNewHead ? `; household ${r.household?.householdNumber} needs a new head` : ''}`);
    });

  const transfer = program.command('transfer').description('interprovincial transfers handled at the destination');
  transfer
    .command('show')
    .description('a transfer with its trail at both ends')
    .argument('<id>', 'transfer id')
    .addOption(json())
    .action(async (id: string, opts: { json: boolean }, cmd: Command) => {
      const t = await run(cmd, (ctx) => getTransfer(ctx, id));
      printResult(t, opts.json, () => transferText(t));
    });
  transfer
    .command('advance')
    .description('run the next pending step of a transfer (retry after a failure)')
    .argument('<id>', 'transfer id')
    .addOption(json())
    .action(async (id: string, opts: { json: boolean }, cmd: Command) => {
      const { transfer: t, performed } = await run(cmd, (ctx) => advanceTransfer(ctx, id));
      printResult({ transfer: t, performed }, opts.json, () => `${performed ? `performed ${performed}` : 'nothing to do'}\n${transferText(t)}`);
    });
  transfer
    .command('expire')
    .description('compensate every open transfer past its deadline (run periodically)')
    .addOption(json())
    .action(async (opts: { json: boolean }, cmd: Command) => {
      const r = await run(cmd, (ctx) => expireTransfers(ctx));
      printResult(r, opts.json, () => (r.expired.length ? `expired: ${r.expired.join(', ')}` : 'no overdue transfers'));
    });
}
