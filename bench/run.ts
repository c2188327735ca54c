/**
 * `npm run bench [-- name… [--scale N] [--write]]`: runs every bench/*.bench.ts (or those whose file
 * name contains one of the given words, e.g. `npm run bench -- http`), prints each figure with its ratio to the raw baseline measured in the same
 * run, and with `--write` records them in docs/benchmarks.md. Benchmarks are not tests: nothing here
 * passes or fails on a time.
 */
import { composeModules } from '../src/app/compose.ts';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoPath } from '../src/platform/paths.ts';
import type { BenchResult } from './result.ts';

composeModules();
const args = process.argv.slice(2);
const write = args.includes('--write');
// `--scale N`: the register size of the benchmarks that take one (http.bench.ts reads it from argv)
const scaleAt = args.indexOf('--scale');
const filters = args.filter((a, i) => !a.startsWith('--') && !(scaleAt >= 0 && i === scaleAt + 1));
const dir = repoPath('bench');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

const rows: (BenchResult & { file: string })[] = [];
for (const file of files) {
  process.stderr.write(`\n== ${file}\n`);
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { run?: () => Promise<BenchResult[]> };
  if (typeof mod.run !== 'function') {
    process.stderr.write(`   (no run() export, skipped)\n`);
    continue;
  }
  for (const r of await mod.run()) rows.push({ ...r, file });
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3));
const lines = rows.map((r) => {
  const ratio = r.baseline ? ` | ${(r.median / r.baseline).toFixed(2)}` : ' | –';
  const base = r.baseline ? fmt(r.baseline) : '–';
  return `| ${r.name} | ${fmt(r.median)} ${r.unit} | ${base} | ${ratio.slice(3)} | ${r.note ?? ''} |`;
});
const table = ['| benchmark | median | raw baseline (same run) | ratio | note |', '|---|---|---|---|---|', ...lines].join('\n');
process.stdout.write(`\n${table}\n`);

if (write) {
  const path = repoPath('docs', 'benchmarks.md');
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
  const stamp = `<!-- bench:start -->\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machine} by \`npm run bench -- --write\`.\n\n${table}\n<!-- bench:end -->`;
  const old = readFileSync(path, 'utf8');
  writeFileSync(path, old.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, stamp));
  process.stderr.write(`\nrecorded in ${path}\n`);
}
