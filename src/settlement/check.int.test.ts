import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { ctxOn, newPerson, PLACE, refusal, station } from '../../test/persons.ts';
import type { Db } from '../platform/db/database.ts';
import { applyForPermit, issuePermit, registerResidence } from '../residence/index.ts';
import { checkSettlement, replayDecision } from './check.service.ts';
import { recordFact } from './facts.service.ts';
import { decideReview, requestReview } from './review.service.ts';

let tdb: TestDatabase;
let db: Db;
beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
});
afterAll(async () => {
  await tdb?.close();
});

const BJ = station(PLACE.beijingChaoyang);
const fact = (idNumber: string, kind: Parameters<typeof recordFact>[1]['kind'], value: Record<string, unknown>, extra: { cityCode?: string; periodFrom: string; periodTo?: string }) =>
  recordFact(ctxOn(db, '2024-06-01'), { idNumber, kind, value, source: '北京市人力资源和社会保障局', evidence: `证明 ${kind}`, ...extra });

/** A Guangzhou-hukou person registered in Beijing in 2023, permit issued 2023-07-05 (not yet due for endorsement on the check day). */
async function beijingResident(birthDate = '1985-03-03') {
  const p = await newPerson(db, { birthDate });
  await registerResidence(ctxOn(db, '2023-01-01'), { idNumber: p.idNumber, authorityId: BJ, address: '建国路88号' });
  const permit = await applyForPermit(ctxOn(db, '2023-07-01'), { idNumber: p.idNumber, authorityId: BJ, basis: 'residence_lease', basisEvidence: '租赁合同 2023-1' });
  await issuePermit(ctxOn(db, '2023-07-05'), { permitId: permit.id });
  return p;
}

async function count(table: 'settlement_decision' | 'settlement_review'): Promise<number> {
  return Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]!.n);
}

