import type { FactName, FactSet } from './facts.vocabulary.ts';
import type { Evaluation } from './engine.ts';
import type { Policy } from './policy.schema.ts';

/**
 * Ranking under a quota (pure; the round's SQL does the same set-wise, rounds.queries.ts). Order: the
 * ranking score high to low, then the policy's tie-breaks in order, then — only to make the order
 * total, never to admit anyone — the ID number ascending. So the same applicants always rank the
 * same way whatever order they applied in. Applicants equal on score and every tie-break are tied;
 * a tie straddling the cut is admitted whole (`admitAll`, Beijing) or not at all (`admitNone`).
 */
export interface Rankable {
  idNumber: string;
  score: number;
  /** Values of the policy's tie-breaks, in order (null: unknown, ranks last). */
  keys: (number | null)[];
}

export interface Ranked extends Rankable {
  position: number;
  /** 1 + the number of applicants strictly ahead on score and tie-breaks (equal for tied applicants). */
  tieRank: number;
  admitted: boolean;
}

/** Tie-break values of one evaluated applicant. */
export function tieBreakKeys(policy: Policy, facts: FactSet, evaluation: Evaluation): (number | null)[] {
  return (policy.ranking?.tieBreaks ?? []).map((t) => {
    if (t.field === 'total') return evaluation.points?.total ?? null;
    if (t.field === 'base') return evaluation.points?.base ?? null;
    const [kind, name] = t.field.split(':', 2) as [string, string];
    if (kind === 'fact') {
      const v = facts[name as FactName];
      return v === undefined ? null : Number(v);
    }
    if (kind === 'indicator') return evaluation.points?.items.find((i) => i.id === name)?.points ?? null;
    const items = evaluation.points?.items ?? [];
    const inGroup = policy.points?.indicators.map((ind, i) => (ind.group === name ? (items[i]?.points ?? 0) : 0)) ?? [];
    return inGroup.reduce((a, b) => a + b, 0);
  });
}

function compareKeys(policy: Policy, a: Rankable, b: Rankable): number {
  if (a.score !== b.score) return b.score - a.score;
  const tbs = policy.ranking?.tieBreaks ?? [];
  for (let i = 0; i < tbs.length; i++) {
    const x = a.keys[i] ?? null;
    const y = b.keys[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return tbs[i]!.order === 'desc' ? y - x : x - y;
  }
  return 0;
}

export function rankApplicants(policy: Policy, applicants: readonly Rankable[], quota: number | null): Ranked[] {
  const sorted = [...applicants].sort((a, b) => compareKeys(policy, a, b) || (a.idNumber < b.idNumber ? -1 : a.idNumber > b.idNumber ? 1 : 0));
  const ranked: Ranked[] = [];
  sorted.forEach((a, i) => {
    const prev = ranked[i - 1];
    const tieRank = prev && compareKeys(policy, prev, a) === 0 ? prev.tieRank : i + 1;
    ranked.push({ ...a, position: i + 1, tieRank, admitted: false });
  });
  const groupEnd = new Map<number, number>();
  for (const r of ranked) groupEnd.set(r.tieRank, r.position);
  const mode = policy.ranking?.tieAtCutoff ?? 'admitAll';
  for (const r of ranked) {
    if (quota === null) r.admitted = true;
    else if (mode === 'admitAll') r.admitted = r.tieRank <= quota;
    else r.admitted = groupEnd.get(r.tieRank)! <= quota;
  }
  return ranked;
}
