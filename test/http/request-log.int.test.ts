import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db.ts';
import { insertPersonWithHukou, logIn, movableClock, type Session } from '../access-fixtures.ts';
import { buildApp } from '../../src/app/build-app.ts';
import { seedDemoAccounts } from '../../src/access/index.ts';
import { createLogger } from '../../src/platform/logger.ts';

/** Issue #11 item 5: the server's own logs carry route templates, not the ID numbers and names in URLs. */
let tdb: TestDatabase;
let app: FastifyInstance;
let officer: Session;
let person: Awaited<ReturnType<typeof insertPersonWithHukou>>;
const lines: string[] = [];
const clock = movableClock('2025-03-01T08:00:00Z');

beforeAll(async () => {
  tdb = await createTestDatabase();
  person = await insertPersonWithHukou(tdb.db, { townshipCode: '110105001', name: '欧阳娜娜' });
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  app = await buildApp({ db: tdb.db, logger: createLogger('info', sink), clock });
  const counter = (await seedDemoAccounts(tdb.db, clock)).find((d) => d.role === 'counter_officer')!;
  officer = await logIn(app, counter.username, counter.password!, counter.totpSecret, clock);
});

afterAll(async () => {
  await app?.close();
  await tdb?.close();
});

describe('request logs', () => {
  it('log the route template and masked query values, never an ID number, household number or searched name', async () => {
    const headers = { ...officer.headers, 'x-purpose': 'case:LOG-1' };
    const household = await tdb.db.selectFrom('household').select('household_number').where('id', '=', person.householdId).executeTakeFirstOrThrow();
    lines.length = 0;
    expect((await app.inject({ method: 'GET', url: `/api/v1/persons/${person.idNumber}`, headers })).statusCode).toBe(200);
    await app.inject({ method: 'GET', url: `/api/v1/households/${household.household_number}`, headers });
    await app.inject({ method: 'GET', url: `/api/v1/persons?name=${encodeURIComponent('欧阳娜娜')}`, headers });
    await app.inject({ method: 'GET', url: `/api/v1/no-such-route/${person.idNumber}?q=ouyangnana`, headers });
    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(4);
    for (const secret of [person.idNumber, household.household_number, '欧阳娜娜', encodeURIComponent('欧阳娜娜'), 'ouyangnana']) expect(all).not.toContain(secret);
    const routes = lines.map((l) => JSON.parse(l) as { req?: { route?: string; query?: Record<string, string> } }).flatMap((l) => (l.req ? [l.req] : []));
    expect(routes.map((r) => r.route)).toEqual(expect.arrayContaining(['/api/v1/persons/:idNumber', '/api/v1/households/:number', '/api/v1/persons']));
    expect(routes.find((r) => r.route === '/api/v1/persons')?.query).toEqual({ name: '***' });
  });
});
