import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { repoPath } from '../platform/paths.ts';
import type { Logger } from '../platform/logger.ts';

/**
 * The web application (web/, docs/web.md): built by Vite into a cache directory keyed by a hash of
 * its sources and of package-lock.json, so `npm install && npm start` serves it with no extra
 * command: the first start builds (tens of seconds), later starts reuse the build until a source
 * or a dependency changes.
 */
const WEB_DIR = repoPath('web');
const CACHE_DIR = repoPath('node_modules', '.cache', 'hukou-web');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

/** SHA-256 over the web sources (paths and contents) and the lock file: the build's cache key. */
export function webSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(WEB_DIR), repoPath('package-lock.json')]) {
    hash.update(relative(repoPath(), file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The directory of a build of the current sources, building it first when none is cached. Builds
 * into a temporary directory and renames it into place, so a concurrent start never serves half a
 * build (the loser of the race drops its copy). Older builds are removed.
 */
export async function ensureWebBuild(logger?: Logger): Promise<string> {
  const key = webSourceHash();
  const target = join(CACHE_DIR, key);
  if (existsSync(join(target, 'index.html'))) return target;
  mkdirSync(CACHE_DIR, { recursive: true });
  const temp = join(CACHE_DIR, `.build-${key}-${process.pid}`);
  const started = Date.now();
  process.stdout.write('building the web application (first start after a change; cached afterwards)…\n');
  const { build } = await import('vite');
  // Vite and the React plugin pick the production JSX runtime from NODE_ENV, which the test runner sets to `test`.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(WEB_DIR, 'vite.config.ts'), root: WEB_DIR, mode: 'production', logLevel: 'warn', build: { outDir: temp, emptyOutDir: true } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  try {
    renameSync(temp, target);
  } catch (e) {
    if (!existsSync(join(target, 'index.html'))) throw e;
    rmSync(temp, { recursive: true, force: true });
  }
  for (const name of readdirSync(CACHE_DIR)) {
    if (name !== key && !name.startsWith('.build-')) rmSync(join(CACHE_DIR, name), { recursive: true, force: true });
  }
  logger?.info({ dir: target, ms: Date.now() - started }, 'web application built');
  return target;
}

/** Paths the API, its docs and operations own: never answered with the app's index.html. */
const SERVER_PREFIXES = ['/api/', '/docs', '/openapi.json', '/healthz', '/readyz', '/metrics'];

/**
 * Serves the built app at `/` (public: the app itself holds no data; every API call it makes is
 * authenticated as usual). Hashed assets are cached for a year; any other GET that is not the API's
 * falls back to index.html (client-side routes), while unknown /api/… paths keep the JSON 404.
 */
export async function webRoutes(app: FastifyInstance, opts: { root: string }): Promise<void> {
  await app.register(fastifyStatic, { root: opts.root, serve: false, cacheControl: false });
  const sendIndex = (reply: import('fastify').FastifyReply) => reply.header('cache-control', 'no-cache').sendFile('index.html');
  app.get('/', { config: { access: { public: true } }, schema: { hide: true } }, (_request, reply) => sendIndex(reply));
  app.get('/*', { config: { access: { public: true } }, schema: { hide: true } }, (request, reply) => {
    let path: string;
    try {
      path = decodeURIComponent(request.url.split('?')[0] ?? '/');
    } catch {
      return reply.callNotFound();
    }
    if (SERVER_PREFIXES.some((p) => path.startsWith(p))) return reply.callNotFound();
    const file = path.slice(1);
    if (file && !file.includes('..') && existsSync(join(opts.root, file)) && statSync(join(opts.root, file)).isFile()) {
      if (file.startsWith('assets/')) reply.header('cache-control', 'public, max-age=31536000, immutable');
      return reply.sendFile(file);
    }
    return sendIndex(reply);
  });
}
