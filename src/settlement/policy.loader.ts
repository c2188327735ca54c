import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Value } from 'typebox/value';
import { repoPath, REPO_ROOT } from '../platform/paths.ts';
import { CITY_CLASSES, type CityClass } from './city-class.ts';
import { FACTS, isFactName, ordinalOf, type FactDefinition } from './facts.vocabulary.ts';
import { JsonSyntaxError, lineOf, parseJsonWithLines } from './json-lines.ts';
import { Policy, type Comparison, type Condition } from './policy.schema.ts';

/** One problem in one policy file: where (file, line, JSON pointer) and what. */
export interface PolicyIssue {
  file: string;
  line: number;
  pointer: string;
  message: string;
}

/** A loaded policy version: the file's content plus where it came from and when it ends. */
export interface PolicyVersion {
  policy: Policy;
  /** `<city>/<scheme>@<effectiveFrom>` (defaults: `class:<class>/<scheme>@…`): stored with every decision. */
  versionId: string;
  file: string;
  /** Last day in force (its own effectiveTo, else the day before the next version), null when open. */
  endsOn: string | null;
  /** SHA-free fingerprint: the file text, so a decision can be replayed against exactly what was in force. */
  text: string;
}

export interface PolicySet {
  /** City code → scheme → versions by effectiveFrom. */
  byCity: Map<string, Map<string, PolicyVersion[]>>;
  /** Class defaults (cities without their own files). */
  byClass: Map<CityClass, PolicyVersion[]>;
  issues: PolicyIssue[];
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

function validDate(d: string): boolean {
  if (!ISO.test(d)) return false;
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
}

function dayBefore(d: string): string {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() - 1);
  return t.toISOString().slice(0, 10);
}