describe('settlement check', () => {
  it('answers a city without any policy (Shenzhen, unmodelled) with why, not an error', async () => {
    const p = await newPerson(db, { birthDate: '1990-01-01' });
    const r = await checkSettlement(ctxOn(db, '2024-06-15'), { idNumber: p.idNumber, cityCode: '440300' });
    expect(r.answers).toEqual([]);
    expect(r.noPolicy!.reason).toMatch(/超大城市.*none is encoded/);
    expect(r.city).toMatchObject({ name: '深圳', class: 'super_large', urbanPopulation: 17_438_300 });
  });

  it('answers a date before any policy with the first date one takes effect', async () => {
    const p = await newPerson(db, { birthDate: '1990-01-02' });
    const r = await checkSettlement(ctxOn(db, '2024-06-15'), { idNumber: p.idNumber, cityCode: '110000', on: '2016-06-01' });
    expect(r.answers).toEqual([]);
    expect(r.noPolicy).toEqual({ reason: expect.stringContaining('2017-01-01') as string, earliest: '2017-01-01' });
  });

  it('says what is missing when the department facts were never received, never guessing', async () => {
    const p = await beijingResident('1986-04-04');
    const r = await checkSettlement(ctxOn(db, '2024-06-15'), { idNumber: p.idNumber, cityCode: '110000' });
    const a = r.answers[0]!;
    expect(a.policyVersion).toBe('110000/points@2020-07-01');
    expect(a.evaluation.outcome).toBe('undetermined');
    expect(a.evaluation.conditions.find((c) => c.id === 'permit')!.status).toBe('met');
    expect(a.evaluation.missing.map((m) => m.fact)).toEqual(expect.arrayContaining(['socialInsuranceMonths', 'criminalRecord', 'education']));
  });

  it('explains an eligible Beijing applicant item by item, stores the decision with its facts, and replays it', async () => {
    const p = await beijingResident();
    await fact(p.idNumber, 'social_insurance', { insurance: 'pension' }, { cityCode: '110000', periodFrom: '2014-01-01' });
    await fact(p.idNumber, 'social_insurance', { insurance: 'pension', backPay: true }, { cityCode: '110000', periodFrom: '2013-10-01', periodTo: '2013-12-31' });
    await fact(p.idNumber, 'criminal_record', { record: false }, { periodFrom: '2024-05-01' });
    await fact(p.idNumber, 'detention', { record: false }, { periodFrom: '2024-05-01' });
    await fact(p.idNumber, 'tax_violation', { record: false }, { periodFrom: '2024-05-01' });
    await fact(p.idNumber, 'education', { level: 'bachelor_degree' }, { periodFrom: '2007-07-01' });
    await fact(p.idNumber, 'lease', { registered: true, address: '建国路88号' }, { cityCode: '110000', periodFrom: '2014-01-01' });
    const before = await count('settlement_decision');
    const r = await checkSettlement(ctxOn(db, '2024-06-15'), { idNumber: p.idNumber, cityCode: '110000', purpose: 'case:T-1' });
    const e = r.answers[0]!.evaluation;
    expect(r.facts.find((f) => f.fact === 'socialInsuranceMonths')).toMatchObject({ value: 125, source: 'store' });
    expect(r.facts.find((f) => f.fact === 'socialInsuranceBackPayMonths')).toMatchObject({ value: 3 });
    expect(e.conditions.map((c) => [c.id, c.status])).toEqual([
      ['permit', 'met'],
      ['age', 'met'],
      ['insurance', 'met'],
      ['backPay', 'met'],
    ]);
    const items = Object.fromEntries(e.points!.items.map((i) => [i.id, i.points]));
    // 10 full years × 3; rented 10 years × 0.5 capped at insurance years; bachelor with degree 15; age 39 → 20
    expect(items).toMatchObject({ employment: 30, rentedHome: 5, education: 15, age: 20, taxViolation: 0, detention: 0 });
    expect(e.points!.total).toBe(70);
    // Eligible to apply; points facts never reported (awards, honours …) score nothing and are listed, never guessed.
    expect(e.outcome).toBe('eligible');
    expect(e.missing.map((m) => m.fact)).toEqual(expect.arrayContaining(['nationalAward', 'honour']));
    expect(e.points!.items.find((i) => i.id === 'honour')!.status).toBe('unknown');
    expect(await count('settlement_decision')).toBe(before + 1);
    const replay = await replayDecision(ctxOn(db, '2024-06-16'), r.answers[0]!.decisionId);
    expect(replay.same).toBe(true);
    expect(replay.decision.factIds.length).toBe(7);
    expect(replay.replayed!.points!.total).toBe(70);
  });

  it('the class default opens a Ⅱ-type large city on a registered lease (no own file needed)', async () => {
    const p = await newPerson(db, { birthDate: '1991-01-01' });
    await fact(p.idNumber, 'lease', { registered: true, address: '某路1号' }, { cityCode: '450200', periodFrom: '2024-01-01' });
    // 450200 柳州 has no stored class: nothing applies until its class is recorded.
    const r = await checkSettlement(ctxOn(db, '2024-09-01'), { idNumber: p.idNumber, cityCode: '450200' });
    expect(r.noPolicy!.reason).toMatch(/no stored class/);
  });

  it('a person asks for an officer\'s review of the automated result; the officer and outcome are recorded', async () => {
    const p = await newPerson(db, { birthDate: '1990-01-05' });
    const r = await checkSettlement(ctxOn(db, '2024-06-15'), { idNumber: p.idNumber, cityCode: '310000', scheme: 'juzhuanhu' });
    const decisionId = r.answers[0]!.decisionId;
    const review = await requestReview(ctxOn(db, '2024-06-16', 'citizen-self'), { decisionId, reason: '我已取得中级职称，请人工复核' });
    expect(review.state).toBe('requested');
    expect((await refusal(requestReview(ctxOn(db, '2024-06-16'), { decisionId, reason: 'again' }))).code).toBe('SETTLEMENT_REVIEW_PENDING');
    const decided = await decideReview(ctxOn(db, '2024-06-20', 'officer-sh-1'), { reviewId: review.id, outcome: 'upheld', reason: '职称证书未在本市备案' });
    expect(decided).toMatchObject({ state: 'decided', officerId: 'officer-sh-1', outcome: 'upheld' });
    expect((await refusal(decideReview(ctxOn(db, '2024-06-21'), { reviewId: review.id, outcome: 'changed', reason: 'x' }))).code).toBe('SETTLEMENT_REVIEW_DECIDED');
  });

  it('refuses a malformed fact per field, writing nothing', async () => {
    const p = await newPerson(db, { birthDate: '1990-01-06' });
    const e = await refusal(recordFact(ctxOn(db, '2024-06-01'), { idNumber: p.idNumber, kind: 'social_insurance', value: { insurance: 'pensionn' }, periodFrom: '2024-13-01', source: ' ', evidence: 'x' }));
    expect(e.code).toBe('SETTLEMENT_FACT_INVALID');
    expect((e.details as { field: string }[]).map((d) => d.field).sort()).toEqual(['cityCode', 'periodFrom', 'source', 'value.insurance'].sort());
  });
});
