import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluatePolicy, rankingScore } from './engine.ts';
import { FACTS, type FactDefinition, type FactName, type FactSet } from './facts.vocabulary.ts';
import { loadPolicySet, versionInForce, type PolicyVersion } from './policy.loader.ts';
import type { Policy } from './policy.schema.ts';
import { rankApplicants, tieBreakKeys, type Rankable } from './ranking.ts';
import { factSet, fullFactSet } from './test/arbitrary.ts';

const set = loadPolicySet();
const policyOf = (city: string, scheme: string, on: string): Policy => versionInForce(set.byCity.get(city)!.get(scheme)!, on)!.policy;
const beijing = policyOf('110000', 'points', '2024-01-01');
const beijing2016 = policyOf('110000', 'points', '2018-01-01');
const shanghaiPoints = policyOf('310000', 'permit-points', '2024-01-01');
const juzhuanhu = policyOf('310000', 'juzhuanhu', '2024-01-01');
const guangzhou = policyOf('440100', 'points', '2024-10-08');
const openDefault = versionInForce(set.byClass.get('large_2')!, '2025-01-01')!.policy;

/** Every policy version shipped, for the contract suite. */
const EVERY: PolicyVersion[] = [...[...set.byCity.values()].flatMap((s) => [...s.values()].flat()), ...[...set.byClass.values()].flat()];

const bjApplicant: FactSet = {
  residencePermitValid: true,
  belowRetirementAge: true,
  socialInsuranceMonths: 120,
  socialInsuranceYears: 10,
  socialInsuranceBackPayMonths: 0,
  criminalRecord: false,
  ownedHomeYears: 4,
  rentedHomeYears: 8,
  education: 'master',
  outerDistrictResidenceYears: 5,
  outerDistrictJobAndResidenceYears: 2,
  nationalAward: false,
  innovationYears: 0,
  averageAnnualIit: 120_000,
  investorTaxQualifies: true,
  age: 47,
  honour: false,
  taxViolations: 1,
  detentions: 0,
};

describe('Beijing 积分落户 (2020 revision)', () => {
  it('scores item by item: employment 3/yr, residence capped at employment years with owned first, highest education, exclusive area and tax groups, age −4 a year above 45, deductions', () => {
    const e = evaluatePolicy(beijing, bjApplicant);
    const pts = Object.fromEntries(e.points!.items.map((i) => [i.id, [i.points, i.status]]));
    expect(pts).toMatchObject({
      employment: [30, 'counted'],
      ownedHome: [4, 'counted'],
      // 10 employment years − 4 owned = 6 rented years counted of 8
      rentedHome: [3, 'counted'],
      education: [26, 'counted'],
      // residence-only 5 × 2 = 10 capped at 6; job and residence 2 × 4 = 8 wins the exclusive group
      outerResidence: [0, 'excluded'],
      outerJobAndResidence: [8, 'counted'],
      iit: [6, 'counted'],
      investorTax: [0, 'excluded'],
      age: [12, 'counted'],
      taxViolation: [12, 'counted'],
      detention: [0, 'zero'],
    });
    expect(e.points!.total).toBe(30 + 4 + 3 + 26 + 8 + 6 + 12 - 12);
    expect(e.outcome).toBe('eligible');
    expect(e.missing).toEqual([]);
  });

  it.each<[string, FactSet, string, string]>([
    ['6 years of insurance', { ...bjApplicant, socialInsuranceMonths: 83 }, 'not_eligible', 'insurance'],
    ['6 months of back-payments', { ...bjApplicant, socialInsuranceBackPayMonths: 6 }, 'not_eligible', 'backPay'],
    ['no residence permit', { ...bjApplicant, residencePermitValid: false }, 'not_eligible', 'permit'],
    ['a criminal record (veto)', { ...bjApplicant, criminalRecord: true }, 'not_eligible', 'criminal'],
  ])('%s → %s', (_what, facts, outcome, failing) => {
    const e = evaluatePolicy(beijing, facts);
    expect(e.outcome).toBe(outcome);
    expect([...e.conditions, ...e.vetoes].find((c) => c.id === failing)!.status).toBe(failing === 'criminal' ? 'met' : 'unmet');
  });

  it('an unknown criminal record leaves the answer undetermined and says what is missing — never a guess', () => {
    const { criminalRecord: _omit, ...rest } = bjApplicant;
    const e = evaluatePolicy(beijing, rest);
    expect(e.outcome).toBe('undetermined');
    expect(e.missing).toEqual([{ fact: 'criminalRecord', describe: expect.stringContaining('criminal record') as string, neededBy: ['veto.criminal'] }]);
  });

  it('age points floor at 0 (2020) and do not fall at all under the 2016 text', () => {
    expect(evaluatePolicy(beijing, { ...bjApplicant, age: 55 }).points!.items.find((i) => i.id === 'age')!.points).toBe(0);
    expect(evaluatePolicy(beijing2016, { ...bjApplicant, age: 47 }).points!.items.find((i) => i.id === 'age')!.points).toBe(0);
    expect(evaluatePolicy(beijing2016, { ...bjApplicant, age: 45 }).points!.items.find((i) => i.id === 'age')!.points).toBe(20);
  });
});

