import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
import { ANCHOR_FILE, newestAnchors, readAnchors, type Anchor } from './anchor.ts';

/** Anchors from the given files, plus the data directory's own anchor file when there is one. */
function anchorsFrom(dataDir: string, files: string[]): Anchor[] {
  const local = join(dataDir, ANCHOR_FILE);
  const all = [...files, ...(existsSync(local) && !files.includes(local) ? [local] : [])];
  return all.flatMap((file) => {
    if (!existsSync(file)) throw new AppError('NOT_FOUND', `No anchor file ${file}.`);
    const { anchors, unreadableLines } = readAnchors(file);
    if (unreadableLines.length) process.stderr.write(`warning: ${file}: unreadable anchor lines ${unreadableLines.join(', ')}\n`);
    return anchors;
  });
}

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
    .option('--anchor <file>', 'anchor or witness file (`audit checkpoint export`) to compare against; repeatable. The data directory\'s anchor file is always included', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--json', 'print JSON', false)
    .action(async (opts: { json: boolean; publicKey?: string; anchor: string[] }) => {
      await withDatabase(global(), async ({ db }) => {
        const dataDir = loadConfig(global()).dataDir;
        const keys = trustedKeys(dataDir, opts.publicKey);
        const report = await verifyAccessLog(db, { publicKeys: keys, anchors: anchorsFrom(dataDir, opts.anchor) });
        printResult(report, opts.json, () => {
          const lines = report.chains.map(
            (c) =>
              `chain ${c.chain}: ${c.entries} entries, head ${c.headSeq ?? 'missing'}, ${c.checkpointsVerified}/${c.checkpoints} checkpoints verified (last at ${c.lastCheckpointSeq ?? '–'}), ` +
              (c.anchorSeq === null ? 'no anchor given' : `anchored at ${c.anchorSeq}`),
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

  const checkpoint = audit
    .command('checkpoint')
    .description('sign a checkpoint at the head of the access log now (also appended to the anchor file)')
    .option('--chain <name>', 'chain to sign', 'main')
    .option('--json', 'print JSON', false)
    .action(async (opts: { chain: string; json: boolean }) => {
      await withDatabase(global(), async ({ db }) => {
        const dataDir = loadConfig(global()).dataDir;
        const signer = loadSigningKey({ dataDir, create: true });
        if (!signer) throw new AppError('AUDIT_KEY_INVALID', 'No audit signing key is available.');
        const signed = await signHead(db, signer, opts.chain, systemClock.now(), join(dataDir, ANCHOR_FILE));
        printResult({ chain: opts.chain, seq: signed?.seq ?? null, keyId: signer.keyId }, opts.json, () =>
          signed ? `checkpoint signed at ${opts.chain}:${signed.seq} with key ${signer.keyId}` : `chain ${opts.chain} is empty: nothing to sign`,
        );
      });
    });

  checkpoint
    .command('export')
    .description('write the newest anchor of each chain (from the data directory\'s anchor file) to a witness file kept away from the database')
    .option('--out <file>', 'witness file to write (default: standard output)')
    .option('--public-key <file>', 'PEM file of trusted checkpoint public keys (default: the configured key)')
    .option('--json', 'print JSON', false)
    .action((opts: { out?: string; publicKey?: string; json: boolean }) => {
      const dataDir = loadConfig(global()).dataDir;
      const file = join(dataDir, ANCHOR_FILE);
      if (!existsSync(file)) throw new AppError('NOT_FOUND', `No anchor file in ${dataDir}: no checkpoint has been signed there yet (run \`hukou audit checkpoint\`).`);
      const newest = [...newestAnchors(readAnchors(file).anchors, trustedKeys(dataDir, opts.publicKey)).values()];
      if (newest.length === 0) throw new AppError('NOT_FOUND', `${file} holds no anchor signed by a trusted key.`);
      const text = newest.map((a) => `${JSON.stringify(a)}\n`).join('');
      if (!opts.out) {
        process.stdout.write(text);
        return;
      }
      writeFileSync(opts.out, text, { mode: 0o644 });
      printResult({ out: opts.out, anchors: newest }, opts.json, () => newest.map((a) => `anchor ${a.chain}:${a.seq} (signed ${a.signedAt}) written to ${opts.out}`).join('\n'));
    });
}
