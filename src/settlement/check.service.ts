import { findServicePerson, findServicePersonById } from '../residence/index.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { isIsoDate } from '../platform/calendar.ts';
import { CLASS_NAME } from './city-class.ts';
import { evaluatePolicy, type Evaluation } from './engine.ts';
import type { FactSet } from './facts.vocabulary.ts';
import { gatherFacts, sha256, type Provenance } from './gather.ts';
import { findVersion, type PolicyVersion } from './policy.loader.ts';
import { resolvePolicies } from './resolve.ts';
import type { FactView } from './facts.service.ts';

export interface CheckInput {
  idNumber?: string | undefined;
  /** A citizen's own record (their account's person). */
  personId?: number | undefined;
  cityCode: string;
  on?: string | undefined;
  scheme?: string | undefined;
  purpose?: string | null | undefined;
}

export interface SchemeAnswer {
  decisionId: string;
  scheme: string;
  name: string;
  grants: 'hukou' | 'services';
  mode: string;
  policyVersion: string;
  policyFile: string;
  legalBasis: { id: string; title: string; document?: string | undefined; verification: string }[];
  evaluation: Evaluation;
  annualQuota: number | null;
}

export interface CheckResult {
  /** Internal id, for the access log (not in the API response). */
  personId: number;
  idNumber: string;
  asOf: string;
  city: { code: string; name: string | null; class: string | null; className: string | null; urbanPopulation: number | null; populationYear: number | null; source: string | null };
  answers: SchemeAnswer[];
  /** Set when no policy applies: why, and what would make one apply. Never an error. */
  noPolicy: { reason: string; earliest: string | null } | null;
  facts: Provenance[];
  evidence: FactView[];
}

/** The person an input names (PERSON_NOT_FOUND otherwise). */
export async function personOf(db: Db, input: { idNumber?: string | undefined; personId?: number | undefined }) {
  if (input.personId !== undefined) {
    const own = await findServicePersonById(db, input.personId);
    if (!own) throw new AppError('PERSON_NOT_FOUND', 'Your account is not linked to a person in the register.', { details: {} });
    return own;
  }
  if (input.idNumber === undefined) throw new AppError('VALIDATION_FAILED', 'Name the person: an ID number.', { details: [{ field: 'idNumber', code: 'REQUIRED', message: 'required' }] });
  return findServicePerson(db, input.idNumber);
}

