import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { ctxOn, newPerson, PLACE, refusal, station } from '../../test/persons.ts';
import type { Db } from '../platform/db/database.ts';
import { registerResidence } from '../residence/index.ts';
import { recordFact } from './facts.service.ts';
import { simulatePolicy } from './simulation.service.ts';

let tdb: TestDatabase;
let db: Db;
beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
});
afterAll(async () => {
  await tdb?.close();
});

const TAIYUAN = station('140105001');

async function resident(birthDate: string, township: string, insuranceFrom: string | null) {
  const p = await newPerson(db, { birthDate, township });
  await registerResidence(ctxOn(db, '2023-01-01'), { idNumber: p.idNumber, authorityId: TAIYUAN, address: '坞城路1号' });
  const ctx = ctxOn(db, '2024-06-01');
  await recordFact(ctx, { idNumber: p.idNumber, kind: 'lease', value: { registered: true, address: '坞城路1号' }, cityCode: '140100', periodFrom: '2023-01-01', source: '太原市住建局', evidence: '租赁登记备案' });
  if (insuranceFrom) await recordFact(ctx, { idNumber: p.idNumber, kind: 'social_insurance', value: { insurance: 'pension' }, cityCode: '140100', periodFrom: insuranceFrom, source: '太原市人社局', evidence: '参保证明' });
  return p;
}

describe('policy simulation', () => {
  it('Taiyuan (Ⅰ型大城市, class default): lowering the insurance requirement to 2 months, counted by district and origin province, writing nothing', async () => {
    await resident('1990-01-01', PLACE.guangzhouLiwan, '2024-05-01'); // 4 months on 2024-09-15
    await resident('1990-01-02', PLACE.guangzhouLiwan, '2024-07-01'); // 2 months
    await resident('1990-01-03', PLACE.beijingChaoyang, '2023-01-01'); // 20 months: eligible in both
    await resident('1990-01-04', PLACE.beijingChaoyang, null); // insurance never reported: in neither
    const before = (await sql<{ n: string }>`select (select count(*) from settlement_decision) + (select count(*) from settlement_fact) as n`.execute(db)).rows[0]!.n;
    const r = await simulatePolicy(ctxOn(db, '2024-09-15'), { cityCode: '140100', socialInsuranceMonths: 2 });
    expect(r.baseline.policyVersion).toBe('class:large_1/default-large-1@2024-07-31');
    expect(r).toMatchObject({ residents: 4, baselineCount: 1, variantCount: 3, newly: 2 });
    expect(r.byOriginProvince).toEqual([
      { code: '440000', residents: 2, baseline: 0, variant: 2, newly: 2 },
      { code: '110000', residents: 2, baseline: 1, variant: 1, newly: 0 },
    ]);
    expect(r.byDistrict).toEqual([{ code: '140105', residents: 4, baseline: 1, variant: 3, newly: 2 }]);
    const after = (await sql<{ n: string }>`select (select count(*) from settlement_decision) + (select count(*) from settlement_fact) as n`.execute(db)).rows[0]!.n;
    expect(after).toBe(before);
  });

  it('refuses what cannot be simulated: a move up from Ⅰ型大 (above 5 M cities run their own schemes), a quota where there is none', async () => {
    expect((await refusal(simulatePolicy(ctxOn(db, '2024-09-01'), { cityCode: '140100', nextClass: true }))).code).toBe('SETTLEMENT_SIMULATION_UNSUPPORTED');
    expect((await refusal(simulatePolicy(ctxOn(db, '2024-09-01'), { cityCode: '140100', quota: 10 }))).code).toBe('SETTLEMENT_SIMULATION_UNSUPPORTED');
  });

  it('a Ⅱ-type large city moved up to Ⅰ-type: the insurance condition appears', async () => {
    const r = await simulatePolicy(ctxOn(db, '2024-09-01'), { cityCode: '140100', cityClass: 'large_2', nextClass: true });
    expect(r.baseline.policyVersion).toBe('class:large_2/default-large-2@2024-07-31');
    expect(r.variant.policyVersion).toBe('class:large_1/default-large-1@2024-07-31');
    expect(r.baselineCount).toBeGreaterThanOrEqual(r.variantCount);
  });
});