/** Semantic checks the schema cannot express: facts known, values typed, references resolved, caps not negative. */
function semanticIssues(p: Policy): { pointer: string; message: string }[] {
  const out: { pointer: string; message: string }[] = [];
  const ids = new Set<string>();
  const checkComparison = (c: Comparison, at: string) => {
    if (!isFactName(c.fact)) return out.push({ pointer: `${at}/fact`, message: `unknown fact "${c.fact}"` });
    const def = FACTS[c.fact] as FactDefinition;
    const v = c.value;
    if (def.type === 'number' && typeof v !== 'number') out.push({ pointer: `${at}/value`, message: `fact ${c.fact} is a number` });
    if (def.type === 'boolean' && (typeof v !== 'boolean' || !['=', '!='].includes(c.op))) out.push({ pointer: `${at}/value`, message: `fact ${c.fact} is true or false, compared with = or !=` });
    if ((def.type === 'education' || def.type === 'professional') && (typeof v !== 'string' || ordinalOf(def.type, v) < 0)) out.push({ pointer: `${at}/value`, message: `"${String(v)}" is not a level of ${c.fact}` });
    return undefined;
  };
  const checkCondition = (c: Condition, at: string) => {
    if (ids.has(c.id)) out.push({ pointer: `${at}/id`, message: `duplicate id "${c.id}"` });
    ids.add(c.id);
    if ('anyOf' in c) c.anyOf.forEach((a, i) => checkComparison(a, `${at}/anyOf/${i}`));
    else checkComparison(c, at);
  };
  p.eligibility.forEach((c, i) => checkCondition(c, `/eligibility/${i}`));
  p.vetoes.forEach((c, i) => checkCondition(c, `/vetoes/${i}`));
  const indicatorIds = new Set<string>();
  const groupIds = new Set((p.points?.groups ?? []).map((g) => g.id));
  p.points?.groups.forEach((g, i) => {
    if (g.cap !== undefined && g.cap < 0) out.push({ pointer: `/points/groups/${i}/cap`, message: `a cap cannot be negative (${g.cap})` });
  });
  p.points?.indicators.forEach((ind, i) => {
    const at = `/points/indicators/${i}`;
    if (indicatorIds.has(ind.id)) out.push({ pointer: `${at}/id`, message: `duplicate indicator "${ind.id}"` });
    indicatorIds.add(ind.id);
    if (!isFactName(ind.fact)) out.push({ pointer: `${at}/fact`, message: `unknown fact "${ind.fact}"` });
    else {
      const type = (FACTS[ind.fact] as FactDefinition).type;
      if ((ind.kind === 'perYear' || ind.kind === 'perUnit') && type !== 'number') out.push({ pointer: `${at}/fact`, message: `a ${ind.kind} indicator needs a number fact; ${ind.fact} is ${type}` });
      if (ind.kind === 'flag' && type !== 'boolean') out.push({ pointer: `${at}/fact`, message: `a flag indicator needs a true/false fact; ${ind.fact} is ${type}` });
      ind.tiers?.forEach((t, j) => {
        if (t.equals !== undefined && (type === 'education' || type === 'professional') && ordinalOf(type, t.equals) < 0) out.push({ pointer: `${at}/tiers/${j}/equals`, message: `"${String(t.equals)}" is not a level of ${ind.fact}` });
        if (t.equals === undefined && type !== 'number') out.push({ pointer: `${at}/tiers/${j}`, message: `a tier of a ${type} fact names the level it matches (equals)` });
      });
    }
    if (ind.kind === 'tiered' ? !ind.tiers : ind.points === undefined) out.push({ pointer: at, message: ind.kind === 'tiered' ? 'a tiered indicator needs tiers' : `a ${ind.kind} indicator needs points` });
    if (ind.cap !== undefined && ind.cap < 0) out.push({ pointer: `${at}/cap`, message: `a cap cannot be negative (${ind.cap})` });
    if (ind.group !== undefined && !groupIds.has(ind.group)) out.push({ pointer: `${at}/group`, message: `unknown group "${ind.group}"` });
    for (const key of ['countAfterFact', 'unitsCappedBy'] as const) {
      const f = ind[key];
      if (f !== undefined && (!isFactName(f) || (FACTS[f] as FactDefinition).type !== 'number')) out.push({ pointer: `${at}/${key}`, message: `unknown number fact "${f}"` });
    }
    if ((ind.unitPool !== undefined) !== (ind.unitsCappedBy !== undefined)) out.push({ pointer: at, message: 'unitPool and unitsCappedBy go together' });
  });
  if (p.mode === 'points' && !p.points) out.push({ pointer: '/mode', message: 'a points policy needs points' });
  if (p.annualQuota && !p.ranking) out.push({ pointer: '/annualQuota', message: 'a quota needs a ranking (by, tieBreaks, tieAtCutoff)' });
  if ((p.ranking?.by === 'base' || p.threshold?.of === 'base') && !p.points?.indicators.some((i) => i.base)) out.push({ pointer: '/ranking/by', message: 'ranking or threshold by base points, but no indicator is marked base' });
  p.ranking?.tieBreaks.forEach((t, i) => {
    const [kind, name] = t.field.includes(':') ? (t.field.split(':', 2) as [string, string]) : [t.field, ''];
    const known =
      (kind === 'fact' && isFactName(name) && (FACTS[name] as FactDefinition).type === 'number') ||
      (kind === 'indicator' && indicatorIds.has(name)) ||
      (kind === 'group' && groupIds.has(name)) ||
      ((kind === 'total' || kind === 'base') && name === '');
    if (!known) out.push({ pointer: `/ranking/tieBreaks/${i}/field`, message: `tie-break on unknown field "${t.field}" (fact:<number fact>, indicator:<id>, group:<id>, total, base)` });
  });
  for (const key of ['effectiveFrom', 'verifiedAt', 'effectiveTo'] as const) {
    const d = p[key];
    if (d !== undefined && !validDate(d)) out.push({ pointer: `/${key}`, message: `not a calendar date: ${d}` });
  }
  if (p.effectiveTo !== undefined && p.effectiveTo < p.effectiveFrom) out.push({ pointer: '/effectiveTo', message: 'ends before it starts' });
  return out;
}

