import { sql } from 'kysely';
import { maskIdNumber, maskName, SYSTEM_ACTOR } from '../access/index.ts';
import { applyTransfer, approveTransfer, getPerson, moveMember } from '../registry/index.ts';
import { addDays, isIsoDate } from '../platform/calendar.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { storeDecision, personOf } from './check.service.ts';
import { compilePolicy, factRecordColumns } from './engine.sql.ts';
import { evaluatePolicy } from './engine.ts';
import { gatherFacts } from './gather.ts';
import { findVersion, type PolicyVersion } from './policy.loader.ts';
import { resolvePolicies } from './resolve.ts';
import type { RoundState } from './settlement.tables.ts';

/**
 * Annual rounds of a points scheme (Beijing 积分落户, Guangzhou 积分制入户): open → applications
 * (each with the facts it was scored on and its eligibility decision) → scored and ranked set-wise
 * with the policy's tie-breaks and cut at the quota → published (names and ID numbers masked) →
 * objections while on notice → approved, which starts each admitted person's settlement with their
 * accompanying family. Every step is a round_event.
 */
export interface RoundView {
  id: string;
  cityCode: string;
  scheme: string;
  year: number;
  policyVersion: string;
  quota: number;
  opensOn: string;
  closesOn: string;
  state: RoundState;
  publishedOn: string | null;
  objectionsUntil: string | null;
  collectiveHouseholdNumber: string;
}

const ROUND_COLUMNS = ['id', 'city_code', 'scheme', 'year', 'policy_version', 'quota', 'opens_on', 'closes_on', 'state', 'published_on', 'objections_until', 'collective_household_number', 'version'] as const;
type RoundRow = Awaited<ReturnType<typeof findRound>> & object;

function roundView(r: RoundRow): RoundView {
  return {
    id: r.id,
    cityCode: r.city_code,
    scheme: r.scheme,
    year: r.year,
    policyVersion: r.policy_version,
    quota: r.quota,
    opensOn: r.opens_on,
    closesOn: r.closes_on,
    state: r.state,
    publishedOn: r.published_on,
    objectionsUntil: r.objections_until,
    collectiveHouseholdNumber: r.collective_household_number,
  };
}

async function findRound(db: Db, id: string, lock: 'update' | 'share' | null = null) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  let q = db.selectFrom('settlement_round').select(ROUND_COLUMNS).where('id', '=', id);
  if (lock === 'update') q = q.forUpdate();
  if (lock === 'share') q = q.forShare();
  return q.executeTakeFirst();
}

async function roundOrThrow(db: Db, id: string, lock: 'update' | 'share' | null = null): Promise<RoundRow> {
  const r = await findRound(db, id, lock);
  if (!r) throw new AppError('SETTLEMENT_ROUND_NOT_FOUND', `No settlement round has id ${id}.`, { details: { roundId: id } });
  return r;
}

function assertState(r: RoundRow, ...states: RoundState[]): void {
  if (!states.includes(r.state)) throw new AppError('SETTLEMENT_ROUND_STATE', `Round ${r.id} is ${r.state}; this step needs it ${states.join(' or ')}.`, { details: { state: r.state, expected: states } });
}

function versionOf(r: RoundRow): PolicyVersion {
  const v = findVersion(r.policy_version);
  if (!v) throw new AppError('SETTLEMENT_NO_POLICY', `The policy version ${r.policy_version} of round ${r.id} is no longer loaded.`, { details: { policyVersion: r.policy_version } });
  return v;
}

async function event(db: Db, ctx: ServiceContext, roundId: string, kind: string, data: Record<string, unknown>, applicationId: string | null = null): Promise<void> {
  await db.insertInto('round_event').values({ round_id: roundId, application_id: applicationId, kind, occurred_on: chinaDate(ctx.clock.now()), actor_id: ctx.actor.id, data: JSON.stringify(data) }).execute();
}

