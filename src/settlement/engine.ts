import { FACTS, ordinalOf, type FactDefinition, type FactName, type FactSet, type FactValue } from './facts.vocabulary.ts';
import type { Comparison, Condition, Indicator, Policy, Tier } from './policy.schema.ts';

/**
 * The settlement engine: a policy version and a person's facts in, an explained answer out. Pure
 * (no database, no clock): the same policy and facts always give the same answer, which is what lets
 * a stored decision be replayed. An unknown fact is never guessed: a condition on it is `unknown`, an
 * indicator on it scores nothing and says so, and the fact is listed under `missing`.
 * The SQL twin of the scoring (engine.sql.ts) is tested to give the same totals.
 */
export type ConditionStatus = 'met' | 'unmet' | 'unknown';
export type Outcome = 'eligible' | 'not_eligible' | 'undetermined';

export interface ConditionResult {
  id: string;
  label: string;
  article: string;
  verification: string;
  status: ConditionStatus;
  /** The comparison, e.g. `socialInsuranceMonths >= 84`; for anyOf the alternatives below. */
  rule: string;
  fact: string | null;
  actual: FactValue | null;
  alternatives?: ConditionResult[];
}

export type IndicatorStatus = 'counted' | 'zero' | 'unknown' | 'excluded' | 'not_yet' | 'capped';

export interface IndicatorResult {
  id: string;
  label: string;
  article: string;
  verification: string;
  sign: '+' | '-';
  fact: string;
  actual: FactValue | null;
  /** Units counted (years or records) for perYear/perUnit, after pools and caps of units. */
  units: number | null;
  /** Points before the indicator's cap. */
  raw: number;
  /** Points that count (after the cap, the exclusive group and the group cap). */
  points: number;
  status: IndicatorStatus;
  explanation: string;
}

export interface PointsResult {
  total: number;
  base: number;
  additions: number;
  deductions: number;
  /** The total would have been negative: the floor of zero applied. */
  floorApplied: boolean;
  items: IndicatorResult[];
}

export interface Evaluation {
  outcome: Outcome;
  grants: Policy['grants'];
  conditions: ConditionResult[];
  vetoes: ConditionResult[];
  points: PointsResult | null;
  threshold: { required: number; of: 'total' | 'base'; actual: number; status: ConditionStatus; article: string } | null;
  /** Facts that would decide or change the answer, with what they mean and what needs them. */
  missing: { fact: string; describe: string; neededBy: string[] }[];
}

const round4 = (n: number) => Math.round(n * 10000) / 10000;

function factType(name: string) {
  return (FACTS[name as FactName] as FactDefinition).type;
}

function compare(c: Comparison, actual: FactValue): boolean {
  const type = factType(c.fact);
  if (type === 'education' || type === 'professional') {
    const a = ordinalOf(type, actual);
    const b = ordinalOf(type, c.value);
    return cmpNumbers(c.op, a, b);
  }
  if (type === 'boolean') return c.op === '=' ? actual === c.value : actual !== c.value;
  return cmpNumbers(c.op, Number(actual), Number(c.value));
}

function cmpNumbers(op: Comparison['op'], a: number, b: number): boolean {
  switch (op) {
    case '>=':
      return a >= b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '<':
      return a < b;
    case '=':
      return a === b;
    case '!=':
      return a !== b;
  }
}

function evaluateComparison(c: Comparison, facts: FactSet): ConditionResult {
  const actual = facts[c.fact as FactName];
  const known = actual !== undefined;
  return {
    id: c.id,
    label: c.label,
    article: c.article,
    verification: c.verification,
    rule: `${c.fact} ${c.op} ${String(c.value)}`,
    fact: c.fact,
    actual: known ? actual : null,
    status: !known ? 'unknown' : compare(c, actual) ? 'met' : 'unmet',
  };
}

export function evaluateCondition(c: Condition, facts: FactSet): ConditionResult {
  if (!('anyOf' in c)) return evaluateComparison(c, facts);
  const alternatives = c.anyOf.map((a) => evaluateComparison(a, facts));
  const status: ConditionStatus = alternatives.some((a) => a.status === 'met') ? 'met' : alternatives.every((a) => a.status === 'unmet') ? 'unmet' : 'unknown';
  return { id: c.id, label: c.label, article: c.article, verification: c.verification, rule: `any of: ${alternatives.map((a) => a.rule).join(' | ')}`, fact: null, actual: null, status, alternatives };
}

