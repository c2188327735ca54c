import type { Actor } from '../access/index.ts';
import { enqueueNotifications } from '../notifications/index.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { withIdempotency } from '../platform/db/idempotency.ts';
import { AppError } from '../platform/errors.ts';
import { assertText } from '../platform/text.ts';
import { assertActsForStep, applicationNotFound, type StepEnd } from './access-rules.ts';
import * as q from './applications.queries.ts';
import type { ApplicationState } from './applications.tables.ts';
import { applicationView, type ApplicationView } from './applications.views.ts';
import { parseTrackingNumber } from './tracking-number.ts';

const CLOSED: readonly ApplicationState[] = ['completed', 'withdrawn'];
const DECIDED: readonly ApplicationState[] = ['approved', 'rejected'];

/** The normalised tracking number, or INVALID_TRACKING_NUMBER for a malformed or mistyped one (no lookup happens). */
export function requireTrackingNumber(raw: string): string {
  const n = parseTrackingNumber(raw);
  if (n === null) {
    throw new AppError('INVALID_TRACKING_NUMBER', `${raw} is not a valid tracking number: 17 letters and digits whose last one is a check character (ISO 7064 MOD 37,36). Check it for a mistyped character.`, {
      details: { trackingNumber: raw },
    });
  }
  return n;
}

export interface StepSpec {
  step: string;
  from: readonly ApplicationState[];
  to: ApplicationState;
  end: StepEnd;
  /** A decision (approve, reject): a second one is APPLICATION_ALREADY_DECIDED, one outside review APPLICATION_NOT_IN_REVIEW. */
  decision?: boolean;
}

/** The refusal for a step the application's state does not allow (each case its own code). */
export function stateRefusal(app: q.ApplicationRow, spec: StepSpec): AppError {
  const details = { trackingNumber: app.tracking_number, state: app.state, allowedFrom: spec.from };
  if (app.state === 'delegated') {
    return new AppError('APPLICATION_DELEGATED', `Application ${app.tracking_number} runs in the ${app.flow} flow (${app.flow_ref}); take the step through that flow's routes.`, {
      details: { ...details, flow: app.flow, flowRef: app.flow_ref },
    });
  }
  if (CLOSED.includes(app.state)) return new AppError('APPLICATION_CLOSED', `Application ${app.tracking_number} is ${app.state}; no further step is possible.`, { details });
  if (spec.decision && DECIDED.includes(app.state)) {
    return new AppError('APPLICATION_ALREADY_DECIDED', `Application ${app.tracking_number} was already ${app.state}; a decision is taken once.`, { details });
  }
  if (spec.decision) return new AppError('APPLICATION_NOT_IN_REVIEW', `Application ${app.tracking_number} is ${app.state}; it is decided only in review (accept it, then start the review).`, { details });
  return new AppError('APPLICATION_TRANSITION', `Application ${app.tracking_number} is ${app.state}; it can be ${spec.step} only when ${spec.from.join(' or ')}.`, { details });
}

export function authorityOfActor(actor: Actor): string | null {
  return actor.role === 'citizen' ? null : actor.authorityId;
}

/** Appends the transition's event and the applicant's notification, in the caller's transaction. */
export async function recordTransition(
  trx: Db,
  actor: Actor,
  before: { from: ApplicationState | null },
  after: q.ApplicationRow,
  reason: string | null,
  data: Record<string, unknown> = {},
): Promise<void> {
  await q.insertEvent(trx, {
    application_id: after.id,
    subject_person_id: after.subject_person_id,
    from_state: before.from,
    to_state: after.state,
    actor_id: actor.id,
    authority_id: authorityOfActor(actor),
    reason,
    data: JSON.stringify(data),
  });
  await enqueueNotifications(trx, [
    {
      personId: after.applicant_person_id ?? after.subject_person_id,
      kind: 'application_transition',
      dedupeKey: `application:${after.id}:v${after.version}`,
      payload: { trackingNumber: after.tracking_number, serviceCode: after.service_code, state: after.state, deadline: after.deadline },
    },
  ]);
}

export interface StepInput {
  trackingNumber: string;
  reason?: string | undefined;
  idempotencyKey?: string | undefined;
}

/**
 * One transition as one transaction: the row locked (two concurrent decisions queue on it; the
 * second sees the first's state and is refused), who acts and the state checked, `work` returns the
 * changes, then the update, its event and the notification.
 */
export async function runStep(
  ctx: ServiceContext,
  input: StepInput,
  spec: StepSpec,
  work: (trx: Db, app: q.ApplicationRow) => Promise<{ changes?: Omit<Parameters<typeof q.updateApplication>[3], 'state'>; data?: Record<string, unknown> }> = async () => ({}),
): Promise<ApplicationView> {
  const trackingNumber = requireTrackingNumber(input.trackingNumber);
  if (input.reason !== undefined) assertText([['reason', input.reason, 500]]);
  const today = chinaDate(ctx.clock.now());
  return ctx.db.transaction().execute((trx) =>
    withIdempotency(trx, { actorId: ctx.actor.id, operation: `application.${spec.step}`, key: input.idempotencyKey, request: input }, async () => {
      const app = await q.lockByTrackingNumber(trx, trackingNumber);
      if (!app) throw applicationNotFound(trackingNumber);
      assertActsForStep(ctx.actor, app, spec.end, spec.step);
      if (!spec.from.includes(app.state)) throw stateRefusal(app, spec);
      const { changes, data } = await work(trx, app);
      const after = await q.updateApplication(trx, app.id, app.state, { ...changes, state: spec.to });
      await recordTransition(trx, ctx.actor, { from: app.state }, after, input.reason ?? null, data);
      return applicationView(after, today);
    }),
  );
}
