/**
 * Start-up time of the CLI: wall time of `hukou id check <number>` (a command that needs no
 * database) next to `node -e ''` as the raw baseline, both as fresh processes. The first call
 * after an edit compiles the sources (bin/hukou.js) and is measured apart.
 *
 * Run alone: node bin/run-ts.js bench/cli.bench.ts
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { repoPath } from '../src/platform/paths.ts';
import { median, type BenchResult } from './result.ts';

const ROUNDS = 11;

function wallMs(args: string[]): number {
  const t0 = process.hrtime.bigint();
  try {
    execFileSync(process.execPath, args, { stdio: 'ignore', env: { ...process.env, LOG_LEVEL: 'warn' } });
  } catch (e) {
    // `id check` of an invalid number exits 1: still a full start, run and exit
    if ((e as { status?: number }).status !== 1) throw e;
  }
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function run(): Promise<BenchResult[]> {
  const cli = [repoPath('bin', 'hukou.js'), 'id', 'check', '11010519491231002X'];
  rmSync(repoPath('node_modules', '.cache', 'hukou'), { recursive: true, force: true });
  const firstRun = wallMs(cli); // compiles into node_modules/.cache/hukou
  const base: number[] = [];
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    base.push(wallMs(['-e', '']));
    times.push(wallMs(cli));
  }
  const baseline = median(base);
  process.stderr.write(`   first run (compiles): ${firstRun.toFixed(0)} ms; node -e '' ${baseline.toFixed(0)} ms; hukou id check ${median(times).toFixed(0)} ms\n`);
  return [
    { name: '`hukou id check` wall time (compiled CLI)', median: median(times), unit: 'ms', baseline, note: `baseline: \`node -e ''\`; ${ROUNDS} runs each` },
    { name: '`hukou id check` first run after an edit (compiles)', median: firstRun, unit: 'ms', baseline, note: 'one run' },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await run()) console.log(`${r.name}: ${r.median.toFixed(0)} ${r.unit} (baseline ${r.baseline?.toFixed(0)} ms)`);
}
