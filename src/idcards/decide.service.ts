import { notAmongVisible, type Actor } from '../access/index.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { withIdempotency } from '../platform/db/idempotency.ts';
import { AppError } from '../platform/errors.ts';
import { findServicePerson, lockPersonFor } from '../residence/index.ts';
import { CARD_LOCK } from './apply.service.ts';
import { withCardConstraints } from './constraints.ts';
import { IDCARD_LEGAL_BASIS } from './idcards.law.ts';
import * as q from './idcards.queries.ts';
import type { ApplicationState } from './idcards.tables.ts';
import { applicationView, cardView, type ApplicationView, type CardView } from './idcards.views.ts';
import { actsForEnd, applicationVisibleTo, type ApplicationEnd } from './idcards.visibility.ts';
import { cardValidUntil, effectiveCardStatus } from './rules.ts';
import { assertText } from '../platform/text.ts';

export function applicationNotFound(id: string): AppError {
  return new AppError('ID_CARD_APPLICATION_NOT_FOUND', `${notAmongVisible(`ID card application ${id}:`)} The person's applications are on GET /api/v1/persons/{idNumber}/identity; your pending ones in GET /api/v1/queue. Any counter can accept a new application (POST /api/v1/id-card-applications).`, {
    details: { applicationId: id },
  });
}

/**
 * The actor must see the application (else ID_CARD_APPLICATION_NOT_FOUND, as for an id that does
 * not exist) and act for the end that performs the step (else FORBIDDEN: the application is
 * visible to them, so saying whose step it is discloses nothing).
 */
function assertEnd(actor: Actor, app: q.ApplicationRow, end: ApplicationEnd, step: string): void {
  if (!applicationVisibleTo(actor, app)) throw applicationNotFound(app.id);
  if (actsForEnd(actor, app, end)) return;
  const authority = end === 'accepting' ? app.accepting_authority_id : app.hukou_authority_id;
  const who = end === 'accepting' ? 'the accepting authority' : 'the hukou-place authority (居民身份证法 Art. 8)';
  throw new AppError('FORBIDDEN', `Application ${app.id} is ${step} by ${who}, ${authority}; you act for ${actor.authorityId}.`, {
    details: { applicationId: app.id, step, authorityId: authority },
  });
}

/**
 * Person lock, then the application's row lock (this module's lock order); the actor acts for `end`; the state must be (one of) `from`.
 * `done`: the states in which this step is already done — the caller then answers with the application as it is and writes nothing
 * (one rule for every repeated step, docs/api-conventions.md).
 */
async function lockForStep(
  trx: Db,
  actor: Actor,
  applicationId: string,
  end: ApplicationEnd,
  from: ApplicationState | readonly ApplicationState[],
  step: string,
  done: readonly ApplicationState[] = [],
): Promise<{ app: q.ApplicationRow; alreadyDone: boolean }> {
  const peek = await q.findApplication(trx, applicationId);
  if (!peek) throw applicationNotFound(applicationId);
  assertEnd(actor, peek, end, step);
  await lockPersonFor(trx, CARD_LOCK, peek.person_id);
  const app = await q.lockApplication(trx, applicationId);
  if (!app) throw applicationNotFound(applicationId);
  if (done.includes(app.state)) return { app, alreadyDone: true };
  if (!(typeof from === 'string' ? [from] : from).includes(app.state)) throw stateError(app, step, typeof from === 'string' ? from : from.join(' or '));
  return { app, alreadyDone: false };
}

/** The application and its card as they are now (a repeated confirm or delivery). */
async function asItIs(trx: Db, app: q.ApplicationRow, today: string): Promise<{ application: ApplicationView; card: CardView }> {
  const card = await q.findCard(trx, app.card_id as string);
  const person = await findServicePerson(trx, app.id_number);
  return { application: applicationView(app, today), card: cardView(card!, { status: person.status, idNumber: person.idNumber }, today) };
}

