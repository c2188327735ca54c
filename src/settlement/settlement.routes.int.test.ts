import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { movableClock, sessionAs, type TestAccount } from '../../test/access-fixtures.ts';
import { newPerson, type TestPerson } from '../../test/persons.ts';
import { runHukou } from '../../test/cli.ts';

/** Settlement through the API: officers with a purpose (logged), citizens for themselves, refusals as codes, never 5xx. */
const clock = movableClock('2026-11-26T04:00:00Z');
const t = useTestApp({ clock });

let officer: TestAccount;
let statistician: TestAccount;
let citizen: TestAccount;
let person: TestPerson;

beforeAll(async () => {
  officer = await sessionAs(t.app, t.tdb.db, clock, { role: 'registration_officer', authorityId: 'county-110105' });
  statistician = await sessionAs(t.app, t.tdb.db, clock, { role: 'statistician', authorityId: 'mps' });
  person = await newPerson(t.tdb.db, { birthDate: '1992-02-02' });
  citizen = await sessionAs(t.app, t.tdb.db, clock, { role: 'citizen', personIdNumber: person.idNumber });
});

function call(who: TestAccount, method: 'GET' | 'POST', url: string, body?: object, purpose: string | null = 'case:SETTLE-1'): Promise<LightMyRequestResponse> {
  return t.app.inject({ method, url: `/api/v1${url}`, headers: { ...who.headers, ...(purpose ? { 'x-purpose': purpose } : {}) }, ...(body ? { payload: body } : {}) });
}

describe('settlement API', () => {
  it('an officer checks with a purpose, and the read is in the access log with the person', async () => {
    expect((await call(officer, 'GET', `/settlement/check?idNumber=${person.idNumber}&city=110000`, undefined, null)).json().error.code).toBe('PURPOSE_REQUIRED');
    const res = await call(officer, 'GET', `/settlement/check?idNumber=${person.idNumber}&city=110000&on=2025-01-01`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.answers[0].policyVersion).toBe('110000/points@2020-07-01');
    expect(body.answers[0].evaluation.outcome).toBe('not_eligible'); // no Beijing permit
    expect(body.personId).toBeUndefined();
    const logged = await sql<{ n: string }>`select count(*) as n from access_log where action = 'settlement.check' and purpose = 'case:SETTLE-1' and person_ids @> array[(select id from person where id_number = ${person.idNumber})]::bigint[]`.execute(t.tdb.db);
    expect(Number(logged.rows[0]!.n)).toBe(1);
  });

  it('a citizen checks themselves under /me, and may ask for a review of the result', async () => {
    const res = await call(citizen, 'GET', '/me/settlement/check?city=440300', undefined, null);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().noPolicy.reason).toMatch(/none is encoded/);
    const sh = (await call(citizen, 'GET', '/me/settlement/check?city=310000&scheme=juzhuanhu', undefined, null)).json();
    const review = await call(citizen, 'POST', `/settlement/decisions/${sh.answers[0].decisionId}/reviews`, { reason: '请人工复核' }, null);
    expect(review.statusCode, review.body).toBe(201);
    const decided = await call(officer, 'POST', `/settlement/reviews/${review.json().id}/decision`, { outcome: 'changed', reason: '补充材料后符合' });
    expect(decided.json()).toMatchObject({ state: 'decided', outcome: 'changed' });
  });

  it('bad input is a 4xx with a code, never a 5xx', async () => {
    expect((await call(officer, 'GET', `/settlement/check?idNumber=${person.idNumber}&city=11`)).statusCode).toBe(400);
    expect((await call(officer, 'POST', '/settlement/facts', { idNumber: person.idNumber, kind: 'tax', periodFrom: '2024-01-01', value: { amount: -1 }, source: 's', evidence: 'e' })).json().error.code).toBe('SETTLEMENT_FACT_INVALID');
    expect((await call(officer, 'POST', '/settlement/rounds/00000000-0000-4000-8000-000000000000/score')).json().error.code).toBe('SETTLEMENT_ROUND_NOT_FOUND');
    expect((await call(statistician, 'POST', '/settlement/simulations', { cityCode: '440300', quota: 10 })).json().error.code).toBe('SETTLEMENT_SIMULATION_UNSUPPORTED');
    expect((await call(citizen, 'POST', '/settlement/simulations', { cityCode: '140100' }, null)).json().error.code).toBe('FORBIDDEN');
  });

  it('a statistician simulates without changing anything', async () => {
    const res = await call(statistician, 'POST', '/settlement/simulations', { cityCode: '140100', on: '2026-11-26', socialInsuranceMonths: 1 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ baseline: { policyVersion: 'class:large_1/default-large-1@2024-07-31' }, residents: 0, newly: 0 });
  });
});

describe('hukou settle (CLI)', () => {
  it('policy check lists every version; check explains in text and JSON; fact add records with evidence', async () => {
    const policies = await runHukou(['settle', 'policy', 'check'], { DATABASE_URL: t.tdb.url });
    expect(policies.code, policies.stderr).toBe(0);
    expect(policies.stdout).toContain('ok  110000/points@2017-01-01 (until 2020-06-30)');
    const added = await runHukou(['settle', 'fact', 'add', person.idNumber, '--kind', 'social_insurance', '--from', '2020-01-01', '--city', '110000', '--value', '{"insurance":"pension"}', '--source', '北京市社保中心', '--evidence', '参保缴费证明 2026-001', '--json'], { DATABASE_URL: t.tdb.url });
    expect(added.code, added.stderr).toBe(0);
    const text = await runHukou(['settle', 'check', person.idNumber, '--city', '110000', '--on', '2026-11-01'], { DATABASE_URL: t.tdb.url });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/北京市积分落户 \[110000\/points@2020-07-01\] → NOT_ELIGIBLE/);
    expect(text.stdout).toMatch(/✗ 持有本市居住证/);
    const j = JSON.parse((await runHukou(['settle', 'check', person.idNumber, '--city', '110000', '--on', '2026-11-01', '--json'], { DATABASE_URL: t.tdb.url })).stdout);
    expect(j.facts.find((f: { fact: string }) => f.fact === 'socialInsuranceMonths').value).toBe(82);
    const bad = await runHukou(['settle', 'fact', 'add', person.idNumber, '--kind', 'tax', '--from', '2020-01-01', '--value', 'nope', '--source', 's', '--evidence', 'e'], { DATABASE_URL: t.tdb.url });
    expect(bad.code).toBe(2);
  }, 180_000);
});
