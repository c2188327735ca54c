import { describe, expect, it } from 'vitest';
import { useTestApp } from '../app.ts';

const t = useTestApp();

describe('operations endpoints', () => {
  it('GET /healthz answers ok with a request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['x-request-id']).toBe('abc-123');
  });

  it('GET /readyz reports the database reachable and migrations current', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json().checks).toEqual([
      { name: 'database', ok: true },
      { name: 'migrations', ok: true },
    ]);
  });

  it('GET /metrics exposes Prometheus counters of earlier requests', async () => {
    await t.app.inject({ method: 'GET', url: '/healthz' });
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/hukou_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const spec = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(spec.statusCode).toBe(200);
    const doc = spec.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/id-numbers/{number}', '/api/v1/divisions/{code}', '/api/v1/codes/{table}']));
    const page = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html');
  });

  it('every route under /api/v1 declares a response schema', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
    };
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        expect(Object.keys(op.responses ?? {}).some((status) => /^2\d\d$/.test(status)), `${method} ${path} declares a 2xx response`).toBe(true);
      }
    }
  });

  it('unknown routes get the one error body with NOT_FOUND', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nope', headers: { 'x-request-id': 'r1' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.stringContaining('/api/v1/nope'), details: null, requestId: 'r1' } });
  });
});

describe('guides linked from /docs', () => {
  it('every link in the API description opens (docs/errors.md among them); an unknown guide is a 404', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { info: { description: string } };
    const links = [...doc.info.description.matchAll(/\]\((\/[^)]+)\)/g)].map((m) => m[1]!);
    expect(links).toContain('/guides/errors.md');
    for (const link of links) expect((await t.app.inject({ method: 'GET', url: link })).statusCode, link).toBe(200);
    const errors = await t.app.inject({ method: 'GET', url: '/guides/errors.md' });
    expect(errors.headers['content-type']).toContain('text/markdown');
    expect(errors.body).toContain('PERSON_NOT_FOUND');
    expect((await t.app.inject({ method: 'GET', url: '/guides/../package.json' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/guides/nothing.md' })).statusCode).toBe(404);
  });
});