function stateError(app: q.ApplicationRow, step: string, when: string): AppError {
  return new AppError('APPLICATION_STATE', `Application ${app.id} is ${app.state}; it can be ${step} only when ${when}.`, {
    details: { applicationId: app.id, state: app.state },
  });
}

function eventBase(app: q.ApplicationRow, actorId: string, on: string) {
  return {
    person_id: app.person_id,
    application_id: app.id,
    occurred_on: on,
    actor_id: actorId,
    accepting_authority_id: app.accepting_authority_id,
    hukou_authority_id: app.hukou_authority_id,
    scope: app.scope,
  };
}

/**
 * The register may have changed the person since the application was accepted. A card is issued
 * only to a living, registered person (居民身份证法 Art. 2), and only under the number they hold: a
 * card under a former number reads as cancelled from the day it is made, and a corrected birth date
 * (the reason numbers change, GB 11643) may put them in another validity band (Art. 5), decided at
 * acceptance. Either way the application is rejected and, for a new number, a renewal accepted.
 */
function assertStillFits(app: q.ApplicationRow, person: { idNumber: string; status: string }, step: 'issued' | 'handed over' = 'issued'): void {
  if (stillFits(app, person)) return;
  if (person.status !== 'active') {
    const deceased = person.status === 'deceased';
    throw new AppError(
      deceased ? 'PERSON_DECEASED' : 'PERSON_NOT_ACTIVE',
      `${person.idNumber} has been registered as ${deceased ? 'deceased' : `no longer active (${person.status})`} since application ${app.id} was accepted; no card is ${step}. Reject the application at the hukou place${step === 'handed over' ? '; that cancels the card' : ''}.`,
      { details: { applicationId: app.id, idNumber: person.idNumber, status: person.status } },
    );
  }
  throw new AppError(
    'ID_NUMBER_CHANGED',
    `The ID number of the person changed from ${app.id_number} to ${person.idNumber} after application ${app.id} was accepted (a corrected birth date or sex): a card under the old number is void, and its validity was decided on the old particulars. Reject this application at the hukou place${step === 'handed over' ? ' (that cancels the card)' : ''} and accept a renewal under ${person.idNumber}.`,
    { details: { applicationId: app.id, applicationIdNumber: app.id_number, currentIdNumber: person.idNumber } },
  );
}

/**
 * The hukou-place authority confirms and issues (签发, Art. 8): the card is made, valid from today
 * for the validity decided at application. Any card the person still holds as valid is superseded
 * (or marked expired if past its last day) in the same transaction, so the person never holds two.
 */
