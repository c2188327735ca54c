import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { findServicePerson } from '../residence/index.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { AppError, type FieldIssue } from '../platform/errors.ts';
import { isIsoDate } from '../platform/calendar.ts';
import { textIssue } from '../platform/text.ts';
import { ATTRIBUTE_FACTS, EDUCATION_LEVELS, FACTS, FACT_KINDS, PROFESSIONAL_LEVELS, type FactDefinition, type FactKind } from './facts.vocabulary.ts';
import * as q from './settlement.queries.ts';

/**
 * The store of department facts (社保, employment, education, tax, lease or ownership, criminal and
 * detention records, titles, attributes). Each fact keeps its source, period, the day it was
 * received and its evidence; the store is append-only (a correction is a newer fact). Until the
 * sharing issue feeds it from departments, officers and the CLI record facts here.
 */
const Lit = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const Short = Type.String({ minLength: 1, maxLength: 200 });
const RECORD = Type.Object({ record: Type.Boolean() }, { additionalProperties: false });

export const FACT_VALUE_SCHEMAS = {
  social_insurance: Type.Object({ insurance: Lit(['pension', 'medical', 'unemployment', 'injury', 'maternity']), backPay: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
  employment: Type.Object({ employer: Short, contract: Type.Optional(Short) }, { additionalProperties: false }),
  education: Type.Object({ level: Lit(EDUCATION_LEVELS) }, { additionalProperties: false }),
  tax: Type.Object({ amount: Type.Number({ minimum: 0, maximum: 1e12 }) }, { additionalProperties: false }),
  lease: Type.Object({ registered: Type.Boolean(), address: Short }, { additionalProperties: false }),
  ownership: Type.Object({ address: Short }, { additionalProperties: false }),
  criminal_record: RECORD,
  detention: RECORD,
  tax_violation: RECORD,
  title: Type.Object({ level: Lit(PROFESSIONAL_LEVELS) }, { additionalProperties: false }),
  attribute: Type.Object({ fact: Lit(ATTRIBUTE_FACTS), value: Type.Union([Type.Number(), Type.Boolean()]) }, { additionalProperties: false }),
} as const;

/** Kinds that happen in a city (the city is required). */
const CITY_KINDS: ReadonlySet<FactKind> = new Set(['social_insurance', 'employment', 'tax', 'lease', 'ownership']);

export interface RecordFactInput {
  idNumber: string;
  kind: FactKind;
  cityCode?: string | null | undefined;
  periodFrom: string;
  periodTo?: string | null | undefined;
  value: Record<string, unknown>;
  source: string;
  receivedOn?: string | undefined;
  evidence: string;
  idempotencyKey?: string | undefined;
}

export interface FactView {
  id: number;
  kind: string;
  cityCode: string | null;
  periodFrom: string;
  periodTo: string | null;
  value: Record<string, unknown>;
  source: string;
  receivedOn: string;
  evidence: string;
  recordedBy: string;
}

export function factView(r: q.FactRow): FactView {
  return { id: r.id, kind: r.kind, cityCode: r.city_code, periodFrom: r.period_from, periodTo: r.period_to, value: r.value, source: r.source, receivedOn: r.received_on, evidence: r.evidence, recordedBy: r.recorded_by };
}

function factIssues(input: RecordFactInput, today: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!(FACT_KINDS as readonly string[]).includes(input.kind)) return [{ field: 'kind', code: 'ENUM', message: `one of ${FACT_KINDS.join(', ')}` }];
  const schema = FACT_VALUE_SCHEMAS[input.kind];
  if (!Value.Check(schema, input.value)) {
    const fields = new Set<string>();
    for (const e of Value.Errors(schema, input.value)) {
      const field = `value${e.instancePath.replaceAll('/', '.')}`;
      if (fields.has(field) || e.keyword === 'additionalProperties') continue;
      fields.add(field);
      issues.push({ field, code: 'INVALID', message: e.keyword === 'boolean' ? 'unknown field' : e.message });
    }
  }
  if (input.kind === 'attribute' && issues.length === 0) {
    const v = input.value as Static<(typeof FACT_VALUE_SCHEMAS)['attribute']>;
    const type = (FACTS[v.fact] as FactDefinition).type;
    if (typeof v.value !== (type === 'boolean' ? 'boolean' : 'number')) issues.push({ field: 'value.value', code: 'TYPE', message: `${v.fact} is ${type === 'boolean' ? 'true or false' : 'a number'}` });
  }
  if (!isIsoDate(input.periodFrom)) issues.push({ field: 'periodFrom', code: 'DATE', message: 'a date YYYY-MM-DD' });
  if (input.periodTo != null && (!isIsoDate(input.periodTo) || input.periodTo < input.periodFrom)) issues.push({ field: 'periodTo', code: 'DATE', message: 'a date YYYY-MM-DD, not before periodFrom' });
  const received = input.receivedOn ?? today;
  if (!isIsoDate(received) || received > today) issues.push({ field: 'receivedOn', code: 'DATE', message: 'a date YYYY-MM-DD, not in the future' });
  if (CITY_KINDS.has(input.kind) && !input.cityCode) issues.push({ field: 'cityCode', code: 'REQUIRED', message: `a ${input.kind} fact happens in a city` });
  if (input.cityCode != null && !/^\d{6}$/.test(input.cityCode)) issues.push({ field: 'cityCode', code: 'PATTERN', message: 'a 6-digit division code' });
  for (const [field, text] of [['source', input.source], ['evidence', input.evidence]] as const) {
    const issue = textIssue(field, text, 200);
    if (issue) issues.push(issue);
  }
  return issues;
}

/** Records one department fact with its evidence (idempotent by key). */
export async function recordFact(ctx: ServiceContext, input: RecordFactInput): Promise<FactView> {
  const today = chinaDate(ctx.clock.now());
  const issues = factIssues(input, today);
  if (issues.length) throw new AppError('SETTLEMENT_FACT_INVALID', `The ${input.kind} fact is not valid: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}.`, { details: issues });
  return ctx.db.transaction().execute(async (trx) => {
    if (input.idempotencyKey) {
      const prior = await q.findFactByKey(trx, input.idempotencyKey);
      if (prior) return factView(prior);
    }
    const person = await findServicePerson(trx, input.idNumber);
    const row = await q.insertFact(trx, {
      person_id: person.id,
      kind: input.kind,
      city_code: input.cityCode ?? null,
      period_from: input.periodFrom,
      period_to: input.periodTo ?? null,
      value: JSON.stringify(input.value),
      source: input.source.trim(),
      received_on: input.receivedOn ?? today,
      evidence: input.evidence.trim(),
      recorded_by: ctx.actor.id,
      idempotency_key: input.idempotencyKey ?? null,
    });
    return factView(row);
  });
}

/** Every fact of a person, newest first. */
export async function listFacts(ctx: ServiceContext, idNumber: string): Promise<FactView[]> {
  const person = await findServicePerson(ctx.db, idNumber);
  return (await q.factsOfPerson(ctx.db, person.id)).map(factView);
}
