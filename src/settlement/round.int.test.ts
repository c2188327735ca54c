import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { ctxOn, newPerson, PLACE, refusal, station } from '../../test/persons.ts';
import { composeIdNumber } from '../idnumber/index.ts';
import type { Db } from '../platform/db/database.ts';
import { addMember, createHousehold, getHousehold, getPerson } from '../registry/index.ts';
import { applyForPermit, issuePermit, registerResidence } from '../residence/index.ts';
import { evaluatePolicy, rankingScore } from './engine.ts';
import { compilePolicy, factRecordColumns } from './engine.sql.ts';
import { recordFact } from './facts.service.ts';
import type { FactSet } from './facts.vocabulary.ts';
import { findVersion, loadPolicySet } from './policy.loader.ts';
import { rankApplicants, tieBreakKeys } from './ranking.ts';
import { applyToRound, approveRound, lodgeObjection, openRound, publishRound, roundList, scoreRound, scoreRoundSql } from './round.service.ts';
import { factSet } from './test/arbitrary.ts';

let tdb: TestDatabase;
let db: Db;
beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
});
afterAll(async () => {
  await tdb?.close();
});

const GZ = station(PLACE.guangzhouTianhe);
const GZ_VERSION = findVersion('440100/points@2024-10-08')!;

/** A Shenzhen-hukou person living and working in Guangzhou, with the facts the 2024 round asks for. */
async function guangzhouApplicant(birthDate: string, points: { base: number; bonus: number; medicalMonths: number }) {
  const p = await newPerson(db, { birthDate, township: PLACE.shenzhenNanshan });
  await registerResidence(ctxOn(db, '2023-09-01'), { idNumber: p.idNumber, authorityId: GZ, address: '五山路1号' });
  const permit = await applyForPermit(ctxOn(db, '2024-03-01'), { idNumber: p.idNumber, authorityId: GZ, basis: 'employment', basisEvidence: '劳动合同 2023' });
  await issuePermit(ctxOn(db, '2024-03-05'), { permitId: permit.id });
  const ctx = ctxOn(db, '2024-10-01');
  const f = (kind: Parameters<typeof recordFact>[1]['kind'], value: Record<string, unknown>, extra: { cityCode?: string; periodFrom: string }) =>
    recordFact(ctx, { idNumber: p.idNumber, kind, value, source: '广州市人社局', evidence: `${kind} 证明`, ...extra });
  await f('employment', { employer: '某科技公司' }, { cityCode: '440100', periodFrom: '2019-01-01' });
  await f('social_insurance', { insurance: 'pension' }, { cityCode: '440100', periodFrom: '2019-01-01' });
  await f('social_insurance', { insurance: 'medical' }, { cityCode: '440100', periodFrom: `${2024 - Math.floor(points.medicalMonths / 12)}-01-01` });
  await f('criminal_record', { record: false }, { periodFrom: '2024-09-01' });
  await f('attribute', { fact: 'cityAssessedBasePoints', value: points.base }, { periodFrom: '2024-09-01' });
  await f('attribute', { fact: 'cityAssessedBonusPoints', value: points.bonus }, { periodFrom: '2024-09-01' });
  return p;
}

