import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../app.ts';

/**
 * Issue #11 item 2, last resort: should a schema ever let through a value PostgreSQL refuses as data
 * (SQLSTATE class 22), the client gets 400 VALIDATION_FAILED, not 500 with the database's words.
 */
const t = useTestApp();

beforeAll(async () => {
  // a route without an edge schema, handing its query value straight to the database
  t.app.get('/test/cast', { config: { access: { public: true } } }, async (request) => {
    const { rows } = await sql<{ d: string }>`select ${(request.query as { d?: string }).d ?? ''}::date::text as d`.execute(t.tdb.db);
    return rows[0];
  });
});

describe('a database data exception on bad input', () => {
  it.each(['0000-01-01', '2024-13-45', '99999999-01-01'])('date %s is answered 400 VALIDATION_FAILED', async (d) => {
    const res = await t.app.inject({ method: 'GET', url: `/test/cast?d=${d}` });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.body).not.toMatch(/date\/time|invalid input syntax/);
  });

  it('a good value still goes through', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/test/cast?d=2024-02-29' });
    expect(res.statusCode, res.body).toBe(200);
  });
});