function tierPoints(tier: Tier, value: number): number {
  return tier.perUnit === undefined ? tier.points : tier.points + tier.perUnit * (value - (tier.from ?? 0));
}

export function tierMatches(tier: Tier, value: FactValue): boolean {
  if (tier.equals !== undefined) return value === tier.equals;
  const n = Number(value);
  return (tier.min === undefined || n >= tier.min) && (tier.max === undefined || n <= tier.max);
}

/** Scores every indicator, then applies exclusive groups, group caps, deductions and the floor. */
export function scorePoints(points: NonNullable<Policy['points']>, facts: FactSet): PointsResult {
  const pools = new Map<string, number>();
  const items: IndicatorResult[] = points.indicators.map((ind) => scoreIndicator(ind, facts, pools));
  for (const g of points.groups) {
    const members = items.filter((_, i) => points.indicators[i]!.group === g.id && points.indicators[i]!.sign === '+');
    if (g.exclusive && members.length > 1) {
      // Only the best counts; on equal points the first listed (the value is the same either way).
      let best = members[0]!;
      for (const m of members) if (m.points > best.points) best = m;
      for (const m of members) {
        if (m !== best && m.points > 0) {
          m.explanation += `; not counted: only one of "${g.label}" counts (${best.id} gives ${best.points})`;
          m.points = 0;
          m.status = 'excluded';
        }
      }
    }
    if (g.cap !== undefined) {
      let left = g.cap;
      for (const m of members) {
        const take = Math.min(m.points, Math.max(0, left));
        if (take < m.points) {
          m.explanation += `; group "${g.label}" capped at ${g.cap}`;
          m.points = round4(take);
          m.status = 'capped';
        }
        left -= take;
      }
    }
  }
  let additions = 0;
  let deductions = 0;
  let base = 0;
  items.forEach((it, i) => {
    if (it.sign === '+') additions += it.points;
    else deductions += it.points;
    if (points.indicators[i]!.base && it.sign === '+') base += it.points;
  });
  const net = additions - deductions;
  const floorApplied = points.floorZero && net < 0;
  return { total: round4(floorApplied ? 0 : net), base: round4(base), additions: round4(additions), deductions: round4(deductions), floorApplied, items };
}

function scoreIndicator(ind: Indicator, facts: FactSet, pools: Map<string, number>): IndicatorResult {
  const actual = facts[ind.fact as FactName];
  const result: IndicatorResult = {
    id: ind.id,
    label: ind.label,
    article: ind.article,
    verification: ind.verification,
    sign: ind.sign,
    fact: ind.fact,
    actual: actual ?? null,
    units: null,
    raw: 0,
    points: 0,
    status: 'zero',
    explanation: '',
  };
  if (actual === undefined) {
    result.status = 'unknown';
    result.explanation = `${ind.fact} unknown: not counted`;
    return result;
  }
  if (ind.countAfterYears !== undefined) {
    const yearsFact = (ind.countAfterFact ?? ind.fact) as FactName;
    const years = facts[yearsFact];
    if (years === undefined) {
      result.status = 'unknown';
      result.explanation = `${yearsFact} unknown: counted only after ${ind.countAfterYears} years`;
      return result;
    }
    if (Number(years) < ind.countAfterYears) {
      result.status = 'not_yet';
      result.explanation = `counted only after ${ind.countAfterYears} years (${String(years)} so far)`;
      return result;
    }
  }
  let raw = 0;
  if (ind.kind === 'flag') {
    raw = actual === true ? ind.points! : 0;
    result.explanation = actual === true ? `${ind.points}` : 'not met';
  } else if (ind.kind === 'tiered') {
    const tier = ind.tiers!.find((t) => tierMatches(t, actual));
    raw = tier ? tierPoints(tier, Number(actual)) : 0;
    result.explanation = tier ? `${ind.fact} = ${String(actual)}: ${round4(raw)}` : `${ind.fact} = ${String(actual)}: no tier applies`;
  } else {
    let units = Math.max(0, Number(actual));
    if (ind.unitsCappedBy !== undefined) {
      const limitValue = facts[ind.unitsCappedBy as FactName];
      if (limitValue === undefined) {
        result.status = 'unknown';
        result.explanation = `${ind.unitsCappedBy} unknown: the years counted are capped by it`;
        return result;
      }
      const used = pools.get(ind.unitPool!) ?? 0;
      const left = Math.max(0, Number(limitValue) - used);
      if (units > left) result.explanation = `${units} counted as ${left} (at most ${String(limitValue)} with ${ind.unitPool}); `;
      units = Math.min(units, left);
      pools.set(ind.unitPool!, used + units);
    }
    result.units = units;
    raw = units * ind.points!;
    result.explanation += `${units} × ${ind.points}`;
  }
  if (ind.floor !== undefined && raw < ind.floor) {
    raw = ind.floor;
    result.explanation += ` (floor ${ind.floor})`;
  }
  result.raw = round4(raw);
  let counted = raw;
  if (ind.cap !== undefined && counted > ind.cap) {
    counted = ind.cap;
    result.status = 'capped';
    result.explanation += `; capped at ${ind.cap}`;
  }
  result.points = round4(counted);
  if (result.status !== 'capped') result.status = result.points > 0 ? 'counted' : 'zero';
  return result;
}

