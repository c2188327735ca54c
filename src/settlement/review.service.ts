import type { ServiceContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { textIssue } from '../platform/text.ts';

/**
 * A person may ask for an officer's review of any automated result (PIPL Art. 24 para. 3: the right
 * to refuse decisions made solely by automated means and to have them explained). The request, the
 * officer who decided it and the outcome are recorded; one open request per decision.
 */
export interface ReviewView {
  id: string;
  decisionId: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  state: 'requested' | 'decided';
  officerId: string | null;
  outcome: 'upheld' | 'changed' | null;
  officerReason: string | null;
  decidedAt: string | null;
}

const COLUMNS = ['id', 'decision_id', 'person_id', 'reason', 'requested_by', 'requested_at', 'state', 'officer_id', 'outcome', 'officer_reason', 'decided_at'] as const;

function view(r: { id: string; decision_id: string; reason: string; requested_by: string; requested_at: Date; state: 'requested' | 'decided'; officer_id: string | null; outcome: 'upheld' | 'changed' | null; officer_reason: string | null; decided_at: Date | null }): ReviewView {
  return {
    id: r.id,
    decisionId: r.decision_id,
    reason: r.reason,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at.toISOString(),
    state: r.state,
    officerId: r.officer_id,
    outcome: r.outcome,
    officerReason: r.officer_reason,
    decidedAt: r.decided_at?.toISOString() ?? null,
  };
}

function assertText(field: string, text: string, max: number): void {
  const issue = textIssue(field, text, max);
  if (issue) throw new AppError('VALIDATION_FAILED', `${field}: ${issue.message}`, { details: [issue] });
}

export async function requestReview(ctx: ServiceContext, input: { decisionId: string; reason: string }): Promise<ReviewView> {
  assertText('reason', input.reason, 500);
  return ctx.db.transaction().execute(async (trx) => {
    const decision = await trx.selectFrom('settlement_decision').select(['id', 'person_id']).where('id', '=', input.decisionId).forUpdate().executeTakeFirst();
    if (!decision || (ctx.actor.role === 'citizen' && ctx.actor.personId !== decision.person_id)) {
      throw new AppError('SETTLEMENT_DECISION_NOT_FOUND', `No settlement decision has id ${input.decisionId}.`, { details: { decisionId: input.decisionId } });
    }
    const open = await trx.selectFrom('settlement_review').select('id').where('decision_id', '=', decision.id).where('state', '=', 'requested').executeTakeFirst();
    if (open) throw new AppError('SETTLEMENT_REVIEW_PENDING', `A review of decision ${decision.id} is already requested (${open.id}).`, { details: { reviewId: open.id } });
    const row = await trx
      .insertInto('settlement_review')
      .values({ decision_id: decision.id, person_id: decision.person_id, reason: input.reason.trim(), requested_by: ctx.actor.id, officer_id: null, outcome: null, officer_reason: null, decided_at: null })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    return view(row);
  });
}

export async function decideReview(ctx: ServiceContext, input: { reviewId: string; outcome: 'upheld' | 'changed'; reason: string }): Promise<ReviewView> {
  assertText('reason', input.reason, 500);
  return ctx.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('settlement_review').select(COLUMNS).where('id', '=', input.reviewId).forUpdate().executeTakeFirst();
    if (!r) throw new AppError('SETTLEMENT_REVIEW_NOT_FOUND', `No review request has id ${input.reviewId}.`, { details: { reviewId: input.reviewId } });
    if (r.state === 'decided') throw new AppError('SETTLEMENT_REVIEW_DECIDED', `Review ${r.id} was decided by ${r.officer_id} (${r.outcome}).`, { details: { reviewId: r.id, outcome: r.outcome } });
    const row = await trx
      .updateTable('settlement_review')
      .set({ state: 'decided', officer_id: ctx.actor.id, outcome: input.outcome, officer_reason: input.reason.trim(), decided_at: ctx.clock.now(), version: (eb) => eb('version', '+', 1) })
      .where('id', '=', r.id)
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    return view(row);
  });
}

export async function getReview(ctx: ServiceContext, reviewId: string): Promise<ReviewView> {
  const r = await ctx.db.selectFrom('settlement_review').select(COLUMNS).where('id', '=', reviewId).executeTakeFirst();
  if (!r || (ctx.actor.role === 'citizen' && ctx.actor.personId !== r.person_id)) throw new AppError('SETTLEMENT_REVIEW_NOT_FOUND', `No review request has id ${reviewId}.`, { details: { reviewId } });
  return view(r);
}