describe('Shanghai', () => {
  const base: FactSet = { residencePermitValid: true, familyPlanningViolation: false, seriousCriminalRecord: false, age: 30, education: 'bachelor_degree', professionalLevel: 'skill3', socialInsuranceYears: 5 };
  it('residence-permit points: 120 is the standard, and it grants services, not hukou', () => {
    const e = evaluatePolicy(shanghaiPoints, { ...base, shortageMajor: false, insuranceBaseMultiple: 1, publicServiceYears: 0, outerSuburbYears: 0, freshGraduate: false, localSpouseMarriageYears: 0, falseMaterials: 0, detentionsLast5Years: 0, criminalRecordsLast5Years: 0 });
    // age 30 → 30 (capped), education 90 beats title 60, insurance 15, base 1× → 50
    expect(e.points!.total).toBe(30 + 90 + 15 + 50);
    expect(e.points!.items.find((i) => i.id === 'title')!.status).toBe('excluded');
    expect(e.outcome).toBe('eligible');
    expect(e.grants).toBe('services');
  });
  it('deductions floor the total at zero', () => {
    const e = evaluatePolicy(shanghaiPoints, { ...base, falseMaterials: 3, criminalRecordsLast5Years: 2 });
    expect(e.points!.total).toBe(0);
    expect(e.points!.floorApplied).toBe(true);
  });
  it('public-service years count only after 5 years', () => {
    const at = (y: number) => evaluatePolicy(shanghaiPoints, { ...base, publicServiceYears: y }).points!.items.find((i) => i.id === 'publicService')!;
    expect(at(4)).toMatchObject({ points: 0, status: 'not_yet' });
    expect(at(5)).toMatchObject({ points: 20, status: 'counted' });
  });
  it.each<[string, FactSet, string]>([
    ['all five conditions', { residencePermitYears: 7, socialInsuranceMonths: 84, iitPaidInCity: true, professionalLevel: 'skill2_intermediate', familyPlanningViolation: false, criminalRecord: false }, 'eligible'],
    ['a senior title counts as intermediate or above', { residencePermitYears: 8, socialInsuranceMonths: 90, iitPaidInCity: true, professionalLevel: 'skill1_senior', familyPlanningViolation: false, criminalRecord: false }, 'eligible'],
    ['6 years of permit', { residencePermitYears: 6, socialInsuranceMonths: 84, iitPaidInCity: true, professionalLevel: 'skill2_intermediate', familyPlanningViolation: false, criminalRecord: false }, 'not_eligible'],
    ['a level-3 skill only', { residencePermitYears: 7, socialInsuranceMonths: 84, iitPaidInCity: true, professionalLevel: 'skill3', familyPlanningViolation: false, criminalRecord: false }, 'not_eligible'],
    ['tax unknown', { residencePermitYears: 7, socialInsuranceMonths: 84, professionalLevel: 'skill2_intermediate', familyPlanningViolation: false, criminalRecord: false }, 'undetermined'],
  ])('居转户: %s → %s', (_w, facts, outcome) => {
    const e = evaluatePolicy(juzhuanhu, facts);
    expect(e.outcome).toBe(outcome);
    expect(e.grants).toBe('hukou');
  });
});

