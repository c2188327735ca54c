import { sql } from 'kysely';
import { currentHukouSubquery } from '../registry/index.ts';
import { cityResidentsSubquery } from '../residence/index.ts';
import { isIsoDate } from '../platform/calendar.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { CLASS_NAME, nextClassUp, type CityClass } from './city-class.ts';
import { compilePolicy, factRecordColumns } from './engine.sql.ts';
import { storeFactsOfEveryone } from './derive.sql.ts';
import type { Condition, Policy } from './policy.schema.ts';
import { resolvePolicies } from './resolve.ts';
import type { PolicyVersion } from './policy.loader.ts';

/**
 * Policy simulation for policy makers: "if this city lowered its social-insurance requirement to N
 * months, or raised its quota to Q, or moved to the next class — who would become eligible?" Counts
 * by district of residence and by province of origin over everyone living in the city away from
 * their hukou (the register, residence and the facts store), in one read-only transaction and one
 * set-wise statement: nothing is written. The department facts are aggregated once (a materialised
 * CTE), not once per resident.
 */
export interface SimulationInput {
  cityCode: string;
  on?: string | undefined;
  scheme?: string | undefined;
  socialInsuranceMonths?: number | undefined;
  quota?: number | undefined;
  nextClass?: boolean | undefined;
  /** For a city without a stored class: the class to assume. */
  cityClass?: CityClass | undefined;
}

export interface SimulationGroup {
  code: string;
  residents: number;
  baseline: number;
  variant: number;
  newly: number;
}

export interface SimulationResult {
  cityCode: string;
  asOf: string;
  baseline: { policyVersion: string; quota: number | null };
  variant: { policyVersion: string; quota: number | null; changes: string[] };
  /** People living in the city away from their hukou. */
  residents: number;
  /** Eligible (and, under a quota, within it) before and after; newly = eligible only after. */
  baselineCount: number;
  variantCount: number;
  newly: number;
  byDistrict: SimulationGroup[];
  byOriginProvince: SimulationGroup[];
}

function withInsuranceMonths(policy: Policy, months: number): Policy | null {
  let changed = false;
  const patch = (c: Condition): Condition => {
    if ('anyOf' in c) return { ...c, anyOf: c.anyOf.map((a) => patch(a) as typeof a) };
    if (c.fact === 'socialInsuranceMonths' && (c.op === '>=' || c.op === '>')) {
      changed = true;
      return { ...c, op: '>=', value: months };
    }
    return c;
  };
  const eligibility = policy.eligibility.map(patch);
  return changed ? { ...policy, eligibility } : null;
}

function unsupported(message: string, details: Record<string, unknown>): AppError {
  return new AppError('SETTLEMENT_SIMULATION_UNSUPPORTED', message, { details });
}

/** The counted set of one policy: eligible, and within the quota (ties at the cut as the policy says) when it has one. */
function countedExpr(policy: Policy, quota: number | null, alias: string): { select: string; counted: string } {
  const c = compilePolicy(policy, 'ff', 'record');
  if (quota === null || !policy.ranking) return { select: `(${c.eligible}) as ${alias}_ok`, counted: `${alias}_ok` };
  const order = ['score desc', ...c.tieBreaks.map((t, i) => `${alias}_k${i} ${t.order} nulls last`)].join(', ').replace('score', `${alias}_score`);
  return {
    select: `(${c.eligible}) as ${alias}_ok, ${c.score} as ${alias}_score${c.tieBreaks.map((t, i) => `, ${t.expr} as ${alias}_k${i}`).join('')}`,
    counted: `(${alias}_ok and rank() over (partition by ${alias}_ok order by ${order}) <= ${quota})`,
  };
}