export interface OpenRoundInput {
  cityCode: string;
  scheme: string;
  year: number;
  opensOn: string;
  closesOn: string;
  /** The city's collective household (集体户) for applicants without a family household to join. */
  collectiveHouseholdNumber: string;
  /** Places; default the policy's annual quota. */
  quota?: number | undefined;
}

export async function openRound(ctx: ServiceContext, input: OpenRoundInput): Promise<RoundView> {
  for (const [field, d] of [['opensOn', input.opensOn], ['closesOn', input.closesOn]] as const) {
    if (!isIsoDate(d)) throw new AppError('VALIDATION_FAILED', `${field} is not a date.`, { details: [{ field, code: 'DATE', message: 'YYYY-MM-DD' }] });
  }
  if (input.closesOn < input.opensOn) throw new AppError('VALIDATION_FAILED', 'The round closes before it opens.', { details: [{ field: 'closesOn', code: 'RANGE', message: 'not before opensOn' }] });
  const resolved = resolvePolicies(input.cityCode, input.opensOn, { scheme: input.scheme });
  const version = resolved.versions[0];
  if (!version) throw new AppError('SETTLEMENT_NO_POLICY', `No policy of ${input.cityCode}/${input.scheme} is in force on ${input.opensOn}: ${resolved.noPolicy?.reason ?? ''}`, { details: { noPolicy: resolved.noPolicy } });
  const p = version.policy;
  if (!p.annualQuota || !p.ranking) throw new AppError('SETTLEMENT_NOT_A_ROUND_SCHEME', `${version.versionId} has no annual quota and ranking.`, { details: { policyVersion: version.versionId } });
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('settlement_round')
      .values({
        city_code: input.cityCode,
        scheme: input.scheme,
        year: input.year,
        policy_version: version.versionId,
        quota: input.quota ?? p.annualQuota!.places,
        opens_on: input.opensOn,
        closes_on: input.closesOn,
        published_on: null,
        objections_until: null,
        collective_household_number: input.collectiveHouseholdNumber,
        created_by: ctx.actor.id,
      })
      .onConflict((oc) => oc.columns(['city_code', 'scheme', 'year']).doNothing())
      .returning(ROUND_COLUMNS)
      .executeTakeFirst();
    if (!row) throw new AppError('SETTLEMENT_ROUND_EXISTS', `A ${input.year} round of ${input.cityCode}/${input.scheme} already exists.`, { details: { cityCode: input.cityCode, scheme: input.scheme, year: input.year } });
    await event(trx, ctx, row.id, 'round_opened', { policyVersion: version.versionId, quota: row.quota });
    return roundView(row);
  });
}

export async function getRound(ctx: ServiceContext, id: string): Promise<RoundView> {
  return roundView(await roundOrThrow(ctx.db, id));
}

export interface ApplyInput {
  roundId: string;
  idNumber?: string | undefined;
  personId?: number | undefined;
  /** The household to join in the city (a family household), or none: the city's collective household. */
  destinationHouseholdNumber?: string | undefined;
  /** GB/T 4761 relationship to the destination head (default 99 非亲属 in the collective household). */
  relationship?: string | undefined;
  /** Accompanying spouse and minor children (随迁), each with their relationship to the destination head. */
  family?: { idNumber: string; relationship: string }[] | undefined;
  idempotencyKey?: string | undefined;
}

export interface ApplicationView {
  id: string;
  roundId: string;
  idNumber: string;
  appliedOn: string;
  decisionId: string;
  state: string;
  family: { idNumber: string; relationship: string }[];
}

/**
 * One application: the applicant's facts as of the day they apply are gathered, checked against the
 * round's policy version and stored with the application (what it will be scored on). Refused, with
 * nothing written: outside the window (SETTLEMENT_ROUND_CLOSED), a second application
 * (SETTLEMENT_ALREADY_APPLIED), not eligible or undetermined (SETTLEMENT_NOT_ELIGIBLE, with what is unmet or missing).
 */
