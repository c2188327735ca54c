import { sql, type RawBuilder } from 'kysely';
import { ATTRIBUTE_FACTS, EDUCATION_LEVELS, FACTS, PROFESSIONAL_LEVELS, type FactDefinition } from './facts.vocabulary.ts';

/**
 * Department facts derived set-wise from settlement_fact, for one city and date: one row per person
 * (`person_id`, `facts` jsonb with the FactSet keys of source `store`). Used for one person by the
 * check (so there is one derivation, not a JS copy) and for everyone by simulations. A fact whose kind
 * the department never reported for the person is absent (unknown); reported but not in this city is 0.
 *
 * Months count whole months of each reported period (period_to inclusive; an open period up to the
 * date); periods of one kind are taken not to overlap (the department reports them so).
 */
const levels = (ls: readonly string[]) => `array[${ls.map((l) => `'${l}'`).join(',')}]::text[]`;

function attribute(name: string): string {
  const def = FACTS[name as keyof typeof FACTS] as FactDefinition;
  const pick = `(array_agg(x.value->'value' order by x.period_from desc, x.id desc) filter (where x.kind = 'attribute' and x.value->>'fact' = '${name}'))[1]`;
  void def;
  return `'${name}', ${pick}`;
}

const STORE_FACTS_SELECT = `
  jsonb_strip_nulls(jsonb_build_object(
    'socialInsuranceMonths', case when bool_or(x.kind = 'social_insurance') then coalesce(sum(x.months) filter (where x.kind = 'social_insurance' and x.in_city and x.value->>'insurance' = 'pension' and not x.back_pay), 0) end,
    'socialInsuranceYears', case when bool_or(x.kind = 'social_insurance') then floor(coalesce(sum(x.months) filter (where x.kind = 'social_insurance' and x.in_city and x.value->>'insurance' = 'pension' and not x.back_pay), 0) / 12) end,
    'socialInsuranceBackPayMonths', case when bool_or(x.kind = 'social_insurance') then coalesce(sum(x.months) filter (where x.kind = 'social_insurance' and x.in_city and x.back_pay), 0) end,
    'medicalInsuranceMonths', case when bool_or(x.kind = 'social_insurance') then coalesce(sum(x.months) filter (where x.kind = 'social_insurance' and x.in_city and x.value->>'insurance' = 'medical' and not x.back_pay), 0) end,
    'lawfulEmployment', case when bool_or(x.kind = 'employment') then coalesce(bool_or(x.in_city and x.current) filter (where x.kind = 'employment'), false) end,
    'lawfulResidence', case when bool_or(x.kind in ('lease', 'ownership')) then coalesce(bool_or(x.in_city and x.current and (x.kind = 'ownership' or (x.value->>'registered')::boolean)) filter (where x.kind in ('lease', 'ownership')), false) end,
    'ownedHomeYears', case when bool_or(x.kind in ('lease', 'ownership')) then floor(coalesce(sum(x.months) filter (where x.kind = 'ownership' and x.in_city), 0) / 12) end,
    'rentedHomeYears', case when bool_or(x.kind in ('lease', 'ownership')) then floor(coalesce(sum(x.months) filter (where x.kind = 'lease' and x.in_city and (x.value->>'registered')::boolean), 0) / 12) end,
    'education', (${levels(EDUCATION_LEVELS)})[max(array_position(${levels(EDUCATION_LEVELS)}, x.value->>'level')) filter (where x.kind = 'education')],
    'professionalLevel', (${levels(PROFESSIONAL_LEVELS)})[max(array_position(${levels(PROFESSIONAL_LEVELS)}, x.value->>'level')) filter (where x.kind = 'title')],
    'iitPaidInCity', case when bool_or(x.kind = 'tax') then coalesce(bool_or(x.in_city and coalesce(x.period_to, x.period_from) > x.as_of - interval '12 months' and (x.value->>'amount')::numeric > 0) filter (where x.kind = 'tax'), false) end,
    'averageAnnualIit', case when bool_or(x.kind = 'tax') then round(coalesce(sum((x.value->>'amount')::numeric) filter (where x.kind = 'tax' and x.in_city and coalesce(x.period_to, x.period_from) > x.as_of - interval '36 months'), 0) / 3, 2) end,
    'criminalRecord', case when bool_or(x.kind = 'criminal_record') then coalesce(bool_or((x.value->>'record')::boolean) filter (where x.kind = 'criminal_record'), false) end,
    'criminalRecordsLast5Years', case when bool_or(x.kind = 'criminal_record') then count(*) filter (where x.kind = 'criminal_record' and (x.value->>'record')::boolean and x.period_from > x.as_of - interval '5 years') end,
    'detentions', case when bool_or(x.kind = 'detention') then count(*) filter (where x.kind = 'detention' and (x.value->>'record')::boolean) end,
    'detentionsLast5Years', case when bool_or(x.kind = 'detention') then count(*) filter (where x.kind = 'detention' and (x.value->>'record')::boolean and x.period_from > x.as_of - interval '5 years') end,
    'taxViolations', case when bool_or(x.kind = 'tax_violation') then count(*) filter (where x.kind = 'tax_violation' and (x.value->>'record')::boolean) end
  )) || jsonb_strip_nulls(jsonb_build_object(${ATTRIBUTE_FACTS.map(attribute).join(', ')}))`;

/** The per-row columns the aggregate above reads. */
const ROWS_SELECT = `
  select f.id, f.person_id, f.kind, f.value, f.period_from, f.period_to, d.as_of,
         f.city_code is not distinct from d.city or f.city_code is null and f.kind in ('education', 'title', 'criminal_record', 'detention', 'tax_violation', 'attribute') as in_city,
         coalesce((f.value->>'backPay')::boolean, false) as back_pay,
         f.period_from <= d.as_of and (f.period_to is null or f.period_to >= d.as_of) as current,
         (extract(year from age(least(coalesce(f.period_to, d.as_of), d.as_of) + 1, f.period_from)) * 12
           + extract(month from age(least(coalesce(f.period_to, d.as_of), d.as_of) + 1, f.period_from)))::numeric as months
    from settlement_fact f, d
   where f.period_from <= d.as_of`;

/** Store facts of one person (facts {} and fact_ids null when nothing was ever reported). */
export function storeFactsOfPerson(personId: number, city: string, asOf: string): RawBuilder<{ facts: Record<string, unknown>; fact_ids: number[] | null }> {
  return sql<{ facts: Record<string, unknown>; fact_ids: number[] | null }>`
    with d as (select ${city}::text as city, ${asOf}::date as as_of)
    select ${sql.raw(STORE_FACTS_SELECT)} as facts, array_agg(x.id order by x.id) as fact_ids
      from (${sql.raw(ROWS_SELECT)} and f.person_id = ${personId}) x`;
}

/** Store facts of everyone with any fact, as a subquery `(person_id, facts)` (simulations, benchmarks). */
export function storeFactsOfEveryone(city: string, asOf: string): RawBuilder<unknown> {
  return sql`(
    with d as (select ${city}::text as city, ${asOf}::date as as_of)
    select x.person_id, ${sql.raw(STORE_FACTS_SELECT)} as facts
      from (${sql.raw(ROWS_SELECT)}) x
     group by x.person_id)`;
}