export async function simulatePolicy(ctx: ServiceContext, input: SimulationInput): Promise<SimulationResult> {
  const asOf = input.on ?? chinaDate(ctx.clock.now());
  if (!isIsoDate(asOf)) throw new AppError('VALIDATION_FAILED', `Not a date: ${asOf}.`, { details: [{ field: 'on', code: 'DATE', message: 'YYYY-MM-DD' }] });
  const resolved = resolvePolicies(input.cityCode, asOf, { scheme: input.scheme, cityClass: input.cityClass });
  const hukouSchemes = resolved.versions.filter((v) => v.policy.grants === 'hukou');
  const base: PolicyVersion | undefined = hukouSchemes[0];
  if (!base) throw unsupported(`Nothing to simulate: ${resolved.noPolicy?.reason ?? `no hukou scheme of ${input.cityCode} is in force on ${asOf}`}.`, { noPolicy: resolved.noPolicy });
  const baseQuota = base.policy.annualQuota?.places ?? null;
  let variant: Policy = base.policy;
  let variantId = base.versionId;
  let variantQuota = baseQuota;
  const changes: string[] = [];
  if (input.nextClass) {
    const from = resolved.cityClass;
    if (!from) throw unsupported(`City ${input.cityCode} has no stored class: give cityClass.`, {});
    const to = nextClassUp(from);
    const next = resolvePolicies(input.cityCode, asOf, { cityClass: to }).versions[0];
    if (!next || to === from) throw unsupported(`The class above ${CLASS_NAME[from]} (${CLASS_NAME[to]}) has no default policy: such cities run their own points schemes.`, { from, to });
    variant = next.policy;
    variantId = next.versionId;
    variantQuota = next.policy.annualQuota?.places ?? null;
    changes.push(`class ${from} → ${to}`);
  }
  if (input.socialInsuranceMonths !== undefined) {
    const patched = withInsuranceMonths(variant, input.socialInsuranceMonths);
    if (!patched) throw unsupported(`${variantId} has no social-insurance condition to change.`, { policyVersion: variantId });
    variant = patched;
    changes.push(`social insurance ≥ ${input.socialInsuranceMonths} months`);
  }
  if (input.quota !== undefined) {
    if (!variant.annualQuota) throw unsupported(`${variantId} has no quota to raise.`, { policyVersion: variantId });
    variantQuota = input.quota;
    changes.push(`quota ${input.quota}`);
  }
  const b = countedExpr(base.policy, baseQuota, 'b');
  const v = countedExpr(variant, variantQuota, 'v');
  return ctx.db
    .transaction()
    .setAccessMode('read only')
    .execute(async (trx) => {
      // Register and residence facts joined to the department facts, per resident (same keys as gatherFacts).
      const rows = await sql<{ district: string | null; origin: string | null; residents: string; baseline: string; variant: string; newly: string }>`
        with st as materialized (select * from ${storeFactsOfEveryone(input.cityCode, asOf)} s),
        x as (
          select res.district_code, left(pop.county_code, 2) || '0000' as origin_province,
                 coalesce(st.facts, '{}'::jsonb) || jsonb_build_object(
                   'age', extract(year from age(${asOf}::date, pop.birth_date))::int,
                   'birthYear', extract(year from pop.birth_date)::int,
                   'belowRetirementAge', extract(year from age(${asOf}::date, pop.birth_date)) < case when pop.sex = '1' then 60 else 55 end,
                   'hukouInCity', false,
                   'residencePermitValid', res.permit_valid,
                   'residencePermitYears', res.permit_years,
                   'continuousResidence', res.permit_valid) as facts
            from ${cityResidentsSubquery(input.cityCode, asOf)} res
            join ${currentHukouSubquery()} pop on pop.person_id = res.person_id
            left join st on st.person_id = res.person_id
        ),
        scored as (select x.district_code, x.origin_province, ${sql.raw(b.select)}, ${sql.raw(v.select)} from x cross join lateral jsonb_to_record(x.facts) as ff(${sql.raw(factRecordColumns())})),
        counted as (select district_code, origin_province, ${sql.raw(b.counted)} as b, ${sql.raw(v.counted)} as v from scored)
        select district_code as district, origin_province as origin, count(*) as residents,
               count(*) filter (where b) as baseline, count(*) filter (where v) as variant, count(*) filter (where v and not b) as newly
          from counted
         group by grouping sets ((district_code), (origin_province), ())`.execute(trx);
      const group = (r: (typeof rows.rows)[number], code: string): SimulationGroup => ({ code, residents: Number(r.residents), baseline: Number(r.baseline), variant: Number(r.variant), newly: Number(r.newly) });
      const total = rows.rows.find((r) => r.district === null && r.origin === null);
      const byDistrict = rows.rows.filter((r) => r.district !== null).map((r) => group(r, r.district!)).sort((a, c) => c.newly - a.newly || a.code.localeCompare(c.code));
      const byOriginProvince = rows.rows.filter((r) => r.origin !== null).map((r) => group(r, r.origin!)).sort((a, c) => c.newly - a.newly || a.code.localeCompare(c.code));
      return {
        cityCode: input.cityCode,
        asOf,
        baseline: { policyVersion: base.versionId, quota: baseQuota },
        variant: { policyVersion: variantId, quota: variantQuota, changes },
        residents: Number(total?.residents ?? 0),
        baselineCount: Number(total?.baseline ?? 0),
        variantCount: Number(total?.variant ?? 0),
        newly: Number(total?.newly ?? 0),
        byDistrict,
        byOriginProvince,
      };
    });
}