describe('Guangzhou 积分制入户 2024', () => {
  const ok: FactSet = { lawfulEmployment: true, birthYear: 1978, residencePermitValid: true, socialInsuranceMonths: 48, criminalRecordsLast5Years: 0, cityAssessedBasePoints: 120, cityAssessedBonusPoints: 30 };
  it.each<[string, FactSet, string]>([
    ['born 1978, 4 years of insurance, 150 points', ok, 'eligible'],
    ['born 1977', { ...ok, birthYear: 1977 }, 'not_eligible'],
    ['47 months of insurance', { ...ok, socialInsuranceMonths: 47 }, 'not_eligible'],
    ['149 points', { ...ok, cityAssessedBonusPoints: 29 }, 'not_eligible'],
    ['a criminal punishment in 5 years', { ...ok, criminalRecordsLast5Years: 1 }, 'not_eligible'],
    ['points not yet assessed', { ...ok, cityAssessedBasePoints: undefined as never }, 'undetermined'],
  ])('%s → %s', (_w, facts, outcome) => {
    const clean = Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) as FactSet;
    expect(evaluatePolicy(guangzhou, clean).outcome).toBe(outcome);
  });
  it('ranks by base-indicator points, then medical-insurance months, then residence-permit years', () => {
    const apps: (FactSet & { id: string })[] = [
      { ...ok, id: 'A', cityAssessedBasePoints: 130, medicalInsuranceMonths: 50, residencePermitYears: 5 },
      { ...ok, id: 'B', cityAssessedBasePoints: 130, medicalInsuranceMonths: 60, residencePermitYears: 1 },
      { ...ok, id: 'C', cityAssessedBasePoints: 130, medicalInsuranceMonths: 60, residencePermitYears: 3 },
      { ...ok, id: 'D', cityAssessedBasePoints: 140, cityAssessedBonusPoints: 10, medicalInsuranceMonths: 1, residencePermitYears: 1 },
    ];
    const rankables = apps.map((a) => {
      const e = evaluatePolicy(guangzhou, a);
      return { idNumber: a.id, score: rankingScore(guangzhou, e), keys: tieBreakKeys(guangzhou, a, e) };
    });
    expect(rankApplicants(guangzhou, rankables, 2).map((r) => [r.idNumber, r.admitted])).toEqual([
      ['D', true],
      ['C', true],
      ['B', false],
      ['A', false],
    ]);
  });
});

describe('class defaults', () => {
  it('below 3 M: open on lawful stable residence (a registered lease counts) or lawful stable employment', () => {
    expect(evaluatePolicy(openDefault, { lawfulResidence: true }).outcome).toBe('eligible');
    expect(evaluatePolicy(openDefault, { lawfulEmployment: true }).outcome).toBe('eligible');
    expect(evaluatePolicy(openDefault, { lawfulEmployment: false, lawfulResidence: false }).outcome).toBe('not_eligible');
    const e = evaluatePolicy(openDefault, { lawfulEmployment: false });
    expect(e.outcome).toBe('undetermined');
    expect(e.missing.map((m) => m.fact)).toEqual(['lawfulResidence']);
  });
});