export async function applyToRound(ctx: ServiceContext, input: ApplyInput): Promise<ApplicationView> {
  const today = chinaDate(ctx.clock.now());
  return ctx.db.transaction().execute(async (trx) => {
    if (input.idempotencyKey) {
      const prior = await trx.selectFrom('round_application').select(['id']).where('idempotency_key', '=', input.idempotencyKey).executeTakeFirst();
      if (prior) return applicationView(trx, prior.id);
    }
    const round = await roundOrThrow(trx, input.roundId, 'share');
    assertState(round, 'open');
    if (today < round.opens_on || today > round.closes_on) {
      throw new AppError('SETTLEMENT_ROUND_CLOSED', `Round ${round.id} accepts applications from ${round.opens_on} to ${round.closes_on}; today is ${today}.`, { details: { opensOn: round.opens_on, closesOn: round.closes_on } });
    }
    const person = await personOf(trx, input);
    // One application per person: serialised on the person, so two at once cannot both pass the check.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`settlement-round:${round.id}:${person.id}`}, 0))`.execute(trx);
    const existing = await trx.selectFrom('round_application').select('id').where('round_id', '=', round.id).where('person_id', '=', person.id).executeTakeFirst();
    if (existing) throw new AppError('SETTLEMENT_ALREADY_APPLIED', `${person.idNumber} has already applied in round ${round.id}.`, { details: { applicationId: existing.id } });
    const version = versionOf(round);
    const gathered = await gatherFacts(trx, person, round.city_code, today);
    const evaluation = evaluatePolicy(version.policy, gathered.facts);
    if (evaluation.outcome !== 'eligible') {
      throw new AppError('SETTLEMENT_NOT_ELIGIBLE', `${person.idNumber} is ${evaluation.outcome === 'not_eligible' ? 'not eligible' : 'not yet decidable (facts missing)'} under ${version.versionId}.`, {
        details: {
          outcome: evaluation.outcome,
          unmet: [...evaluation.conditions.filter((c) => c.status === 'unmet').map((c) => c.id), ...evaluation.vetoes.filter((v) => v.status === 'met').map((v) => `veto.${v.id}`), ...(evaluation.threshold?.status === 'unmet' ? ['threshold'] : [])],
          missing: evaluation.missing.map((m) => m.fact),
        },
      });
    }
    const decisionId = await storeDecision(trx, ctx, { personId: person.id, cityCode: round.city_code, version, asOf: today, facts: gathered.facts, factIds: gathered.factIds, evaluation, purpose: `round:${round.id}` });
    const row = await trx
      .insertInto('round_application')
      .values({
        round_id: round.id,
        person_id: person.id,
        id_number: person.idNumber,
        name: person.name,
        applied_on: today,
        decision_id: decisionId,
        facts: JSON.stringify(gathered.facts),
        destination_household_number: input.destinationHouseholdNumber ?? null,
        relationship: input.relationship ?? null,
        family: JSON.stringify(input.family ?? []),
        settled_at: null,
        settlement: null,
        idempotency_key: input.idempotencyKey ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await event(trx, ctx, round.id, 'applied', { decisionId, score: evaluation.points?.total ?? null }, row.id);
    return applicationView(trx, row.id);
  });
}

async function applicationView(db: Db, id: string): Promise<ApplicationView> {
  const a = await db.selectFrom('round_application').select(['id', 'round_id', 'id_number', 'applied_on', 'decision_id', 'state', 'family']).where('id', '=', id).executeTakeFirstOrThrow();
  return { id: a.id, roundId: a.round_id, idNumber: a.id_number, appliedOn: a.applied_on, decisionId: a.decision_id, state: a.state, family: a.family };
}

/**
 * Scores and ranks every application of a round in one statement: the policy compiled to SQL over
 * the stored facts, ordered by score, the tie-breaks (nulls last) and the ID number (only to make the
 * order total), cut at the quota with ties at the cut-off as the policy says. The same applications
 * always give the same list, whatever order they arrived in.
 */
export async function scoreRoundSql(db: Db, roundId: string, version: PolicyVersion, quota: number): Promise<{ applicants: number; admitted: number; cutoff: number | null }> {
  // Facts parsed once per row (jsonb_to_record), the total computed once.
  const c = compilePolicy(version.policy, 'ff', 'record');
  const byBase = version.policy.ranking?.by === 'base';
  const tbOrder = c.tieBreaks.map((t, i) => `k${i} ${t.order} nulls last`);
  const keyCols = c.tieBreaks.map((t, i) => `, ${t.expr} as k${i}`).join('');
  const rankKeys = ['score desc', ...tbOrder].join(', ');
  const tieArray = c.tieBreaks.length ? `array[${c.tieBreaks.map((_, i) => `k${i}`).join(', ')}]::numeric[]` : `'{}'::numeric[]`;
  const admittedExpr =
    version.policy.ranking?.tieAtCutoff === 'admitNone'
      ? `(tie_rank + count(*) over (partition by score${c.tieBreaks.map((_, i) => `, k${i}`).join('')}) - 1) <= ${quota}`
      : `tie_rank <= ${quota}`;
  await sql`delete from round_result where round_id = ${roundId}`.execute(db);
  await sql`
    insert into round_result (application_id, round_id, score, total, tie_keys, position, tie_rank, admitted)
    select id, ${roundId}, score, total, ${sql.raw(tieArray)}, position, tie_rank, ${sql.raw(admittedExpr)}
      from (
        select s.*, row_number() over (order by ${sql.raw(rankKeys)}, id_number) as position,
               rank() over (order by ${sql.raw(rankKeys)}) as tie_rank
          from (select t.*, ${sql.raw(byBase ? 'base' : 'total')} as score
                  from (select a.id, a.id_number, ${sql.raw(c.total)} as total ${sql.raw(byBase ? `, ${c.base} as base` : '')} ${sql.raw(keyCols)}
                          from round_application a cross join lateral jsonb_to_record(a.facts) as ff(${sql.raw(factRecordColumns())})
                         where a.round_id = ${roundId}) t) s
      ) ranked`.execute(db);
  const stats = await sql<{ n: string; admitted: string; cutoff: string | null }>`
    select count(*) as n, count(*) filter (where admitted) as admitted, min(score) filter (where admitted) as cutoff from round_result where round_id = ${roundId}`.execute(db);
  const s = stats.rows[0]!;
  return { applicants: Number(s.n), admitted: Number(s.admitted), cutoff: s.cutoff === null ? null : Number(s.cutoff) };
}

export async function scoreRound(ctx: ServiceContext, roundId: string): Promise<RoundView & { applicants: number; admitted: number; cutoff: number | null }> {
  const today = chinaDate(ctx.clock.now());
  return ctx.db.transaction().execute(async (trx) => {
    const round = await roundOrThrow(trx, roundId, 'update');
    assertState(round, 'open', 'scored');
    if (today <= round.closes_on) throw new AppError('SETTLEMENT_ROUND_STATE', `Round ${round.id} takes applications until ${round.closes_on}; score it after.`, { details: { state: round.state, closesOn: round.closes_on } });
    const stats = await scoreRoundSql(trx, round.id, versionOf(round), round.quota);
    const updated = await trx.updateTable('settlement_round').set({ state: 'scored', version: sql`version + 1` }).where('id', '=', round.id).returning(ROUND_COLUMNS).executeTakeFirstOrThrow();
    await event(trx, ctx, round.id, 'scored', stats);
    return { ...roundView(updated), ...stats };
  });
}

export async function publishRound(ctx: ServiceContext, roundId: string): Promise<RoundView> {
  const today = chinaDate(ctx.clock.now());
  return ctx.db.transaction().execute(async (trx) => {
    const round = await roundOrThrow(trx, roundId, 'update');
    assertState(round, 'scored');
    const days = versionOf(round).policy.round?.objectionDays ?? 7;
    const until = addDays(today, days - 1);
    const updated = await trx.updateTable('settlement_round').set({ state: 'published', published_on: today, objections_until: until, version: sql`version + 1` }).where('id', '=', round.id).returning(ROUND_COLUMNS).executeTakeFirstOrThrow();
    await event(trx, ctx, round.id, 'published', { objectionsUntil: until });
    return roundView(updated);
  });
}

export interface ListEntry {
  position: number;
  maskedName: string;
  maskedIdNumber: string;
  score: number;
  admitted: boolean;
}

/** The published list: positions, masked names and ID numbers (access/masking), scores, admitted or not. */
export async function roundList(ctx: ServiceContext, roundId: string, opts: { limit?: number; offset?: number; admittedOnly?: boolean } = {}): Promise<{ round: RoundView; entries: ListEntry[] }> {
  const round = await roundOrThrow(ctx.db, roundId);
  if (round.state !== 'published' && round.state !== 'approved') assertState(round, 'published', 'approved');
  let q = ctx.db
    .selectFrom('round_result as r')
    .innerJoin('round_application as a', 'a.id', 'r.application_id')
    .select(['r.position', 'a.name', 'a.id_number', 'r.score', 'r.admitted'])
    .where('r.round_id', '=', round.id)
    .orderBy('r.position')
    .limit(Math.min(opts.limit ?? 100, 1000))
    .offset(opts.offset ?? 0);
  if (opts.admittedOnly) q = q.where('r.admitted', '=', true);
  const rows = await q.execute();
  return { round: roundView(round), entries: rows.map((r) => ({ position: r.position, maskedName: maskName(r.name), maskedIdNumber: maskIdNumber(r.id_number), score: Number(r.score), admitted: r.admitted })) };
}

/** An objection while the list is on notice; after the window: SETTLEMENT_OBJECTION_WINDOW_CLOSED, nothing written. */
export async function lodgeObjection(ctx: ServiceContext, input: { roundId: string; idNumber?: string | undefined; personId?: number | undefined; text: string }): Promise<{ id: string; lodgedOn: string }> {
  const today = chinaDate(ctx.clock.now());
  if (input.text.trim() === '' || input.text.length > 1000) throw new AppError('VALIDATION_FAILED', 'An objection says what is wrong (1–1000 characters).', { details: [{ field: 'text', code: 'LENGTH', message: '1–1000 characters, not only spaces' }] });
  return ctx.db.transaction().execute(async (trx) => {
    const round = await roundOrThrow(trx, input.roundId, 'share');
    if (round.state !== 'published' || round.objections_until === null || today > round.objections_until) {
      throw new AppError('SETTLEMENT_OBJECTION_WINDOW_CLOSED', `Objections to round ${round.id} are accepted while its list is on notice${round.objections_until ? `, until ${round.objections_until}` : ''}.`, { details: { state: round.state, objectionsUntil: round.objections_until } });
    }
    const person = await personOf(trx, input);
    const app = await trx.selectFrom('round_application').select('id').where('round_id', '=', round.id).where('person_id', '=', person.id).executeTakeFirst();
    const row = await trx.insertInto('round_objection').values({ round_id: round.id, application_id: app?.id ?? null, person_id: person.id, text: input.text.trim(), lodged_on: today, lodged_by: ctx.actor.id }).returning(['id', 'lodged_on']).executeTakeFirstOrThrow();
    await event(trx, ctx, round.id, 'objection', { objectionId: row.id }, app?.id ?? null);
    return { id: row.id, lodgedOn: row.lodged_on };
  });
}

export interface SettlementStart {
  applicationId: string;
  idNumber: string;
  /** `move` within the province; `transfer` (interprovincial, approved at the destination) otherwise. */
  members: { idNumber: string; how: 'move' | 'transfer'; transferId: string | null }[];
  error: { code: string; message: string } | null;
}

/**
 * Final approval after the objection window: each admitted application's settlement starts, the
 * applicant and their accompanying family in one transaction through the register's own move and
 * transfer (src/registry), into the named household or the city's collective household. The register
 * writes are made by the system on the round's authority (the approving officer is in the trail);
 * an application that cannot start (say, a member in transit) is reported and left for retry.
 */
export async function approveRound(ctx: ServiceContext, roundId: string): Promise<{ round: RoundView; started: SettlementStart[] }> {
  const today = chinaDate(ctx.clock.now());
  const round = await ctx.db.transaction().execute(async (trx) => {
    const r = await roundOrThrow(trx, roundId, 'update');
    assertState(r, 'published', 'approved');
    if (r.state === 'published' && (r.objections_until === null || today <= r.objections_until)) {
      throw new AppError('SETTLEMENT_OBJECTIONS_OPEN', `Objections to round ${r.id} are open until ${r.objections_until}; approve after.`, { details: { objectionsUntil: r.objections_until } });
    }
    if (r.state === 'published') await trx.updateTable('settlement_round').set({ state: 'approved', version: sql`version + 1` }).where('id', '=', r.id).execute();
    await event(trx, ctx, r.id, 'approved', {});
    return r;
  });
  const admitted = await ctx.db
    .selectFrom('round_result as r')
    .innerJoin('round_application as a', 'a.id', 'r.application_id')
    .select(['a.id'])
    .where('r.round_id', '=', round.id)
    .where('r.admitted', '=', true)
    .where('a.state', '=', 'applied')
    .orderBy('r.position')
    .execute();
  const started: SettlementStart[] = [];
  for (const { id } of admitted) started.push(await startSettlement(ctx, round, id));
  return { round: roundView(await roundOrThrow(ctx.db, round.id)), started };
}

async function startSettlement(ctx: ServiceContext, round: RoundRow, applicationId: string): Promise<SettlementStart> {
  const app0 = await ctx.db.selectFrom('round_application').select(['id_number']).where('id', '=', applicationId).executeTakeFirstOrThrow();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const app = await trx.selectFrom('round_application').select(['id', 'id_number', 'destination_household_number', 'relationship', 'family', 'state']).where('id', '=', applicationId).forUpdate().executeTakeFirstOrThrow();
      const registerCtx: ServiceContext = { db: trx, clock: ctx.clock, actor: { ...SYSTEM_ACTOR, id: `settlement:${ctx.actor.id}` } };
      const destination = app.destination_household_number ?? round.collective_household_number;
      const members = [{ idNumber: app.id_number, relationship: app.relationship ?? '99' }, ...app.family];
      const result: SettlementStart['members'] = [];
      for (const m of members) {
        const view = await getPerson(registerCtx, m.idNumber);
        if (!view.household) throw new AppError('NO_CURRENT_HUKOU', `${m.idNumber} has no current household (in transit?).`, { details: { idNumber: m.idNumber } });
        // Household numbers begin with their township code, so with the province (formatHouseholdNumber).
        const sameProvince = view.household.countyCode.slice(0, 2) === destination.slice(0, 2);
        const reason = `落户 round ${round.year} ${round.city_code}/${round.scheme}, application ${app.id}`;
        if (sameProvince) {
          await moveMember(registerCtx, { fromHouseholdNumber: view.household.householdNumber, idNumber: m.idNumber, expectedVersion: view.person.version, destinationHouseholdNumber: destination, relationship: m.relationship, reason });
          result.push({ idNumber: m.idNumber, how: 'move', transferId: null });
        } else {
          const t = await applyTransfer(registerCtx, { idNumber: m.idNumber, destinationHouseholdNumber: destination, relationship: m.relationship, category: 'other', reason });
          await approveTransfer(registerCtx, { transferId: t.id, reason });
          result.push({ idNumber: m.idNumber, how: 'transfer', transferId: t.id });
        }
      }
      await trx.updateTable('round_application').set({ state: 'settled', settled_at: ctx.clock.now(), settlement: JSON.stringify(result) }).where('id', '=', app.id).execute();
      await event(trx, ctx, round.id, 'settlement_started', { members: result, destination }, app.id);
      return { applicationId, idNumber: app.id_number, members: result, error: null };
    });
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { applicationId, idNumber: app0.id_number, members: [], error: { code: e.code, message: e.userMessage } };
  }
}