export async function confirmApplication(ctx: ServiceContext, input: { applicationId: string; idempotencyKey?: string | undefined }): Promise<{ application: ApplicationView; card: CardView }> {
  const today = chinaDate(ctx.clock.now());
  return withCardConstraints(() =>
    ctx.db.transaction().execute((trx) =>
      withIdempotency(trx, { actorId: ctx.actor.id, operation: 'confirmApplication', key: input.idempotencyKey, request: input }, async () => {
        const { app, alreadyDone } = await lockForStep(trx, ctx.actor, input.applicationId, 'hukou', 'accepted', 'confirmed', ['confirmed', 'delivered']);
        if (alreadyDone) return asItIs(trx, app, today);
        const person = await findServicePerson(trx, app.id_number);
        assertStillFits(app, person);
        const holder = { status: person.status, idNumber: person.idNumber };
        const base = eventBase(app, ctx.actor.id, today);
        const events: Parameters<typeof q.insertCardEvents>[1] = [];

        for (const held of await q.lockCards(trx, app.person_id)) {
          if (held.status !== 'valid') continue;
          const now = effectiveCardStatus({ kind: held.kind, status: held.status, idNumber: held.id_number, validUntil: held.valid_until }, holder, today);
          if (now === 'valid' && app.kind === 'temporary') {
            throw new AppError('SECOND_VALID_CARD', `${app.id_number} holds valid ${held.kind} card ${held.id}; a temporary card is only for someone without a valid card.`, {
              details: { cardId: held.id },
            });
          }
          const to = now === 'expired' ? 'expired' : 'superseded';
          await q.setCardStatus(trx, held.id, 'valid', to, today);
          events.push({ ...base, card_id: held.id, kind: to === 'expired' ? 'card_expired' : 'card_superseded', legal_basis: to === 'expired' ? IDCARD_LEGAL_BASIS.expiry : app.legal_basis });
        }

        const card = await q.insertCard(trx, {
          person_id: app.person_id,
          kind: app.kind === 'temporary' ? 'temporary' : 'resident',
          id_number: app.id_number,
          // the name registered on the day of issue: a change of name registered after acceptance is on the card
          name: person.name,
          valid_from: today,
          valid_until: cardValidUntil(today, app.validity_months),
          status_changed_on: today,
          issuing_authority_id: app.issuing_authority_id,
          application_id: app.id,
        });
        const confirmed = await q.updateApplication(trx, app.id, 'accepted', { state: 'confirmed', card_id: card.id, confirmed_on: today, confirmed_by: ctx.actor.id });
        events.push(
          { ...base, card_id: card.id, kind: 'application_confirmed', legal_basis: IDCARD_LEGAL_BASIS.issue },
          { ...base, card_id: card.id, kind: 'card_issued', legal_basis: app.legal_basis, data: { validFrom: card.valid_from, validUntil: card.valid_until, cardKind: card.kind } },
        );
        await q.insertCardEvents(trx, events);
        return { application: applicationView(confirmed, today), card: cardView(card, holder, today) };
      }),
    ),
  );
}

/**
 * The hukou-place authority refuses an accepted application (identity not confirmed, documents
 * wrong) — or a confirmed one whose card can no longer be handed over, because the person has died
 * or is no longer registered, or holds another ID number since: that card is cancelled, and the
 * card the person held before stays as confirmation left it (superseded, so void). A confirmed card
 * its holder can still receive is delivered, not rejected (APPLICATION_STATE).
 */
export async function rejectApplication(ctx: ServiceContext, input: { applicationId: string; reason: string; idempotencyKey?: string | undefined }): Promise<ApplicationView> {
  const today = chinaDate(ctx.clock.now());
  assertText([['reason', input.reason, 500]]);
  return ctx.db.transaction().execute((trx) =>
    withIdempotency(trx, { actorId: ctx.actor.id, operation: 'rejectApplication', key: input.idempotencyKey, request: input }, async () => {
      const { app, alreadyDone } = await lockForStep(trx, ctx.actor, input.applicationId, 'hukou', ['accepted', 'confirmed'], 'rejected', ['rejected']);
      if (alreadyDone) return applicationView(app, today);
      const from = app.state;
      // a confirmed card its holder can still receive is delivered, not rejected
      if (from === 'confirmed' && stillFits(app, await findServicePerson(trx, app.id_number))) {
        throw stateError(app, 'rejected', 'accepted (or confirmed with a card its holder can no longer receive)');
      }
      const rejected = await q.updateApplication(trx, app.id, from, { state: 'rejected', decision_reason: input.reason, confirmed_by: ctx.actor.id });
      const base = eventBase(app, ctx.actor.id, today);
      const events: Parameters<typeof q.insertCardEvents>[1] = [{ ...base, card_id: app.card_id, kind: 'application_rejected', legal_basis: app.legal_basis, data: { reason: input.reason } }];
      if (from === 'confirmed') {
        await q.setCardStatus(trx, app.card_id as string, 'valid', 'cancelled', today);
        events.push({ ...base, card_id: app.card_id, kind: 'card_cancelled', legal_basis: app.legal_basis, data: { reason: 'not handed over: the holder can no longer receive it' } });
      }
      await q.insertCardEvents(trx, events);
      return applicationView(rejected, today);
    }),
  );
}

