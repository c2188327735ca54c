import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { Command } from 'commander';
import { EXIT } from '../platform/cli/exit-codes.ts';
import { printResult } from '../platform/cli/output.ts';
import { withDatabase } from '../platform/cli/runtime.ts';
import { systemClock } from '../platform/clock.ts';
import { loadConfig } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { loadSigningKey, PUBLIC_KEY_FILE, publicKeysFromPem } from './signing.ts';
import { verifyAccessLog } from './verify.ts';
import { signHead } from './writer.ts';

/** Trusted checkpoint keys: `--public-key` file, else the configured signing key, else the data directory's public key file. */
function trustedKeys(dataDir: string, publicKeyFile: string | undefined): Map<string, KeyObject> {
  if (publicKeyFile) return publicKeysFromPem(readFileSync(publicKeyFile, 'utf8'));
  const signer = loadSigningKey({ dataDir, create: false });
  if (signer) return new Map([[signer.keyId, signer.publicKey]]);
  const pub = join(dataDir, PUBLIC_KEY_FILE);
  return existsSync(pub) ? publicKeysFromPem(readFileSync(pub, 'utf8')) : new Map();
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident access log');
  const global = () => ({ dataDir: program.opts<{ dataDir?: string }>().dataDir });

  audit
    .command('verify')
    .description('check the whole access-log hash chain and its signed checkpoints; exit 1 at the first bad entry')
    .option('--public-key <file>', 'PEM file of trusted checkpoint public keys (default: the configured key)')
    .option('--json', 'print JSON', false)
    .action(async (opts: { json: boolean; publicKey?: string }) => {
      await withDatabase(global(), async ({ db }) => {
        const keys = trustedKeys(loadConfig(global()).dataDir, opts.publicKey);
        const report = await verifyAccessLog(db, { publicKeys: keys });
        printResult(report, opts.json, () => {
          const lines = report.chains.map(
            (c) => `chain ${c.chain}: ${c.entries} entries, head ${c.headSeq ?? 'missing'}, ${c.checkpointsVerified}/${c.checkpoints} checkpoints verified (last at ${c.lastCheckpointSeq ?? '–'})`,
          );
          for (const p of report.problems) lines.push(`  ${p.kind} at ${p.chain}:${p.seq}: ${p.message}`);
          lines.push(report.ok ? 'access log intact' : `ACCESS LOG BROKEN: first bad sequence number ${report.firstBadSeq}`);
          return lines.join('\n');
        });
        if (!report.ok) {
          process.stderr.write(`error ACCESS_LOG_BROKEN: first bad sequence number ${report.firstBadSeq}\n`);
          process.exitCode = EXIT.NO;
        }
      });
    });

  audit
    .command('checkpoint')
    .description('sign a checkpoint at the head of the access log now')
    .option('--chain <name>', 'chain to sign', 'main')
    .option('--json', 'print JSON', false)
    .action(async (opts: { chain: string; json: boolean }) => {
      await withDatabase(global(), async ({ db }) => {
        const signer = loadSigningKey({ dataDir: loadConfig(global()).dataDir, create: true });
        if (!signer) throw new AppError('AUDIT_KEY_INVALID', 'No audit signing key is available.');
        const signed = await signHead(db, signer, opts.chain, systemClock.now());
        printResult({ chain: opts.chain, seq: signed?.seq ?? null, keyId: signer.keyId }, opts.json, () =>
          signed ? `checkpoint signed at ${opts.chain}:${signed.seq} with key ${signer.keyId}` : `chain ${opts.chain} is empty: nothing to sign`,
        );
      });
    });
}
