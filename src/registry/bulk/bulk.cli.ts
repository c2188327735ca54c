import { Command, InvalidArgumentError, Option } from 'commander';
import { cliActor } from '../../access/index.ts';
import { printResult } from '../../platform/cli/output.ts';
import { withDatabase } from '../../platform/cli/runtime.ts';
import { exportRegister } from './export.service.ts';
import { importFile, type ImportSummary } from './import.service.ts';
import { progressBar } from './progress.ts';
import { DEFAULT_SEED, seedPopulation, type SeedSummary } from './seed.service.ts';

function wholeNumber(min: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number ≥ ${min}`);
    return n;
  };
}

function integer(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n;
}

const json = () => new Option('--json', 'print JSON').default(false);

function seedText(s: SeedSummary): string {
  return [
    `seeded ${s.people.toLocaleString('en')} people in ${s.households.toLocaleString('en')} households (seed ${s.seed}, ages as of ${s.asOf})`,
    `  ${s.events.toLocaleString('en')} events, ${s.residenceRegistrations.toLocaleString('en')} residence registrations`,
    `  person ids ${s.firstPersonId ?? '-'}…${s.lastPersonId ?? '-'}; ${s.seconds.toFixed(1)} s, ${s.rowsPerSecond.toLocaleString('en')} rows/s` +
      `${s.triggersOff ? ' (triggers off, invariants re-checked set-wise)' : ''}`,
  ].join('\n');
}

function importText(s: ImportSummary): string {
  const lines = [
    s.alreadyCompleted
      ? `${s.file}: already imported completely (job ${s.jobId}); nothing to do`
      : `${s.file}: ${s.resumed ? `resumed job ${s.jobId} after row ${s.resumedAfterRow}; ` : `job ${s.jobId}: `}` +
        `${s.rows.toLocaleString('en')} rows read, ${s.imported.toLocaleString('en')} imported, ${s.unchanged.toLocaleString('en')} already registered, ${s.rejected.toLocaleString('en')} rejected`,
  ];
  if (!s.alreadyCompleted) lines.push(`  ${s.batches} batches, ${s.seconds.toFixed(1)} s, ${s.rowsPerSecond.toLocaleString('en')} rows/s`);
  if (s.report) lines.push(`  report: ${s.report} (${s.issues} issues)`);
  else if (s.issues > 0) lines.push(`  ${s.issues} issues; write them with --report <file.csv|file.ndjson>`);
  return lines.join('\n');
}

/** `hukou seed`, `hukou import`, `hukou export`: the register in bulk. */
export function registerBulkCommands(program: Command): void {
  program
    .command('seed')
    .description('add a synthetic population: census-like households, names, ethnicities, ID numbers, events (deterministic per --seed)')
    .requiredOption('--people <n>', 'how many people to add', wholeNumber(0))
    .option('--seed <n>', 'random seed: the same seed gives the same people', integer, DEFAULT_SEED)
    .option('--as-of <date>', 'count ages to this day, YYYY-MM-DD (default: today in China)')
    .addOption(json())
    .action(async (opts: { people: number; seed: number; asOf?: string; json: boolean }, cmd: Command) => {
      const { dataDir } = cmd.optsWithGlobals<{ dataDir?: string }>();
      await withDatabase({ dataDir }, async (handle) => {
        const bar = progressBar('seed', 'people', !opts.json);
        try {
          const summary = await seedPopulation(handle, {
            people: opts.people, seed: opts.seed, asOf: opts.asOf, actorId: cliActor().id, onProgress: (d, t) => bar.update(d, t),
          });
          bar.stop();
          printResult(summary, opts.json, () => seedText(summary));
        } finally {
          bar.stop();
        }
      });
    });

  program
    .command('import')
    .description('import persons and households from an NDJSON or CSV file (docs/import-format.md): validated, batched, resumable')
    .argument('<file>', 'file.ndjson, file.jsonl or file.csv')
    .option('--report <file>', 'write every rejected row\'s problems here (.csv or .ndjson)')
    .option('--batch <n>', 'rows per transaction', wholeNumber(1), 5000)
    .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(['ndjson', 'csv']))
    .addOption(json())
    .action(async (file: string, opts: { report?: string; batch: number; format?: 'ndjson' | 'csv'; json: boolean }, cmd: Command) => {
      const { dataDir } = cmd.optsWithGlobals<{ dataDir?: string }>();
      await withDatabase({ dataDir }, async (handle) => {
        const bar = progressBar('import', 'bytes', !opts.json);
        try {
          const summary = await importFile(handle, {
            file, format: opts.format, batchSize: opts.batch, reportFile: opts.report, actorId: cliActor().id,
            onProgress: (done, total) => bar.update(done, total),
          });
          bar.stop();
          printResult(summary, opts.json, () => importText(summary));
          if (summary.rejected > 0) process.exitCode = 1;
        } finally {
          bar.stop();
        }
      });
    });

  program
    .command('export')
    .description('stream the register out in the import format (NDJSON or CSV), to a file or stdout')
    .addOption(new Option('--format <format>', 'output format').choices(['ndjson', 'csv']).default('ndjson'))
    .option('--out <file>', 'write here instead of stdout')
    .action(async (opts: { format: 'ndjson' | 'csv'; out?: string }, cmd: Command) => {
      const { dataDir } = cmd.optsWithGlobals<{ dataDir?: string }>();
      await withDatabase({ dataDir }, async (handle) => {
        const summary = await exportRegister(handle, { format: opts.format, out: opts.out });
        if (opts.out) process.stderr.write(`exported ${summary.rows.toLocaleString('en')} persons to ${opts.out} in ${summary.seconds.toFixed(1)} s\n`);
      });
    });
}