describe('annual round (Guangzhou 2024)', () => {
  it('applications, scoring, ranking with tie-breaks, the cut, the masked list, objections, and approval moving applicant and family in one go', async () => {
    const collective = (await createHousehold(ctxOn(db, '2024-01-01'), { kind: 'collective', townshipCode: PLACE.guangzhouTianhe, address: '广州市公共集体户' })).household;
    const round = await openRound(ctxOn(db, '2024-10-01'), { cityCode: '440100', scheme: 'points', year: 2024, opensOn: '2024-10-08', closesOn: '2024-11-08', collectiveHouseholdNumber: collective.householdNumber, quota: 2 });
    expect(round).toMatchObject({ policyVersion: '440100/points@2024-10-08', quota: 2, state: 'open' });
    expect((await refusal(openRound(ctxOn(db, '2024-10-01'), { cityCode: '440100', scheme: 'points', year: 2024, opensOn: '2024-10-08', closesOn: '2024-11-08', collectiveHouseholdNumber: collective.householdNumber }))).code).toBe('SETTLEMENT_ROUND_EXISTS');

    const a = await guangzhouApplicant('1985-01-01', { base: 140, bonus: 20, medicalMonths: 60 });
    const b = await guangzhouApplicant('1986-02-02', { base: 130, bonus: 30, medicalMonths: 70 });
    const c = await guangzhouApplicant('1987-03-03', { base: 130, bonus: 40, medicalMonths: 50 });
    const low = await guangzhouApplicant('1988-04-04', { base: 100, bonus: 20, medicalMonths: 50 });
    // b's spouse and minor child, in b's Shenzhen household, accompany b.
    const ctxSz = ctxOn(db, '2024-01-01');
    const spouseId = composeIdNumber('440305', '1987-05-05', 112);
    const childId = composeIdNumber('440305', '2015-06-06', 113);
    for (const [idNumber, rel, birthDate, sex] of [[spouseId, '10', '1987-05-05', '2'], [childId, '20', '2015-06-06', '1']] as const) {
      const h = await getHousehold(ctxSz, b.householdNumber);
      await addMember(ctxSz, { householdNumber: b.householdNumber, expectedVersion: h.version, relationship: rel, person: { idNumber, name: '李梅', sex, birthDate, ethnicity: '01' } });
    }

    const on = ctxOn(db, '2024-10-10');
    expect((await refusal(applyToRound(ctxOn(db, '2024-10-07'), { roundId: round.id, idNumber: a.idNumber }))).code).toBe('SETTLEMENT_ROUND_CLOSED');
    // Arrival order c, a, b: the ranking does not depend on it.
    await applyToRound(on, { roundId: round.id, idNumber: c.idNumber });
    const appA = await applyToRound(on, { roundId: round.id, idNumber: a.idNumber });
    await applyToRound(on, { roundId: round.id, idNumber: b.idNumber, family: [{ idNumber: spouseId, relationship: '99' }, { idNumber: childId, relationship: '99' }] });
    const countApps = async () => Number((await sql<{ n: string }>`select count(*) as n from round_application`.execute(db)).rows[0]!.n);
    const before = await countApps();
    const twice = await refusal(applyToRound(on, { roundId: round.id, idNumber: a.idNumber }));
    expect([twice.code, twice.details]).toEqual(['SETTLEMENT_ALREADY_APPLIED', { applicationId: appA.id }]);
    const refusedLow = await refusal(applyToRound(on, { roundId: round.id, idNumber: low.idNumber }));
    expect(refusedLow.code).toBe('SETTLEMENT_NOT_ELIGIBLE');
    expect((refusedLow.details as { unmet: string[] }).unmet).toEqual(['threshold']);
    expect(await countApps()).toBe(before);

    expect((await refusal(scoreRound(ctxOn(db, '2024-11-08'), round.id))).code).toBe('SETTLEMENT_ROUND_STATE');
    const scored = await scoreRound(ctxOn(db, '2024-11-09'), round.id);
    expect(scored).toMatchObject({ applicants: 3, admitted: 2, cutoff: 130 });
    const published = await publishRound(ctxOn(db, '2024-11-10'), round.id);
    expect(published.objectionsUntil).toBe('2024-11-14');
    const list = await roundList(ctxOn(db, '2024-11-10'), round.id);
    // base 140 first; b and c tie on base 130, b has more medical-insurance months
    expect(list.entries.map((e) => [e.position, e.score, e.admitted])).toEqual([
      [1, 140, true],
      [2, 130, true],
      [3, 130, false],
    ]);
    expect(list.entries[1]!.maskedIdNumber).not.toContain(b.idNumber.slice(6, 14));
    expect(list.entries[1]!.maskedName).not.toBe('王建华');

    await lodgeObjection(ctxOn(db, '2024-11-14'), { roundId: round.id, idNumber: c.idNumber, text: '医保缴费月数有误' });
    const late = await refusal(lodgeObjection(ctxOn(db, '2024-11-15'), { roundId: round.id, idNumber: c.idNumber, text: '再次异议' }));
    expect(late.code).toBe('SETTLEMENT_OBJECTION_WINDOW_CLOSED');
    expect(Number((await sql<{ n: string }>`select count(*) as n from round_objection`.execute(db)).rows[0]!.n)).toBe(1);
    expect((await refusal(approveRound(ctxOn(db, '2024-11-14'), round.id))).code).toBe('SETTLEMENT_OBJECTIONS_OPEN');

    const approved = await approveRound(ctxOn(db, '2024-11-15'), round.id);
    expect(approved.round.state).toBe('approved');
    expect(approved.started.map((s) => [s.idNumber, s.error, s.members.map((m) => m.how)])).toEqual([
      [a.idNumber, null, ['move']],
      [b.idNumber, null, ['move', 'move', 'move']],
    ]);
    const sys = ctxOn(db, '2024-11-15');
    for (const id of [b.idNumber, spouseId, childId]) expect((await getPerson(sys, id)).household!.householdNumber).toBe(collective.householdNumber);
    expect((await getPerson(sys, c.idNumber)).household!.householdNumber).toBe(c.householdNumber);
    const kinds = (await sql<{ kind: string }>`select kind from round_event where round_id = ${round.id} order by id`.execute(db)).rows.map((r) => r.kind);
    expect(kinds).toEqual(['round_opened', 'applied', 'applied', 'applied', 'scored', 'published', 'objection', 'approved', 'settlement_started', 'settlement_started']);
  });
});

