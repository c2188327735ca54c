import { Command, Option } from 'commander';
import { cliActor } from '../access/index.ts';
import { systemClock } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { printResult } from '../platform/cli/output.ts';
import { withDatabase } from '../platform/cli/runtime.ts';
import { AppError } from '../platform/errors.ts';
import { checkSettlement, replayDecision, type CheckResult } from './check.service.ts';
import type { ConditionResult } from './engine.ts';
import { recordFact } from './facts.service.ts';
import { FACT_KINDS, type FactKind } from './facts.vocabulary.ts';
import { loadPolicySet } from './policy.loader.ts';
import { decideReview, requestReview } from './review.service.ts';
import { applyToRound, approveRound, lodgeObjection, openRound, publishRound, roundList, scoreRound } from './round.service.ts';
import { simulatePolicy } from './simulation.service.ts';

function run<T>(cmd: Command, fn: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  const { dataDir } = cmd.optsWithGlobals<{ dataDir?: string }>();
  return withDatabase({ dataDir }, ({ db }) => fn({ db, actor: cliActor(), clock: systemClock }));
}

const json = () => new Option('--json', 'print JSON').default(false);

function conditionLine(c: ConditionResult, indent = '  '): string[] {
  const mark = c.status === 'met' ? '✓' : c.status === 'unmet' ? '✗' : '?';
  const lines = [`${indent}${mark} ${c.label} — ${c.rule}${c.actual !== null ? ` (is ${String(c.actual)})` : c.fact ? ' (unknown)' : ''} [${c.article}; ${c.verification}]`];
  for (const a of c.alternatives ?? []) lines.push(...conditionLine(a, `${indent}    `));
  return lines;
}

export function checkText(r: CheckResult): string {
  const out = [`${r.idNumber} in ${r.city.name ?? r.city.code} (${r.city.className ?? 'class unknown'}${r.city.urbanPopulation ? `, ${r.city.urbanPopulation.toLocaleString('en')} urban residents ${r.city.populationYear}` : ''}) on ${r.asOf}`];
  if (r.noPolicy) out.push(`  no policy applies: ${r.noPolicy.reason}`);
  for (const a of r.answers) {
    const e = a.evaluation;
    out.push('', `${a.name} [${a.policyVersion}] → ${e.outcome.toUpperCase()}${a.grants === 'services' ? ' (grants services, not hukou)' : ''}   decision ${a.decisionId}`);
    if (e.conditions.length) out.push(' conditions:', ...e.conditions.flatMap((c) => conditionLine(c)));
    if (e.vetoes.length) out.push(' vetoes:', ...e.vetoes.map((v) => `  ${v.status === 'met' ? '✗ VETO' : v.status === 'unmet' ? '✓ clear' : '? unknown'} ${v.label} [${v.article}]`));
    if (e.points) {
      out.push(` points: total ${e.points.total} (base ${e.points.base}; +${e.points.additions} −${e.points.deductions}${e.points.floorApplied ? ', floor 0 applied' : ''})`);
      for (const i of e.points.items) out.push(`  ${i.sign}${String(i.points).padStart(6)}  ${i.label}: ${i.explanation} [${i.status}]`);
    }
    if (e.threshold) out.push(` threshold: ${e.threshold.actual} of ${e.threshold.required} (${e.threshold.of}) → ${e.threshold.status}`);
    if (e.missing.length) out.push(' missing:', ...e.missing.map((m) => `  ${m.fact}: ${m.describe} (needed by ${m.neededBy.join(', ')})`));
  }
  return out.join('\n');
}

