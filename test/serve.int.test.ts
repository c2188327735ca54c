import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoPath } from '../src/platform/paths.ts';
import { freePort } from './net.ts';


async function waitFor(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early with ${child.exitCode}`);
    try {
      return await fetch(url);
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`no answer from ${url}`);
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** `hukou db status --json` on the same data directory: it reuses the cluster the server runs. */
async function migrationTimes(): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [repoPath('bin', 'hukou.js'), 'db', 'status', '--json', '--data-dir', dataDir], {
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn' },
  });
  return (JSON.parse(stdout) as { appliedAt: string }[]).map((m) => m.appliedAt);
}

const dataDir = mkdtempSync(join(tmpdir(), 'hukou-serve-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** `hukou serve --migrate` on its own embedded PostgreSQL, exactly as `npm start` runs it (without the demo data). */
async function startServer(): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const [port, pgPort] = [await freePort(), await freePort()];
  let out = '';
  const child = spawn(process.execPath, [repoPath('bin', 'hukou.js'), 'serve', '--migrate', '--port', String(port), '--data-dir', dataDir], {
    env: { ...process.env, DATABASE_URL: '', HUKOU_PG_PORT: String(pgPort), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  return { child, base: `http://127.0.0.1:${port}`, output: () => out };
}

describe('hukou serve on the embedded database', () => {
  it('starts with no DATABASE_URL, serves health and docs, stops cleanly on SIGTERM, and keeps its data across restarts', async () => {
    const first = await startServer();
    const health = await waitFor(`${first.base}/healthz`, first.child);
    expect(health.status).toBe(200);
    expect((await fetch(`${first.base}/readyz`)).status).toBe(200);
    expect((await fetch(`${first.base}/docs/`)).status).toBe(200);
    expect(first.output()).toContain('/docs');
    const pidFile = join(dataDir, 'pg', 'postmaster.pid');
    expect(existsSync(pidFile)).toBe(true);
    const appliedBefore = await migrationTimes();
    expect(appliedBefore.length).toBeGreaterThan(0);

    first.child.kill('SIGTERM');
    expect(await exitOf(first.child)).toBe(0);
    expect(existsSync(pidFile)).toBe(false); // PostgreSQL shut down, not killed

    const second = await startServer();
    await waitFor(`${second.base}/healthz`, second.child);
    const ready = (await (await fetch(`${second.base}/readyz`)).json()) as { status: string };
    expect(ready.status).toBe('ok');
    expect(await migrationTimes()).toEqual(appliedBefore); // same database, not a fresh one
    second.child.kill('SIGINT');
    expect(await exitOf(second.child)).toBe(0);
  }, 120_000);
});
