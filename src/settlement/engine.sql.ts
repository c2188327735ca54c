import { FACTS, EDUCATION_LEVELS, PROFESSIONAL_LEVELS, type FactDefinition, type FactName } from './facts.vocabulary.ts';
import type { Comparison, Condition, Indicator, Policy, Tier } from './policy.schema.ts';

/**
 * The policy compiled to SQL over a jsonb column of derived facts (the same keys as FactSet), for
 * set-wise scoring of a whole round and for simulations over the whole register. The text holds only
 * numbers and names from the fact vocabulary (validated at load) — never user input. `engine.ts`
 * is the reference; tests check the two agree on random facts.
 */
export interface CompiledPolicy {
  /** numeric: the total (deductions and the floor of zero applied). */
  total: string;
  /** numeric: points of base indicators. */
  base: string;
  /** numeric: what the ranking orders by. */
  score: string;
  /** boolean: every condition met, no veto, the threshold reached — an unknown fact counts as not met. */
  eligible: string;
  /** Tie-break expressions with their order (nulls last). */
  tieBreaks: { expr: string; order: 'asc' | 'desc' }[];
}

function num(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return `${n}::numeric`;
}

function name(f: string): string {
  if (!Object.hasOwn(FACTS, f)) throw new Error(`unknown fact ${f}`);
  return `'${f}'`;
}

/**
 * How a fact is read: from a jsonb column (`f->>'age'`), or — much cheaper when a statement scores
 * many rows — from the columns of `jsonb_to_record(f) as <alias>(…factRecordColumns())`, parsed once per row.
 */
let mode: 'json' | 'record' = 'json';
const textFact = (col: string, f: string) => (mode === 'record' ? `${col}."${name(f).slice(1, -1)}"` : `${col}->>${name(f)}`);
const numberFact = (col: string, f: string) => (mode === 'record' ? textFact(col, f) : `(${textFact(col, f)})::numeric`);
const boolFact = (col: string, f: string) => (mode === 'record' ? textFact(col, f) : `(${textFact(col, f)})::boolean`);

function levelFact(col: string, f: string, type: 'education' | 'professional'): string {
  const levels = type === 'education' ? EDUCATION_LEVELS : PROFESSIONAL_LEVELS;
  return `(array_position(array[${levels.map((l) => `'${l}'`).join(',')}]::text[], ${textFact(col, f)}) - 1)`;
}

/** The column list of `jsonb_to_record(facts) as x(…)` for record mode: every fact with its SQL type. */
export function factRecordColumns(): string {
  return Object.entries(FACTS)
    .map(([n, d]) => `"${n}" ${(d as FactDefinition).type === 'number' ? 'numeric' : (d as FactDefinition).type === 'boolean' ? 'boolean' : 'text'}`)
    .join(', ');
}

function levelIndex(type: 'education' | 'professional', v: unknown): number {
  const levels: readonly string[] = type === 'education' ? EDUCATION_LEVELS : PROFESSIONAL_LEVELS;
  return levels.indexOf(String(v));
}

/** The comparison in three-valued logic: null when the fact is unknown. */
function comparisonRaw(col: string, c: Comparison): string {
  const type = (FACTS[c.fact as FactName] as FactDefinition).type;
  const op = c.op === '!=' ? '<>' : c.op;
  if (type === 'boolean') return `(${boolFact(col, c.fact)} ${op} ${c.value === true ? 'true' : 'false'})`;
  if (type === 'number') return `(${numberFact(col, c.fact)} ${op} ${num(Number(c.value))})`;
  return `(${levelFact(col, c.fact, type)} ${op} ${levelIndex(type, c.value)})`;
}

function conditionRaw(col: string, c: Condition): string {
  return 'anyOf' in c ? `(${c.anyOf.map((a) => comparisonRaw(col, a)).join(' or ')})` : comparisonRaw(col, c);
}

/** A condition counts as met only when known and true; a veto as clear only when known and false (like engine.ts). */
const condition = (col: string, c: Condition) => `coalesce(${conditionRaw(col, c)}, false)`;
const vetoClear = (col: string, c: Condition) => `coalesce(not ${conditionRaw(col, c)}, false)`;

function tierTest(col: string, ind: Indicator, t: Tier): string {
  const type = (FACTS[ind.fact as FactName] as FactDefinition).type;
  if (t.equals !== undefined) {
    if (type === 'boolean') return `${boolFact(col, ind.fact)} = ${t.equals === true ? 'true' : 'false'}`;
    if (type === 'number') return `${numberFact(col, ind.fact)} = ${num(Number(t.equals))}`;
    return `${textFact(col, ind.fact)} = '${String(t.equals).replace(/'/g, "''")}'`;
  }
  const v = numberFact(col, ind.fact);
  const parts = [t.min !== undefined ? `${v} >= ${num(t.min)}` : '', t.max !== undefined ? `${v} <= ${num(t.max)}` : ''].filter(Boolean);
  return parts.length ? parts.join(' and ') : 'true';
}