/** `hukou settle …`: settlement (落户) by city size — checks, department facts, reviews, rounds, simulations, policy files. */
export function registerSettlementCommands(program: Command): void {
  const settle = program.command('settle').description('settlement (落户): eligibility, facts, reviews, annual rounds, simulations, policy files');

  settle
    .command('check')
    .description('explain whether a person may settle in a city: conditions, points, what is missing')
    .argument('<idNumber>', 'resident ID number')
    .requiredOption('--city <code>', 'city division code, e.g. 110000')
    .option('--on <date>', 'as of this date (default today)')
    .option('--scheme <scheme>', 'only this scheme of the city')
    .addOption(json())
    .action(async (idNumber: string, opts: { city: string; on?: string; scheme?: string; json: boolean }, cmd: Command) => {
      const r = await run(cmd, (ctx) => checkSettlement(ctx, { idNumber, cityCode: opts.city, on: opts.on, scheme: opts.scheme, purpose: 'cli' }));
      const { personId: _internal, ...shown } = r;
      printResult(shown, opts.json, () => checkText(r));
    });

  const fact = settle.command('fact').description('department facts with their evidence');
  fact
    .command('add')
    .description(`record a fact (kinds: ${FACT_KINDS.join(', ')})`)
    .argument('<idNumber>', 'resident ID number')
    .requiredOption('--kind <kind>', 'fact kind')
    .requiredOption('--from <date>', 'period start (or the day of a record)')
    .option('--to <date>', 'period end (default open)')
    .option('--city <code>', 'city where it happened')
    .requiredOption('--value <json>', 'the fact, e.g. {"insurance":"pension"}')
    .requiredOption('--source <text>', 'department or document it comes from')
    .requiredOption('--evidence <text>', 'the evidence seen (certificate number …)')
    .option('--received <date>', 'day received (default today)')
    .addOption(json())
    .action(async (idNumber: string, opts: { kind: string; from: string; to?: string; city?: string; value: string; source: string; evidence: string; received?: string; json: boolean }, cmd: Command) => {
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(opts.value) as Record<string, unknown>;
      } catch {
        throw new AppError('VALIDATION_FAILED', '--value must be JSON, e.g. {"insurance":"pension"}.', { details: [{ field: 'value', code: 'JSON', message: 'not JSON' }] });
      }
      const r = await run(cmd, (ctx) => recordFact(ctx, { idNumber, kind: opts.kind as FactKind, periodFrom: opts.from, periodTo: opts.to ?? null, cityCode: opts.city ?? null, value, source: opts.source, evidence: opts.evidence, receivedOn: opts.received }));
      printResult(r, opts.json, () => `fact ${r.id}: ${r.kind} ${JSON.stringify(r.value)} ${r.periodFrom}…${r.periodTo ?? ''} (${r.source}; ${r.evidence})`);
    });

  settle
    .command('replay')
    .description('replay a stored decision through its policy version')
    .argument('<decisionId>')
    .addOption(json())
    .action(async (id: string, opts: { json: boolean }, cmd: Command) => {
      const r = await run(cmd, (ctx) => replayDecision(ctx, id));
      printResult(r, opts.json, () => `decision ${id} (${r.decision.policyVersion}): ${r.decision.outcome}; replay ${r.same ? 'gives the same answer' : r.policyChanged ? 'policy file changed since' : 'differs'}`);
    });

  const review = settle.command('review').description("officer's review of automated results (PIPL Art. 24)");
  review
    .command('request')
    .argument('<decisionId>')
    .requiredOption('--reason <text>', 'why a review is asked')
    .addOption(json())
    .action(async (decisionId: string, opts: { reason: string; json: boolean }, cmd: Command) => {
      const r = await run(cmd, (ctx) => requestReview(ctx, { decisionId, reason: opts.reason }));
      printResult(r, opts.json, () => `review ${r.id} requested`);
    });
  review
    .command('decide')
    .argument('<reviewId>')
    .addOption(new Option('--outcome <outcome>', 'upheld or changed').choices(['upheld', 'changed']).makeOptionMandatory())
    .requiredOption('--reason <text>', 'the officer\'s reasons')
    .addOption(json())
    .action(async (reviewId: string, opts: { outcome: 'upheld' | 'changed'; reason: string; json: boolean }, cmd: Command) => {
      const r = await run(cmd, (ctx) => decideReview(ctx, { reviewId, outcome: opts.outcome, reason: opts.reason }));
      printResult(r, opts.json, () => `review ${r.id}: ${r.outcome} by ${r.officerId}`);
    });

  const round = settle.command('round').description('annual rounds of points schemes');
  round
    .command('open')
    .requiredOption('--city <code>')
    .requiredOption('--scheme <scheme>')
    .requiredOption('--year <year>')
    .requiredOption('--opens <date>')
    .requiredOption('--closes <date>')
    .requiredOption('--collective <householdNumber>', "the city's collective household")
    .option('--quota <n>', 'places (default: the policy)')
    .addOption(json())
    .action(async (opts: { city: string; scheme: string; year: string; opens: string; closes: string; collective: string; quota?: string; json: boolean }, cmd: Command) => {
      const r = await run(cmd, (ctx) => openRound(ctx, { cityCode: opts.city, scheme: opts.scheme, year: Number(opts.year), opensOn: opts.opens, closesOn: opts.closes, collectiveHouseholdNumber: opts.collective, quota: opts.quota ? Number(opts.quota) : undefined }));
      printResult(r, opts.json, () => `round ${r.id}: ${r.cityCode}/${r.scheme} ${r.year}, quota ${r.quota}, ${r.opensOn}…${r.closesOn} [${r.policyVersion}]`);
    });
  round
    .command('apply')
    .argument('<roundId>')
    .argument('<idNumber>')
    .option('--household <number>', 'household to join (default the collective household)')
    .option('--relationship <code>', 'relationship to its head')
    .option('--family <idNumber:rel,…>', 'accompanying spouse and minor children')
    .addOption(json())
    .action(async (roundId: string, idNumber: string, opts: { household?: string; relationship?: string; family?: string; json: boolean }, cmd: Command) => {
      const family = (opts.family ?? '').split(',').filter(Boolean).map((s) => ({ idNumber: s.split(':')[0]!, relationship: s.split(':')[1] ?? '99' }));
      const r = await run(cmd, (ctx) => applyToRound(ctx, { roundId, idNumber, destinationHouseholdNumber: opts.household, relationship: opts.relationship, family }));
      printResult(r, opts.json, () => `application ${r.id} (decision ${r.decisionId})`);
    });
  for (const [name, fn] of [['score', scoreRound], ['publish', publishRound], ['approve', approveRound]] as const) {
    round
      .command(name)
      .argument('<roundId>')
      .addOption(json())
      .action(async (roundId: string, opts: { json: boolean }, cmd: Command) => {
        const r = await run(cmd, (ctx) => (fn as (c: ServiceContext, id: string) => Promise<unknown>)(ctx, roundId));
        printResult(r, opts.json, () => JSON.stringify(r, null, 2));
      });
  }
  round
    .command('list')
    .argument('<roundId>')
    .option('--limit <n>', 'rows', '50')
    .addOption(json())
    .action(async (roundId: string, opts: { limit: string; json: boolean }, cmd: Command) => {
      const r = await run(cmd, (ctx) => roundList(ctx, roundId, { limit: Number(opts.limit) }));
      printResult(r, opts.json, () => r.entries.map((e) => `${String(e.position).padStart(6)}  ${e.maskedIdNumber}  ${e.maskedName}  ${e.score}  ${e.admitted ? 'admitted' : ''}`).join('\n'));
    });
  round
    .command('object')
    .argument('<roundId>')
    .argument('<idNumber>')
    .requiredOption('--text <text>')
    .addOption(json())
    .action(async (roundId: string, idNumber: string, opts: { text: string; json: boolean }, cmd: Command) => {
      const r = await run(cmd, (ctx) => lodgeObjection(ctx, { roundId, idNumber, text: opts.text }));
      printResult(r, opts.json, () => `objection ${r.id} lodged ${r.lodgedOn}`);
    });

  settle
    .command('simulate')
    .description('what if: --insurance-months N, --quota Q, --next-class; counts by district and origin province (read-only)')
    .requiredOption('--city <code>')
    .option('--on <date>')
    .option('--insurance-months <n>')
    .option('--quota <n>')
    .option('--next-class', 'as if the city were in the next class up', false)
    .option('--class <class>', 'the class to assume for a city without a stored one')
    .addOption(json())
    .action(async (opts: { city: string; on?: string; insuranceMonths?: string; quota?: string; nextClass: boolean; class?: string; json: boolean }, cmd: Command) => {
      const r = await run(cmd, (ctx) =>
        simulatePolicy(ctx, { cityCode: opts.city, on: opts.on, socialInsuranceMonths: opts.insuranceMonths ? Number(opts.insuranceMonths) : undefined, quota: opts.quota ? Number(opts.quota) : undefined, nextClass: opts.nextClass, cityClass: opts.class as never }),
      );
      printResult(r, opts.json, () =>
        [
          `${r.cityCode} on ${r.asOf}: ${r.residents} residents away from their hukou; ${r.baselineCount} under ${r.baseline.policyVersion}, ${r.variantCount} with ${r.variant.changes.join(', ')}: ${r.newly} newly`,
          ' by district:', ...r.byDistrict.map((g) => `  ${g.code}  ${g.baseline} → ${g.variant} (+${g.newly})`),
          ' by origin province:', ...r.byOriginProvince.map((g) => `  ${g.code}  ${g.baseline} → ${g.variant} (+${g.newly})`),
        ].join('\n'),
      );
    });

  const policy = settle.command('policy').description('policy files (data/settlement)');
  policy
    .command('check')
    .description('validate every policy file; exit 1 and print file:line for each problem')
    .option('--dir <dir>', 'another data/settlement directory')
    .addOption(json())
    .action((opts: { dir?: string; json: boolean }) => {
      const set = loadPolicySet(opts.dir);
      const versions = [...set.byCity.values()].flatMap((s) => [...s.values()].flat()).concat([...set.byClass.values()].flat());
      printResult({ issues: set.issues, versions: versions.map((v) => ({ version: v.versionId, file: v.file, endsOn: v.endsOn })) }, opts.json, () =>
        [...versions.map((v) => `ok  ${v.versionId}${v.endsOn ? ` (until ${v.endsOn})` : ''}`), ...set.issues.map((i) => `${i.file}:${i.line}: ${i.message} (${i.pointer || '/'})`)].join('\n'),
      );
      if (set.issues.length) process.exitCode = 1;
    });
}
