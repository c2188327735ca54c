import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { cliActor, useSecretKeyOf } from '../access/index.ts';
import { loadConfig } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import { EXIT } from '../platform/cli/exit-codes.ts';
import { printResult } from '../platform/cli/output.ts';
import { withDatabase } from '../platform/cli/runtime.ts';
import { systemClock } from '../platform/clock.ts';
import { currentTrustList, listSigningKeys, rotateSigningKey } from './keys.service.ts';
import { configuredAlgorithm, type Algorithm } from './signature.ts';
import type { StatusList } from './status-list.ts';
import { verifyOffline, type VerificationResult } from './verify.ts';

/** The database, with the secret key that seals the private signing keys (as `serve` uses it). */
function withKeys<T>(cmd: Command, fn: (db: Db) => Promise<T>): Promise<T> {
  const { dataDir } = cmd.optsWithGlobals<{ dataDir?: string }>();
  useSecretKeyOf(loadConfig({ dataDir }).dataDir);
  return withDatabase({ dataDir }, ({ db }) => fn(db));
}

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${what} ${path} is not readable JSON: ${(e as Error).message}`);
  }
}

/** A QR text given inline, or a file holding it (the QR text, or a certificate's JSON with `qrText`). */
function qrTextOf(arg: string): string {
  if (arg.trim().toUpperCase().startsWith('HKC1:') || !existsSync(arg)) return arg.trim();
  const text = readFileSync(arg, 'utf8').trim();
  if (text.startsWith('{')) {
    const j = JSON.parse(text) as { qrText?: unknown };
    if (typeof j.qrText === 'string') return j.qrText;
  }
  return text;
}

const STATUS_TEXT: Record<VerificationResult['status'], string> = {
  genuine: '真实有效 genuine',
  revoked: '已撤销 REVOKED',
  expired: '已过期 EXPIRED',
  unknown: '无法确认 UNKNOWN',
  tampered: '被篡改或无效 TAMPERED',
};

function resultText(r: VerificationResult): string {
  const lines = [`${STATUS_TEXT[r.status]} (${r.reason})`];
  if (r.certificate) {
    const c = r.certificate;
    lines.push(`  ${c.number} ${c.kind}, issued ${c.issuedAt} by ${c.issuingAuthorityId}, valid until ${c.validUntil}, key ${c.keyId} (${c.algorithm})`);
    for (const [k, v] of Object.entries(c.facts ?? {})) lines.push(`  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  lines.push(r.revocationChecked ? `  revocation checked${r.statusListStale ? ' (status list is stale: fetch a new one)' : ''}` : '  revocation NOT checked (give --status-list)');
  return lines.join('\n');
}

/** `hukou cert …`: offline verification with published keys, signing key rotation, trust list export. */
export function registerCertificateCommands(program: Command): void {
  const cert = program.command('cert').description('electronic household certificates (户籍证明): verify offline, signing keys, trust list');

  cert
    .command('verify')
    .description('verify a certificate OFFLINE against a trust list (and a status list for revocation); exit 0 only when genuine')
    .argument('<file-or-qr-text>', 'the QR text (HKC1:…), or a file holding it or a certificate JSON')
    .option('--trust-list <file>', 'the published trust list (GET /api/v1/public/certificates/trust-list); default: this installation\'s keys')
    .option('--status-list <file>', 'the published status list (GET /api/v1/public/certificates/status-list)')
    .addOption(new Option('--json', 'print JSON').default(false))
    .action(async (arg: string, opts: { trustList?: string; statusList?: string; json: boolean }, cmd: Command) => {
      const trustList = opts.trustList ? readJson(opts.trustList, 'trust list') : await withKeys(cmd, (db) => currentTrustList(db, systemClock.now()));
      const statusList = opts.statusList ? (readJson(opts.statusList, 'status list') as StatusList) : null;
      const r = verifyOffline(qrTextOf(arg), trustList, statusList);
      printResult(r, opts.json, () => resultText(r));
      if (r.status !== 'genuine') process.exitCode = EXIT.NO;
    });

  const keys = cert.command('keys').description('certificate signing keys');
  keys
    .command('list')
    .description('every signing key, in use and retired')
    .addOption(new Option('--json', 'print JSON').default(false))
    .action(async (opts: { json: boolean }, cmd: Command) => {
      const list = await withKeys(cmd, (db) => listSigningKeys(db));
      printResult(list, opts.json, () => (list.length ? list.map((k) => `${k.keyId}  ${k.algorithm.padEnd(7)}  from ${k.validFrom}  ${k.retiredAt ? `retired ${k.retiredAt}` : 'IN USE'}`).join('\n') : 'no keys yet (the first certificate creates one)'));
    });
  keys
    .command('rotate')
    .description('retire the key in use and start a new one (certificates signed before stay verifiable)')
    .addOption(new Option('--algorithm <alg>', 'algorithm of the new key (default HUKOU_CERT_ALGORITHM or sm2)').choices(['sm2', 'ed25519']))
    .addOption(new Option('--json', 'print JSON').default(false))
    .action(async (opts: { algorithm?: string; json: boolean }, cmd: Command) => {
      const algorithm: Algorithm = opts.algorithm ? configuredAlgorithm({ HUKOU_CERT_ALGORITHM: opts.algorithm }) : configuredAlgorithm();
      const r = await withKeys(cmd, (db) => rotateSigningKey({ db, actor: cliActor(), clock: systemClock }, algorithm));
      printResult(r, opts.json, () => `${r.retired ? `retired ${r.retired}; ` : ''}in use: ${r.active.keyId} (${r.active.algorithm})`);
    });

  cert
    .command('trust-list')
    .description('the published trust list')
    .command('export')
    .description('write the trust list (every key, with validity; hash-pinned and signed) to a file')
    .argument('<file>', 'where to write it')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const list = await withKeys(cmd, (db) => currentTrustList(db, systemClock.now()));
      writeFileSync(file, `${JSON.stringify(list, null, 2)}\n`);
      process.stdout.write(`wrote ${list.keys.length} key(s) to ${file}; digest ${list.digest}\n`);
    });
}