/** The full explained answer of one policy version for one person's facts. */
export function evaluatePolicy(policy: Policy, facts: FactSet): Evaluation {
  const conditions = policy.eligibility.map((c) => evaluateCondition(c, facts));
  const vetoes = policy.vetoes.map((c) => evaluateCondition(c, facts));
  const points = policy.points ? scorePoints(policy.points, facts) : null;
  let threshold: Evaluation['threshold'] = null;
  if (policy.threshold && points) {
    const actual = policy.threshold.of === 'base' ? points.base : points.total;
    const anyUnknown = points.items.some((i) => i.status === 'unknown' && i.sign === '+');
    const status: ConditionStatus = actual >= policy.threshold.points ? 'met' : anyUnknown ? 'unknown' : 'unmet';
    threshold = { required: policy.threshold.points, of: policy.threshold.of, actual, status, article: policy.threshold.article };
  }
  // Deductions on unknown facts could only lower the total: a met threshold with them unknown is still undetermined.
  const deductionsUnknown = !!points && points.items.some((i) => i.status === 'unknown' && i.sign === '-');
  const statuses = [...conditions.map((c) => c.status), ...vetoes.map((v) => (v.status === 'met' ? 'unmet' : v.status === 'unmet' ? 'met' : 'unknown'))];
  if (threshold) statuses.push(threshold.status === 'met' && deductionsUnknown ? 'unknown' : threshold.status);
  const outcome: Outcome = statuses.includes('unmet') ? 'not_eligible' : statuses.includes('unknown') ? 'undetermined' : 'eligible';

  const missing = new Map<string, Set<string>>();
  const need = (fact: string, by: string) => {
    if (!missing.has(fact)) missing.set(fact, new Set());
    missing.get(fact)!.add(by);
  };
  const walk = (r: ConditionResult, prefix: string) => {
    if (r.status !== 'unknown') return;
    if (r.alternatives) r.alternatives.forEach((a) => walk(a, `${prefix}${r.id}.`));
    else if (r.fact) need(r.fact, `${prefix}${r.id}`);
  };
  conditions.forEach((c) => walk(c, 'eligibility.'));
  vetoes.forEach((v) => walk(v, 'veto.'));
  for (const [i, it] of (points?.items ?? []).entries()) {
    if (it.status !== 'unknown') continue;
    const ind = policy.points!.indicators[i]!;
    const fact = facts[ind.fact as FactName] === undefined ? ind.fact : (ind.countAfterFact ?? ind.unitsCappedBy ?? ind.fact);
    need(fact, `points.${it.id}`);
  }
  return {
    outcome,
    grants: policy.grants,
    conditions,
    vetoes,
    points,
    threshold,
    missing: [...missing].map(([fact, by]) => ({ fact, describe: (FACTS[fact as FactName] as FactDefinition).describe, neededBy: [...by] })),
  };
}

/** The points a ranking orders by (total, or base-indicator points). */
export function rankingScore(policy: Policy, evaluation: Evaluation): number {
  if (!evaluation.points) return 0;
  return policy.ranking?.by === 'base' ? evaluation.points.base : evaluation.points.total;
}
