import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './build-app.ts';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';

// The web app at `/` next to the API: index.html for client routes, assets cached, the API's JSON 404 untouched.
const root = mkdtempSync(join(tmpdir(), 'hukou-web-'));
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), '<!doctype html><title>hukou</title>');
writeFileSync(join(root, 'assets', 'app-abc123.js'), 'console.log(1)');
let tdb: TestDatabase;
let app: FastifyInstance;
beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await buildApp({ db: tdb.db, logger: false, webRoot: root });
});
afterAll(async () => {
  await app.close();
  await tdb.close();
});

describe('serving the web app', () => {
  it('answers / and client routes with index.html, uncached, without credentials', async () => {
    for (const url of ['/', '/me/household', '/work/register?x=1']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<title>hukou</title>');
    }
  });

  it('serves hashed assets with a long cache', async () => {
    const res = await app.inject({ url: '/assets/app-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('leaves the API alone: unknown API paths are the JSON 404, API routes still need credentials, docs stay', async () => {
    const missing = await app.inject({ url: '/api/v1/no-such-thing' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
    expect((await app.inject({ url: '/api/v1/me/household' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/openapi.json' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/%E0%A4%A' })).statusCode).toBeLessThan(500);
    expect((await app.inject({ url: '/../../etc/passwd' })).body).not.toContain('root:');
  });
});
