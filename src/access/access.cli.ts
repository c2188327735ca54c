import type { Command } from 'commander';
import { printResult } from '../platform/cli/output.ts';
import { withDatabase } from '../platform/cli/runtime.ts';
import { loadConfig } from '../platform/config.ts';
import type { DatabaseHandle } from '../platform/db/database.ts';
import { systemClock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import { cliActor } from './actor.ts';
import { findAccountByUsername } from './access.queries.ts';
import { createAccount, resetPassword, unlockAccount } from './accounts.service.ts';
import { seedDemoAccounts } from './demo-accounts.ts';
import { useSecretKeyOf } from './secret-box.ts';
import { issueApiToken } from './auth.service.ts';
import { ACCOUNT_ROLES, type AccountRole } from './roles.ts';
import { totpCode } from './totp.ts';

export function registerAccessCommands(program: Command): void {
  const account = program.command('account').description('accounts: bootstrap administrators, recover locked-out accounts');
  const global = () => ({ dataDir: program.opts<{ dataDir?: string }>().dataDir });
  /** The database, with the key that seals TOTP secrets (the same one `serve` uses: docs/access.md). */
  const withKeyedDatabase = <T>(fn: (handle: DatabaseHandle) => Promise<T>): Promise<T> => {
    useSecretKeyOf(loadConfig(global()).dataDir);
    return withDatabase(global(), fn);
  };

  async function accountId(db: Parameters<typeof findAccountByUsername>[0], username: string): Promise<number> {
    const a = await findAccountByUsername(db, username.toLowerCase());
    if (!a) throw new AppError('ACCOUNT_NOT_FOUND', `No account named ${username}.`);
    return a.id;
  }

  account
    .command('create')
    .description('create an account as the local operator; prints its first password (and TOTP secret) once')
    .requiredOption('--username <name>', 'login name (3-64 of a-z 0-9 . _ -)')
    .requiredOption('--role <role>', ACCOUNT_ROLES.join(' | '))
    .option('--authority <id>', 'authority id, e.g. county-110105 (officers, statisticians, administrators)')
    .option('--display-name <name>', 'shown name (default: the username)')
    .option('--person <idNumber>', 'citizens: the ID number of their person record')
    .option('--json', 'print JSON', false)
    .action(async (opts: { username: string; role: string; authority?: string; displayName?: string; person?: string; json: boolean }) => {
      if (!(ACCOUNT_ROLES as readonly string[]).includes(opts.role)) throw new AppError('ACCOUNT_INVALID', `Unknown role ${opts.role}; use one of ${ACCOUNT_ROLES.join(', ')}.`);
      await withKeyedDatabase(async ({ db }) => {
        const created = await createAccount(
          { db, clock: systemClock, actor: cliActor() },
          { username: opts.username, displayName: opts.displayName ?? opts.username, role: opts.role as AccountRole, authorityId: opts.authority, personIdNumber: opts.person },
        );
        printResult(created, opts.json, () =>
          [
            `created ${created.account.username} (${created.account.role} at ${created.account.authorityId}, id ${created.account.id})`,
            created.initialPassword ? `  first password: ${created.initialPassword}   (must be changed at first login)` : '  no password: issue an API token (POST /api/v1/accounts/{id}/tokens)',
            ...(created.totp ? [`  TOTP secret:    ${created.totp.secret}`, `  TOTP URI:       ${created.totp.uri}`] : []),
          ].join('\n'),
        );
      });
    });

  account
    .command('reset-password')
    .description('set a temporary password (and optionally a new TOTP secret); ends the account\'s sessions')
    .argument('<username>')
    .option('--reset-second-factor', 'also issue a new TOTP secret', false)
    .option('--json', 'print JSON', false)
    .action(async (username: string, opts: { resetSecondFactor: boolean; json: boolean }) => {
      await withKeyedDatabase(async ({ db }) => {
        const ctx = { db, clock: systemClock, actor: cliActor() };
        const r = await resetPassword(ctx, await accountId(db, username), { resetSecondFactor: opts.resetSecondFactor });
        printResult(r, opts.json, () => [`temporary password for ${username}: ${r.temporaryPassword}`, ...(r.totp ? [`new TOTP secret: ${r.totp.secret}`] : [])].join('\n'));
      });
    });

  account
    .command('unlock')
    .description('lift an administrator lock or a backoff lock')
    .argument('<username>')
    .action(async (username: string) => {
      await withKeyedDatabase(async ({ db }) => {
        const ctx = { db, clock: systemClock, actor: cliActor() };
        const a = await unlockAccount(ctx, await accountId(db, username));
        process.stdout.write(`${a.username} is ${a.status}\n`);
      });
    });

  account
    .command('token')
    .description('issue an API token for an account (scripts, department systems); printed once, stored hashed')
    .argument('<username>')
    .option('--name <label>', 'what the token is for', 'cli')
    .option('--days <n>', 'expires after n days (default: 90; 0 = never)', '90')
    .option('--json', 'print JSON', false)
    .action(async (username: string, opts: { name: string; days: string; json: boolean }) => {
      const days = Number(opts.days);
      if (!Number.isInteger(days) || days < 0) throw new AppError('VALIDATION_FAILED', `--days must be a whole number of days (0 = never), got ${opts.days}.`);
      await withKeyedDatabase(async ({ db }) => {
        const issued = await issueApiToken(
          { db, clock: systemClock },
          { accountId: await accountId(db, username), name: opts.name, expiresInDays: days === 0 ? null : days, issuedBy: cliActor().id },
        );
        printResult(issued, opts.json, () => `${issued.token}
  (for ${username}; ${issued.expiresAt ? `expires ${issued.expiresAt}` : 'never expires'}; shown once)`);
      });
    });

  account
    .command('demo')
    .description('create the demo accounts (idempotent) and print their credentials')
    .option('--json', 'print JSON', false)
    .action(async (opts: { json: boolean }) => {
      await withKeyedDatabase(async ({ db }) => {
        const demo = await seedDemoAccounts(db);
        printResult(demo, opts.json, () => formatDemoAccounts(demo));
      });
    });

  account
    .command('totp-code')
    .description('print the current TOTP code for a base32 secret (for the demo accounts; use an authenticator app otherwise)')
    .argument('<secret>')
    .action((secret: string) => {
      process.stdout.write(`${totpCode(secret, new Date())}\n`);
    });
}

/** The demo credentials as a table for the console (what `npm start` prints). */
export function formatDemoAccounts(demo: Awaited<ReturnType<typeof seedDemoAccounts>>): string {
  const rows = demo.map(
    (d) =>
      `  ${d.username.padEnd(23)} ${d.role.padEnd(21)} ${d.authorityId.padEnd(18)} ${(d.password ?? `token ${d.apiToken ?? ''}`).padEnd(24)}${d.totpSecret ? ` TOTP ${d.totpSecret}` : ''}` +
      (d.role === 'citizen' ? (d.personId ? ` person ${d.personId}` : ' (not linked: the register is empty)') : ''),
  );
  return [
    'Demo accounts (public demo credentials; TOTP codes: `hukou account totp-code <secret>`):',
    `  ${'username'.padEnd(23)} ${'role'.padEnd(21)} ${'authority'.padEnd(18)} password`,
    ...rows,
  ].join('\n');
}