describe('the SQL twin of the engine', () => {
  const every = [...[...loadPolicySet().byCity.values()].flatMap((s) => [...s.values()].flat()), ...[...loadPolicySet().byClass.values()].flat()];
  it.each(every.map((v) => [v.versionId, v] as const))('%s: scores and eligibility agree with engine.ts on random facts', async (_id, v) => {
    const c = compilePolicy(v.policy);
    await fc.assert(
      fc.asyncProperty(factSet, async (facts) => {
        const row = (await sql<{ total: string; base: string; eligible: boolean }>`select ${sql.raw(c.total)} as total, ${sql.raw(c.base)} as base, ${sql.raw(c.eligible)} as eligible from (select ${JSON.stringify(facts)}::jsonb as f) t`.execute(db)).rows[0]!;
        const e = evaluatePolicy(v.policy, facts);
        expect(Number(row.total)).toBeCloseTo(e.points?.total ?? 0, 4);
        expect(Number(row.base)).toBeCloseTo(e.points?.base ?? 0, 4);
        expect(row.eligible).toBe(e.outcome === 'eligible');
        const r = compilePolicy(v.policy, 'ff', 'record');
        const rec = (await sql<{ total: string; eligible: boolean }>`select ${sql.raw(r.total)} as total, ${sql.raw(r.eligible)} as eligible from (select ${JSON.stringify(facts)}::jsonb as f) t cross join lateral jsonb_to_record(t.f) as ff(${sql.raw(factRecordColumns())})`.execute(db)).rows[0]!;
        expect(Number(rec.total)).toBeCloseTo(e.points?.total ?? 0, 4);
        expect(rec.eligible).toBe(e.outcome === 'eligible');
      }),
      { numRuns: 60 },
    );
  });

  it('ranks like rankApplicants, whatever order the applications were stored in', async () => {
    const collective = (await createHousehold(ctxOn(db, '2024-01-01'), { kind: 'collective', townshipCode: PLACE.guangzhouTianhe, address: '集体户2' })).household;
    const people = [];
    for (let i = 0; i < 12; i++) people.push(await newPerson(db, { birthDate: `1980-01-${String(i + 1).padStart(2, '0')}` }));
    const facts: FactSet[] = people.map((_, i) => ({ cityAssessedBasePoints: 100 + (i % 3) * 10, cityAssessedBonusPoints: 60, medicalInsuranceMonths: 40 + (i % 2) * 5, ...(i % 4 === 0 ? {} : { residencePermitYears: i % 3 }) }));
    const expected = rankApplicants(
      GZ_VERSION.policy,
      people.map((p, i) => ({ idNumber: p.idNumber, score: rankingScore(GZ_VERSION.policy, evaluatePolicy(GZ_VERSION.policy, facts[i]!)), keys: tieBreakKeys(GZ_VERSION.policy, facts[i]!, evaluatePolicy(GZ_VERSION.policy, facts[i]!)) })),
      5,
    ).map((r) => [r.idNumber, r.position, r.admitted]);
    for (const [year, order] of [[2031, [...people.keys()]], [2032, [...people.keys()].reverse()]] as const) {
      const round = await openRound(ctxOn(db, '2024-10-01'), { cityCode: '440100', scheme: 'points', year, opensOn: `${year}-10-08`, closesOn: `${year}-11-08`, collectiveHouseholdNumber: collective.householdNumber, quota: 5 });
      for (const i of order) {
        const person = (await sql<{ id: number }>`select id from person where id_number = ${people[i]!.idNumber}`.execute(db)).rows[0]!;
        const d = await db.insertInto('settlement_decision').values({ person_id: person.id, city_code: '440100', scheme: 'points', policy_version: GZ_VERSION.versionId, policy_sha256: 'x', as_of: '2031-10-10', outcome: 'eligible', facts: '{}', evaluation: '{}', requested_by: 't', purpose: null }).returning('id').executeTakeFirstOrThrow();
        await db.insertInto('round_application').values({ round_id: round.id, person_id: person.id, id_number: people[i]!.idNumber, name: 'x', applied_on: '2031-10-10', decision_id: d.id, facts: JSON.stringify(facts[i]), destination_household_number: null, relationship: null, family: '[]', settled_at: null, settlement: null, idempotency_key: null }).execute();
      }
      await scoreRoundSql(db, round.id, GZ_VERSION, 5);
      const got = (await sql<{ id_number: string; position: number; admitted: boolean }>`select a.id_number, r.position, r.admitted from round_result r join round_application a on a.id = r.application_id where r.round_id = ${round.id} order by r.position`.execute(db)).rows.map((r) => [r.id_number, r.position, r.admitted]);
      expect(got).toEqual(expected);
    }
  });
});