export async function storeDecision(
  db: Db,
  ctx: ServiceContext,
  args: { personId: number; cityCode: string; version: PolicyVersion; asOf: string; facts: FactSet; factIds: number[]; evaluation: Evaluation; purpose: string | null },
): Promise<string> {
  const row = await db
    .insertInto('settlement_decision')
    .values({
      person_id: args.personId,
      city_code: args.cityCode,
      scheme: args.version.policy.scheme,
      policy_version: args.version.versionId,
      policy_sha256: sha256(args.version.text),
      as_of: args.asOf,
      outcome: args.evaluation.outcome,
      facts: JSON.stringify(args.facts),
      fact_ids: args.factIds,
      evaluation: JSON.stringify(args.evaluation),
      requested_by: ctx.actor.id,
      purpose: args.purpose,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Eligibility, explained: for every scheme of the city in force on the date, each condition met or
 * unmet with its article, the points item by item, and the facts still missing. Every answer is
 * stored as a decision with the policy version and the exact facts used (replayable). A city
 * without a policy, or a date before any, is answered with why — never an error.
 */
export async function checkSettlement(ctx: ServiceContext, input: CheckInput): Promise<CheckResult> {
  const asOf = input.on ?? chinaDate(ctx.clock.now());
  if (!isIsoDate(asOf)) throw new AppError('VALIDATION_FAILED', `Not a date: ${asOf}.`, { details: [{ field: 'on', code: 'DATE', message: 'a date YYYY-MM-DD' }] });
  if (!/^\d{6}$/.test(input.cityCode)) throw new AppError('VALIDATION_FAILED', `Not a city code: ${input.cityCode}.`, { details: [{ field: 'city', code: 'PATTERN', message: 'a 6-digit division code' }] });
  return ctx.db.transaction().execute(async (trx) => {
    const person = await personOf(trx, input);
    const resolved = resolvePolicies(input.cityCode, asOf, { scheme: input.scheme });
    const gathered = await gatherFacts(trx, person, input.cityCode, asOf);
    const answers: SchemeAnswer[] = [];
    for (const version of resolved.versions) {
      const evaluation = evaluatePolicy(version.policy, gathered.facts);
      const decisionId = await storeDecision(trx, ctx, { personId: person.id, cityCode: input.cityCode, version, asOf, facts: gathered.facts, factIds: gathered.factIds, evaluation, purpose: input.purpose ?? null });
      const p = version.policy;
      answers.push({
        decisionId,
        scheme: p.scheme,
        name: p.name,
        grants: p.grants,
        mode: p.mode,
        policyVersion: version.versionId,
        policyFile: version.file,
        legalBasis: p.legalBasis,
        evaluation,
        annualQuota: p.annualQuota?.places ?? null,
      });
    }
    const c = resolved.city;
    return {
      personId: person.id,
      idNumber: person.idNumber,
      asOf,
      city: {
        code: input.cityCode,
        name: c?.name ?? null,
        class: resolved.cityClass,
        className: resolved.cityClass ? CLASS_NAME[resolved.cityClass] : null,
        urbanPopulation: c?.urbanPopulation ?? null,
        populationYear: c?.populationYear ?? null,
        source: c?.source ?? null,
      },
      answers,
      noPolicy: resolved.noPolicy,
      facts: gathered.provenance,
      evidence: gathered.evidence,
    };
  });
}

export interface DecisionView {
  id: string;
  idNumber: string | null;
  cityCode: string;
  scheme: string;
  policyVersion: string;
  asOf: string;
  outcome: string;
  facts: Record<string, unknown>;
  factIds: number[];
  evaluation: Evaluation;
  requestedBy: string;
  createdAt: string;
}

/**
 * Replays a stored decision: the stored facts through the stored policy version. `same` is false
 * when the version's file changed since (its SHA-256 differs) or the answer would differ.
 */
export async function replayDecision(ctx: ServiceContext, decisionId: string): Promise<{ decision: DecisionView; replayed: Evaluation | null; same: boolean; policyChanged: boolean }> {
  const row = await ctx.db
    .selectFrom('settlement_decision')
    .select(['id', 'person_id', 'city_code', 'scheme', 'policy_version', 'policy_sha256', 'as_of', 'outcome', 'facts', 'fact_ids', 'evaluation', 'requested_by', 'created_at'])
    .where('id', '=', decisionId)
    .executeTakeFirst();
  if (!row) throw new AppError('SETTLEMENT_DECISION_NOT_FOUND', `No settlement decision has id ${decisionId}.`, { details: { decisionId } });
  if (ctx.actor.role === 'citizen' && ctx.actor.personId !== row.person_id) throw new AppError('SETTLEMENT_DECISION_NOT_FOUND', `No settlement decision has id ${decisionId}.`, { details: { decisionId } });
  const version = findVersion(row.policy_version);
  const replayed = version ? evaluatePolicy(version.policy, row.facts as FactSet) : null;
  const policyChanged = !version || sha256(version.text) !== row.policy_sha256;
  const decision: DecisionView = {
    id: row.id,
    idNumber: null,
    cityCode: row.city_code,
    scheme: row.scheme,
    policyVersion: row.policy_version,
    asOf: row.as_of,
    outcome: row.outcome,
    facts: row.facts,
    factIds: row.fact_ids.map(Number),
    evaluation: row.evaluation as unknown as Evaluation,
    requestedBy: row.requested_by,
    createdAt: row.created_at.toISOString(),
  };
  return { decision, replayed, same: !policyChanged && canonical(replayed) === canonical(row.evaluation), policyChanged };
}

/** JSON with sorted keys (jsonb does not keep key order), for comparing a replay with what was stored. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