/** Each indicator's counted points before exclusive groups and group caps. */
function indicatorExpressions(col: string, points: NonNullable<Policy['points']>): string[] {
  const poolUnits = new Map<string, string[]>();
  return points.indicators.map((ind) => {
    let raw: string;
    if (ind.kind === 'flag') raw = `case when ${boolFact(col, ind.fact)} then ${num(ind.points!)} else 0 end`;
    else if (ind.kind === 'tiered') {
      const whens = ind.tiers!.map((t) => `when ${tierTest(col, ind, t)} then ${t.perUnit === undefined ? num(t.points) : `(${num(t.points)} + ${num(t.perUnit)} * (${numberFact(col, ind.fact)} - ${num(t.from ?? 0)}))`}`);
      raw = `case ${whens.join(' ')} else 0 end`;
    } else {
      let units = `greatest(0, ${numberFact(col, ind.fact)})`;
      if (ind.unitsCappedBy !== undefined) {
        const used = poolUnits.get(ind.unitPool!) ?? [];
        const left = `greatest(0, ${numberFact(col, ind.unitsCappedBy)} - ${used.length ? used.map((u) => `coalesce(${u}, 0)`).join(' + ') : '0'})`;
        units = `least(${units}, ${left})`;
        poolUnits.set(ind.unitPool!, [...used, units]);
      }
      raw = `(${units} * ${num(ind.points!)})`;
    }
    if (ind.floor !== undefined) raw = `greatest(${raw}, ${num(ind.floor)})`;
    if (ind.cap !== undefined) raw = `least(${raw}, ${num(ind.cap)})`;
    if (ind.countAfterYears !== undefined) raw = `case when ${numberFact(col, ind.countAfterFact ?? ind.fact)} >= ${num(ind.countAfterYears)} then ${raw} else 0 end`;
    return `case when ${textFact(col, ind.fact)} is null then 0::numeric else coalesce(${raw}, 0) end`;
  });
}

export function compilePolicy(policy: Policy, col = 'f', read: 'json' | 'record' = 'json'): CompiledPolicy {
  mode = read;
  try {
    return compile(policy, col);
  } finally {
    mode = 'json';
  }
}

function compile(policy: Policy, col: string): CompiledPolicy {
  const eligibleParts = [...policy.eligibility.map((c) => condition(col, c)), ...policy.vetoes.map((v) => vetoClear(col, v))];
  let total = '0::numeric';
  let base = '0::numeric';
  if (policy.points) {
    const p = policy.points;
    const exprs = indicatorExpressions(col, p);
    const additions: string[] = [];
    const baseParts: string[] = [];
    const deductions: string[] = [];
    const grouped = new Set<number>();
    for (const g of p.groups) {
      const members = p.indicators.map((ind, i) => ({ ind, i })).filter(({ ind }) => ind.group === g.id && ind.sign === '+');
      if (!members.length) continue;
      members.forEach(({ i }) => grouped.add(i));
      // An exclusive group counts its best member; its base share is that member's when base.
      let groupExpr = g.exclusive && members.length > 1 ? `greatest(${members.map(({ i }) => exprs[i]).join(', ')})` : members.map(({ i }) => exprs[i]).join(' + ');
      if (g.cap !== undefined) groupExpr = `least(${groupExpr}, ${num(g.cap)})`;
      additions.push(`(${groupExpr})`);
      if (members.every(({ ind }) => ind.base)) baseParts.push(`(${groupExpr})`);
    }
    p.indicators.forEach((ind, i) => {
      if (grouped.has(i)) return;
      if (ind.sign === '-') deductions.push(exprs[i]!);
      else {
        additions.push(exprs[i]!);
        if (ind.base) baseParts.push(exprs[i]!);
      }
    });
    const net = `(${additions.join(' + ') || '0'}) - (${deductions.join(' + ') || '0'})`;
    total = `round(${p.floorZero ? `greatest(0, ${net})` : net}, 4)`;
    base = `round(${baseParts.join(' + ') || '0'}, 4)`;
  }
  if (policy.threshold) eligibleParts.push(`${policy.threshold.of === 'base' ? base : total} >= ${num(policy.threshold.points)}`);
  const score = policy.ranking?.by === 'base' ? base : total;
  const tieBreaks = (policy.ranking?.tieBreaks ?? []).map((t) => {
    if (t.field === 'total') return { expr: total, order: t.order };
    if (t.field === 'base') return { expr: base, order: t.order };
    const [kind, n] = t.field.split(':', 2) as [string, string];
    if (kind === 'fact') return { expr: numberFact(col, n), order: t.order };
    const exprs = indicatorExpressions(col, policy.points!);
    const idx = policy.points!.indicators.map((ind, i) => ({ ind, i })).filter(({ ind }) => (kind === 'indicator' ? ind.id === n : ind.group === n));
    return { expr: `(${idx.map(({ i }) => exprs[i]).join(' + ') || '0'})`, order: t.order };
  });
  return { total, base, score, eligible: eligibleParts.length ? eligibleParts.map((e) => `(${e})`).join(' and ') : 'true', tieBreaks };
}