/** Parses and checks one file; `expected` is what its path says (city or class, scheme, date). */
export function checkPolicyText(text: string, file: string, expected?: { city?: string; scheme?: string; effectiveFrom: string }): { policy: Policy | null; issues: PolicyIssue[] } {
  let parsed;
  try {
    parsed = parseJsonWithLines(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { policy: null, issues: [{ file, line: e.line, pointer: '', message: e.message }] };
    throw e;
  }
  const at = (pointer: string, message: string): PolicyIssue => ({ file, line: lineOf(parsed.lines, pointer), pointer, message });
  if (!Value.Check(Policy, parsed.value)) {
    const seen = new Set<string>();
    const issues: PolicyIssue[] = [];
    for (const e of Value.Errors(Policy, parsed.value)) {
      const key = `${e.instancePath} ${e.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (e.keyword === 'additionalProperties') continue;
      const unknownProperty = e.keyword === 'boolean' && e.schemaPath.endsWith('/additionalProperties');
      const name = e.instancePath.slice(e.instancePath.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
      issues.push(at(e.instancePath, unknownProperty ? `unknown property "${name}"` : `${e.instancePath || '/'} ${e.message}`));
      if (issues.length >= 8) break;
    }
    return { policy: null, issues };
  }
  const policy = parsed.value as Policy;
  const issues = semanticIssues(policy).map((i) => at(i.pointer, i.message));
  if (expected) {
    if (expected.city !== undefined && policy.city !== expected.city) issues.push(at('/city', `the file is under ${expected.city} but names city ${policy.city}`));
    if (expected.scheme !== undefined && policy.scheme !== expected.scheme) issues.push(at('/scheme', `the file is under scheme ${expected.scheme} but names ${policy.scheme}`));
    if (policy.effectiveFrom !== expected.effectiveFrom) issues.push(at('/effectiveFrom', `the file is named ${expected.effectiveFrom}.json but takes effect ${policy.effectiveFrom}`));
  }
  return { policy: issues.length ? null : policy, issues };
}

function listJson(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((d) => statSync(join(dir, d)).isDirectory())
      .sort();
  } catch {
    return [];
  }
}

/**
 * Orders versions and refuses overlaps: a version whose dates overlap the one before it (same
 * effectiveFrom, or the earlier one's effectiveTo reaching past its start) is refused, so the earlier
 * version stays in force.
 */
function sequence(versions: PolicyVersion[], issues: PolicyIssue[]): PolicyVersion[] {
  const sorted = [...versions].sort((a, b) => a.policy.effectiveFrom.localeCompare(b.policy.effectiveFrom));
  const kept: PolicyVersion[] = [];
  for (const v of sorted) {
    const prev = kept[kept.length - 1];
    if (prev && (prev.policy.effectiveFrom === v.policy.effectiveFrom || (prev.policy.effectiveTo !== undefined && prev.policy.effectiveTo >= v.policy.effectiveFrom))) {
      const text = parseJsonWithLines(v.text);
      issues.push({
        file: v.file,
        line: lineOf(text.lines, '/effectiveFrom'),
        pointer: '/effectiveFrom',
        message: `effective dates overlap ${prev.file} (${prev.policy.effectiveFrom}${prev.policy.effectiveTo ? ` to ${prev.policy.effectiveTo}` : ''}); this version is refused and the earlier one stays in force`,
      });
      continue;
    }
    kept.push(v);
  }
  kept.forEach((v, i) => {
    const next = kept[i + 1];
    const own = v.policy.effectiveTo ?? null;
    v.endsOn = next ? (own !== null && own < next.policy.effectiveFrom ? own : dayBefore(next.policy.effectiveFrom)) : own;
  });
  return kept;
}

/**
 * Reads every policy file under `root` (default data/settlement): `policies/<city>/<scheme>/<date>.json`
 * and `defaults/<class>/<date>.json`. A bad file is left out with its issues (file and line); the
 * versions before it stay in force. Nothing here throws for a bad file.
 */
export function loadPolicySet(root = repoPath('data', 'settlement')): PolicySet {
  const issues: PolicyIssue[] = [];
  const rel = (f: string) => relative(REPO_ROOT, f) || f;
  const read = (path: string, versionPrefix: string, expected: { city?: string; scheme?: string; effectiveFrom: string }): PolicyVersion | null => {
    const text = readFileSync(path, 'utf8');
    const r = checkPolicyText(text, rel(path), expected);
    issues.push(...r.issues);
    if (!r.policy) return null;
    return { policy: r.policy, versionId: `${versionPrefix}/${r.policy.scheme}@${r.policy.effectiveFrom}`, file: rel(path), endsOn: null, text };
  };
  const byCity = new Map<string, Map<string, PolicyVersion[]>>();
  const policiesDir = join(root, 'policies');
  for (const city of subdirs(policiesDir)) {
    const schemes = new Map<string, PolicyVersion[]>();
    for (const scheme of subdirs(join(policiesDir, city))) {
      const versions: PolicyVersion[] = [];
      for (const f of listJson(join(policiesDir, city, scheme))) {
        const v = read(join(policiesDir, city, scheme, f), city, { city, scheme, effectiveFrom: f.replace(/\.json$/, '') });
        if (v) versions.push(v);
      }
      const kept = sequence(versions, issues);
      if (kept.length) schemes.set(scheme, kept);
    }
    if (schemes.size) byCity.set(city, schemes);
  }
  const byClass = new Map<CityClass, PolicyVersion[]>();
  const defaultsDir = join(root, 'defaults');
  for (const cls of subdirs(defaultsDir)) {
    if (!(CITY_CLASSES as readonly string[]).includes(cls)) {
      issues.push({ file: rel(join(defaultsDir, cls)), line: 1, pointer: '', message: `unknown city class "${cls}" (${CITY_CLASSES.join(', ')})` });
      continue;
    }
    const versions: PolicyVersion[] = [];
    for (const f of listJson(join(defaultsDir, cls))) {
      const v = read(join(defaultsDir, cls, f), `class:${cls}`, { effectiveFrom: f.replace(/\.json$/, '') });
      if (v) versions.push(v);
    }
    const kept = sequence(versions, issues);
    if (kept.length) byClass.set(cls as CityClass, kept);
  }
  return { byCity, byClass, issues };
}

/** The version in force on `date`, or why there is none. */
export function versionInForce(versions: PolicyVersion[], date: string): PolicyVersion | null {
  let found: PolicyVersion | null = null;
  for (const v of versions) if (v.policy.effectiveFrom <= date) found = v;
  if (found && found.endsOn !== null && found.endsOn < date) return null;
  return found;
}

let current: PolicySet | null = null;

/** The policies in force in this process (loaded on first use). */
export function policySet(): PolicySet {
  current ??= loadPolicySet();
  return current;
}

/**
 * Reloads from disk. Good files replace their versions; a refused file leaves what was loaded before
 * it for the same city and scheme in force (versions by date: a refused new version never replaces
 * the one before it). Returns the issues found.
 */
export function reloadPolicies(root?: string): PolicySet {
  const next = loadPolicySet(root);
  const previous = current;
  if (previous) {
    // A city/scheme whose every file was refused keeps its previous versions.
    for (const [city, schemes] of previous.byCity) {
      const target = next.byCity.get(city) ?? new Map<string, PolicyVersion[]>();
      for (const [scheme, versions] of schemes) if (!target.has(scheme)) target.set(scheme, versions);
      next.byCity.set(city, target);
    }
  }
  current = next;
  return next;
}

/** Every version of a city's scheme, or one version by id (for replaying a stored decision). */
export function findVersion(versionId: string): PolicyVersion | null {
  const set = policySet();
  for (const schemes of set.byCity.values()) for (const vs of schemes.values()) for (const v of vs) if (v.versionId === versionId) return v;
  for (const vs of set.byClass.values()) for (const v of vs) if (v.versionId === versionId) return v;
  return null;
}
