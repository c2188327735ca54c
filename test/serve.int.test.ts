import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

async function hukou(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [repoPath('bin', 'hukou.js'), ...args, '--data-dir', dataDir], {
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn' },
  });
  return stdout;
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
async function startServer(opts: { ownGroup?: boolean } = {}): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const [port, pgPort] = [await freePort(), await freePort()];
  let out = '';
  const child = spawn(process.execPath, [repoPath('bin', 'hukou.js'), 'serve', '--migrate', '--port', String(port), '--data-dir', dataDir], {
    env: { ...process.env, DATABASE_URL: '', HUKOU_PG_PORT: String(pgPort), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // its own process group, as a shell gives a foreground job: Ctrl-C signals the whole group
    detached: opts.ownGroup ?? false,
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

describe('shutdown', () => {
  it('Ctrl-C to the process group: the database keeps running until the server has drained the access log and signed a checkpoint at its last entry', async () => {
    const server = await startServer({ ownGroup: true });
    await waitFor(`${server.base}/healthz`, server.child);
    // a department client with a token (no second factor), created by the CLI on the running cluster
    await hukou(['account', 'create', '--username', 'shutdown-dept', '--role', 'department_client', '--json']);
    const { token } = JSON.parse(await hukou(['account', 'token', 'shutdown-dept', '--json'])) as { token: string };
    // access-logged reads (refusals are logged too), many at once so the shutdown finds a queue to drain
    const reads = Array.from({ length: 40 }, (_, i) =>
      fetch(`${server.base}/api/v1/persons/11010519900101${String(1000 + i)}/identity`, {
        headers: { authorization: `Bearer ${token}`, 'x-purpose': 'case:shutdown test' },
      }).then((r) => r.status),
    );
    const statuses = await Promise.all(reads);
    expect(statuses.every((s) => s < 500)).toBe(true);

    const pgPid = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(-server.child.pid!, 'SIGINT'); // what the terminal does on Ctrl-C
    expect(await exitOf(server.child)).toBe(0);
    expect(server.output()).not.toContain('shutdown failed');
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false); // stopped by the server, after the pool
    expect(() => process.kill(pgPid, 0)).toThrow();

    const report = JSON.parse(await hukou(['audit', 'verify', '--json'])) as {
      ok: boolean;
      chains: { chain: string; entries: number; headSeq: number; lastCheckpointSeq: number | null; checkpoints: number; checkpointsVerified: number }[];
    };
    expect(report.ok).toBe(true);
    const main = report.chains.find((c) => c.chain === 'main')!;
    expect(main.entries).toBeGreaterThanOrEqual(40);
    expect(main.lastCheckpointSeq).toBe(main.headSeq); // the final checkpoint covers the last entry
    expect(main.checkpointsVerified).toBe(main.checkpoints);
  }, 120_000);

  it('kill -TERM to the process group shuts down in the same order', async () => {
    const server = await startServer({ ownGroup: true });
    await waitFor(`${server.base}/healthz`, server.child);
    process.kill(-server.child.pid!, 'SIGTERM');
    expect(await exitOf(server.child)).toBe(0);
    expect(server.output()).not.toContain('shutdown failed');
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 120_000);

  it('the database stopping under a running server: the server says so and exits non-zero', async () => {
    const server = await startServer({ ownGroup: true });
    await waitFor(`${server.base}/healthz`, server.child);
    const pgPid = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pgPid, 'SIGINT'); // PostgreSQL stopped behind the server's back
    const code = await exitOf(server.child);
    expect(code).not.toBe(0);
    expect(server.output()).toMatch(/embedded PostgreSQL .* (exited|killed)/);
    expect(server.output()).toContain('cannot run without its database');
  }, 120_000);
});