/** Whether the person can still receive a card under the application: alive, registered, and holding its number. */
function stillFits(app: q.ApplicationRow, person: { idNumber: string; status: string }): boolean {
  return person.status === 'active' && person.idNumber === app.id_number;
}

/** The accepting authority hands the card over (by post or at the counter); late against the deadline is recorded. */
export async function deliverCard(ctx: ServiceContext, input: { applicationId: string; idempotencyKey?: string | undefined }): Promise<{ application: ApplicationView; card: CardView }> {
  const today = chinaDate(ctx.clock.now());
  return ctx.db.transaction().execute((trx) =>
    withIdempotency(trx, { actorId: ctx.actor.id, operation: 'deliverCard', key: input.idempotencyKey, request: input }, async () => {
      const { app, alreadyDone } = await lockForStep(trx, ctx.actor, input.applicationId, 'accepting', 'confirmed', 'delivered', ['delivered']);
      if (alreadyDone) return asItIs(trx, app, today);
      const person = await findServicePerson(trx, app.id_number);
      // the register may have changed the person since confirmation: a void card is not handed over
      assertStillFits(app, person, 'handed over');
      const card = await q.setCardDelivered(trx, app.card_id as string, today);
      const delivered = await q.updateApplication(trx, app.id, 'confirmed', { state: 'delivered', delivered_on: today, delivered_by: ctx.actor.id });
      await q.insertCardEvents(trx, [
        { ...eventBase(app, ctx.actor.id, today), card_id: card.id, kind: 'card_delivered', legal_basis: IDCARD_LEGAL_BASIS.issue, data: { dueOn: app.due_on, onTime: today <= app.due_on } },
      ]);
      return { application: applicationView(delivered, today), card: cardView(card, { status: person.status, idNumber: person.idNumber }, today) };
    }),
  );
}

export async function getApplication(ctx: ServiceContext, applicationId: string): Promise<ApplicationView> {
  return (await readApplication(ctx, applicationId)).application;
}

/**
 * One application, seen from either end (accepting authority or hukou place) or by the person it
 * concerns; anyone else gets ID_CARD_APPLICATION_NOT_FOUND. With whose it is, for the access log.
 */
export async function readApplication(ctx: ServiceContext, applicationId: string): Promise<{ application: ApplicationView; personId: number }> {
  const app = await q.findApplication(ctx.db, applicationId);
  if (!app || !applicationVisibleTo(ctx.actor, app)) throw applicationNotFound(applicationId);
  return { application: applicationView(app, chinaDate(ctx.clock.now())), personId: app.person_id };
}

/** A person's ID card applications (newest first), for the one list of a citizen's applications (src/applications). */
export async function listCardApplicationsOf(ctx: ServiceContext, personId: number): Promise<ApplicationView[]> {
  const today = chinaDate(ctx.clock.now());
  return (await q.listApplications(ctx.db, personId)).map((a) => applicationView(a, today));
}

/** Open applications the actor's area confirms (hukou place) or delivers (accepting), for the officer queues of src/applications. */
export async function cardApplicationQueue(ctx: ServiceContext, input: { side: 'hukou' | 'accepting'; limit: number }): Promise<ApplicationView[]> {
  const today = chinaDate(ctx.clock.now());
  return (await q.listOpenApplicationsFor(ctx.db, ctx.actor, input.side, input.limit)).map((a) => applicationView(a, today));
}

/**
 * The workbench's ID card queues for the actor's authority (and those under it): `confirm` at the
 * hukou place, `deliver` at the accepting one; nearest deadline first, overdue ones flagged.
 */
export async function listApplicationQueue(ctx: ServiceContext, input: { queue: 'confirm' | 'deliver'; limit: number }): Promise<{ applications: ApplicationView[]; personIds: number[] }> {
  const rows = await q.listPendingApplications(ctx.db, ctx.actor, input.limit, [input.queue]);
  const today = chinaDate(ctx.clock.now());
  return { applications: rows.map((r) => applicationView(r, today)), personIds: rows.map((r) => r.person_id) };
}
