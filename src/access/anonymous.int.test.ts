import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { buildApp } from '../app/build-app.ts';
import { registeredRoutes, type RouteInfo } from './access.http.ts';

let tdb: TestDatabase;
let app: FastifyInstance;
let routes: RouteInfo[];

/**
 * Public by design (issue #4): health, readiness, metrics, API docs, login, and certificate
 * verification (issue #14). Reference data and the ID-number check need an account or API token
 * like everything else.
 */
const EXPECTED_PUBLIC = [
  '/healthz',
  '/readyz',
  '/metrics',
  '/openapi.json',
  '/docs',
  '/docs/static/*',
  '/docs/json',
  '/docs/yaml',
  '/docs/static/index.html',
  '/docs/static/swagger-initializer.js',
  '/api/v1/auth/login',
  '/verify',
  '/api/v1/public/certificates/verify',
  '/api/v1/public/certificates/trust-list',
  '/api/v1/public/certificates/status-list',
  // the written guides (docs/*.md), linked from the API description
  '/guides/',
  '/guides/:name',
];

/** A concrete URL for a route pattern: plausible values for every parameter. */
function concrete(url: string): string {
  return url
    .replace(/:idNumber|:number(?=\/|$)/g, (m) => (m === ':idNumber' ? '11010519491231002X' : '110105000001'))
    .replace(/:[A-Za-z]+/g, '1')
    .replace('*', 'x');
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await buildApp({ db: tdb.db, logger: false });
  await app.ready();
  routes = registeredRoutes(app).filter((r) => r.method !== 'HEAD');
});

afterAll(async () => {
  await app?.close();
  await tdb?.close();
});

describe('anonymous callers', () => {
  it('the route table covers the whole API', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.map((r) => r.url)).toEqual(expect.arrayContaining(['/api/v1/auth/whoami', '/api/v1/accounts', '/api/v1/me/access-log', '/healthz']));
  });

  it('exactly the expected routes are public', () => {
    const open = [...new Set(routes.filter((r) => r.public).map((r) => r.url))].sort();
    expect(open).toEqual([...EXPECTED_PUBLIC].sort());
  });

  it('every other route refuses an anonymous call with 401 UNAUTHENTICATED, before validating anything', async () => {
    const closed = routes.filter((r) => !r.public);
    const failures: string[] = [];
    for (const r of closed) {
      const res = await app.inject({ method: r.method as 'GET', url: concrete(r.url), ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: {} }) });
      if (res.statusCode !== 401 || res.json().error?.code !== 'UNAUTHENTICATED') failures.push(`${r.method} ${r.url} → ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
    expect(failures).toEqual([]);
    expect(closed.length).toBeGreaterThan(15);
  });

  it('public routes answer without credentials', async () => {
    for (const url of ['/healthz', '/openapi.json', '/docs/']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
    }
  });

  it('reference data and the ID-number check refuse anonymous calls too', async () => {
    for (const url of ['/api/v1/codes', '/api/v1/divisions/110105', '/api/v1/id-numbers/11010519491231002X']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('a garbage session cookie or bearer token is refused too', async () => {
    const cookie = await app.inject({ url: '/api/v1/auth/whoami', headers: { cookie: '__Host-hukou_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(cookie.json().error.code).toBe('SESSION_EXPIRED');
    const bearer = await app.inject({ url: '/api/v1/auth/whoami', headers: { authorization: 'Bearer nope' } });
    expect(bearer.json().error.code).toBe('UNAUTHENTICATED');
    const basic = await app.inject({ url: '/api/v1/auth/whoami', headers: { authorization: 'Basic Zm9vOmJhcg==' } });
    expect(basic.json().error.code).toBe('UNAUTHENTICATED');
  });
});