describe('contract: every policy version shipped', () => {
  const withPoints = EVERY.filter((v) => v.policy.points);
  it.each(withPoints.map((v) => [v.versionId, v.policy] as const))('%s: caps respected, exclusive groups exclusive, deductions never below zero, counted-after respected', (_id, policy) => {
    fc.assert(
      fc.property(factSet, (facts) => {
        const e = evaluatePolicy(policy, facts);
        const pts = e.points!;
        policy.points!.indicators.forEach((ind, i) => {
          const item = pts.items[i]!;
          expect(item.points).toBeGreaterThanOrEqual(0);
          if (ind.cap !== undefined) expect(item.points).toBeLessThanOrEqual(ind.cap);
          if (ind.countAfterYears !== undefined) {
            const years = facts[(ind.countAfterFact ?? ind.fact) as FactName];
            if (years === undefined || Number(years) < ind.countAfterYears) expect(item.points).toBe(0);
          }
        });
        for (const g of policy.points!.groups) {
          const counted = policy.points!.indicators.map((ind, i) => (ind.group === g.id && pts.items[i]!.points > 0 ? 1 : 0)).reduce<number>((a, b) => a + b, 0);
          if (g.exclusive) expect(counted).toBeLessThanOrEqual(1);
        }
        if (policy.points!.floorZero) expect(pts.total).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it.each(EVERY.filter((v) => v.policy.vetoes.length).map((v) => [v.versionId, v.policy] as const))('%s: a veto vetoes whatever else is true', (_id, policy) => {
    fc.assert(
      fc.property(fullFactSet, fc.nat({ max: policy.vetoes.length - 1 }), (facts, k) => {
        const veto = policy.vetoes[k]!;
        const vetoed = { ...facts, [veto.fact]: veto.value } as FactSet;
        expect(evaluatePolicy(policy, vetoed).outcome).toBe('not_eligible');
      }),
      { numRuns: 100 },
    );
  });

  it.each(withPoints.map((v) => [v.versionId, v.policy] as const))('%s: adding a positive fact never lowers a score', (_id, policy) => {
    const positives = policy.points!.indicators.filter((i) => i.sign === '+' && (i.kind === 'perYear' || i.kind === 'perUnit' || i.kind === 'flag') && !policy.points!.indicators.some((o) => o.sign === '-' && o.fact === i.fact));
    // Facts that also cap other units (unitsCappedBy) or gate a count only raise what they cap.
    fc.assert(
      fc.property(fullFactSet, fc.constantFrom(...positives), fc.integer({ min: 1, max: 5 }), (facts, ind, more) => {
        const before = evaluatePolicy(policy, facts).points!.total;
        const v = facts[ind.fact as FactName];
        const type = (FACTS[ind.fact as FactName] as FactDefinition).type;
        const raised = { ...facts, [ind.fact]: type === 'boolean' ? true : Number(v ?? 0) + more } as FactSet;
        expect(evaluatePolicy(policy, raised).points!.total).toBeGreaterThanOrEqual(before);
      }),
      { numRuns: 300 },
    );
  });
});

describe('ranking properties', () => {
  const rankable = fc.record({ idNumber: fc.stringMatching(/^[0-9]{6}$/), score: fc.integer({ min: 0, max: 5 }), keys: fc.tuple(fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), fc.option(fc.integer({ min: 0, max: 3 }), { nil: null })) });
  const applicants = fc.uniqueArray(rankable, { selector: (a) => a.idNumber, maxLength: 60 });

  it('is a total order, the same whatever order the applications arrived in', () => {
    fc.assert(
      fc.property(applicants, fc.integer({ min: 0, max: 70 }), fc.infiniteStream(fc.nat()), (apps, quota, stream) => {
        const shuffled = [...apps].sort(() => (stream.next().value % 3) - 1);
        const a = rankApplicants(guangzhou, apps, quota);
        const b = rankApplicants(guangzhou, shuffled as Rankable[], quota);
        expect(b).toEqual(a);
        expect(new Set(a.map((r) => r.position)).size).toBe(apps.length);
      }),
    );
  });

  it.each(['admitAll', 'admitNone'] as const)('the quota cut is exact, ties at the cut-off treated as the policy says (%s)', (mode) => {
    const policy: Policy = { ...guangzhou, ranking: { ...guangzhou.ranking!, tieAtCutoff: mode } };
    fc.assert(
      fc.property(applicants, fc.integer({ min: 1, max: 70 }), (apps, quota) => {
        const ranked = rankApplicants(policy, apps, quota);
        const admitted = ranked.filter((r) => r.admitted);
        const last = ranked[Math.min(quota, ranked.length) - 1];
        const straddles = !!last && ranked.some((r) => r.position > quota && r.tieRank === last.tieRank);
        if (!straddles) expect(admitted).toHaveLength(Math.min(quota, ranked.length));
        else if (mode === 'admitAll') expect(admitted).toEqual(ranked.filter((r) => r.position <= quota || r.tieRank === last.tieRank));
        else expect(admitted).toEqual(ranked.filter((r) => r.position <= quota && r.tieRank !== last.tieRank));
        // Admission follows the order: nobody admitted below someone refused.
        const firstRefused = ranked.findIndex((r) => !r.admitted);
        if (firstRefused >= 0) expect(ranked.slice(firstRefused).every((r) => !r.admitted)).toBe(true);
      }),
    );
  });

  it('Beijing admits everyone tied at the cut-off (6,006 admitted against 6,000 places)', () => {
    const apps: Rankable[] = Array.from({ length: 6100 }, (_, i) => ({ idNumber: String(100000 + i), score: i < 5994 ? 200 - i / 100 : i < 6006 ? 105.42 : 100, keys: [] }));
    const admitted = rankApplicants(beijing, apps, 6000).filter((r) => r.admitted);
    expect(admitted).toHaveLength(6006);
    expect(Math.min(...admitted.map((a) => a.score))).toBe(105.42);
  });
});
