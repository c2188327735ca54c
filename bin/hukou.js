#!/usr/bin/env node
// Entry point for `npx hukou` / `npm start`. The TypeScript CLI is compiled once with esbuild into
// one ES module under node_modules/.cache/hukou/, named by a hash of the sources, and that file is
// run: the first call after an edit (or a fresh install) compiles in about a second, every other
// call starts at Node's own speed. No manual build step. If compiling is impossible (esbuild
// missing, cache not writable anywhere), the sources run through tsx's loader as before.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// src/platform/paths.ts reads this: the compiled file does not sit two levels below the repository root
globalThis.hukouRepoRoot = root;

/** Hash of every file the compiled CLI is made of (sources, this entry, the package manifest). */
function sourceHash() {
  const h = createHash('sha256');
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) h.update(p.slice(root.length)).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  walk(join(root, 'src'));
  h.update(readFileSync(fileURLToPath(import.meta.url))).update(readFileSync(join(root, 'package.json')));
  return h.digest('hex').slice(0, 16);
}

async function compiled() {
  const hash = sourceHash();
  const dirs = [join(root, 'node_modules', '.cache', 'hukou'), join(tmpdir(), `hukou-cli-${createHash('sha256').update(root).digest('hex').slice(0, 8)}`)];
  for (const dir of dirs) {
    const file = join(dir, `cli-${hash}`, 'cli.js');
    if (existsSync(file)) return file;
  }
  const { build } = await import('esbuild');
  for (const dir of dirs) {
    const file = join(dir, `cli-${hash}`);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(dir, { recursive: true });
      await build({
        entryPoints: [join(root, 'src', 'app', 'cli.ts')],
        outdir: tmp,
        bundle: true,
        splitting: true, // `serve` (the HTTP stack) is its own chunk, loaded only when serving
        entryNames: 'cli',
        packages: 'external', // node_modules stay imports, resolved from the cache dir upwards
        platform: 'node',
        format: 'esm',
        target: 'node20',
        sourcemap: true,
        logLevel: 'error',
      });
      writeFileSync(join(tmp, 'package.json'), '{"type":"module"}\n');
      try {
        renameSync(tmp, file); // atomic: a concurrent first run sees a whole directory or none
      } catch (e) {
        if (!existsSync(join(file, 'cli.js'))) throw e; // else a concurrent first run got there first
        rmSync(tmp, { recursive: true, force: true });
      }
      for (const old of readdirSync(dir)) if (old.startsWith('cli-') && old !== `cli-${hash}` && !old.endsWith('.tmp')) rmSync(join(dir, old), { recursive: true, force: true });
      return join(file, 'cli.js');
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      if (dir === dirs[dirs.length - 1]) throw e;
    }
  }
}

let cli;
try {
  cli = await import(pathToFileURL(await compiled()).href);
} catch (e) {
  if (process.env.HUKOU_DEBUG_CLI_BUILD) console.error('hukou: compiling the CLI failed, running the sources through tsx:', e);
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/app/cli.ts');
}
// Called, not run on import: through `npx hukou` this file is reached by a symlink
// (node_modules/.bin/hukou), so the CLI module cannot tell from process.argv that it is the entry.
cli.runCli();
