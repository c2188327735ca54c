import { assertActsFor } from '../access/index.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { withIdempotency } from '../platform/db/idempotency.ts';
import { AppError } from '../platform/errors.ts';
import type { Db } from '../platform/db/database.ts';
import { authorityPlace, findActivePerson, findOwnPerson, hukouPlaceOf, lockPersonFor, type AuthorityPlace, type ServicePerson } from '../residence/index.ts';
import { CARD_LOCK } from './apply.service.ts';
import { IDCARD_LEGAL_BASIS } from './idcards.law.ts';
import * as q from './idcards.queries.ts';
import { cardView, type CardView } from './idcards.views.ts';
import { effectiveCardStatus, scopeOf } from './rules.ts';

export interface ReportLossInput {
  idNumber: string;
  /** Any authority: loss reports are accepted anywhere and take effect nationally at once. */
  /** The accepting counter; default: the acting officer's own authority. */
  authorityId?: string | undefined;
  /** Client transaction id (src/platform/db/idempotency.ts): a retry with the same key gets the first answer. */
  idempotencyKey?: string | undefined;
}

/**
 * Loss report (挂失申报): the person's valid card becomes reported_lost in this transaction, so the
 * national card check answers "not valid" from the moment it commits. A reissue (补领) may follow.
 * Only a card handed over can be lost: a card still awaiting delivery is left valid.
 */
export async function reportCardLost(ctx: ServiceContext, input: ReportLossInput): Promise<{ card: CardView; reportedOn: string }> {
  const today = chinaDate(ctx.clock.now());
  // Accepted anywhere, at the officer's own counter: a lost card must stop working at once.
  const acceptingAuthorityId = input.authorityId ?? ctx.actor.authorityId;
  assertActsFor(ctx.actor, acceptingAuthorityId, 'authorityId');
  return ctx.db.transaction().execute((trx) =>
    withIdempotency(trx, { actorId: ctx.actor.id, operation: 'reportCardLost', key: input.idempotencyKey, request: input }, async () => {
      const person = await findActivePerson(trx, input.idNumber);
      return markValidCardLost({ ...ctx, db: trx }, person, await authorityPlace(trx, acceptingAuthorityId, 'authorityId'), today);
    }),
  );
}

/**
 * The citizen's own loss report, made online (the portal): the same effect as at a counter, recorded
 * as reported to the hukou-place authority, which keeps the card file (居民身份证法 Art. 11: a lost card is reissued on application; the loss is reported to the
 * public security authority; the national platform takes it online like 跨省通办 counters do).
 */
export async function reportOwnCardLost(ctx: ServiceContext, input: { idempotencyKey?: string | undefined }): Promise<{ card: CardView; reportedOn: string }> {
  const today = chinaDate(ctx.clock.now());
  return ctx.db.transaction().execute((trx) =>
    withIdempotency(trx, { actorId: ctx.actor.id, operation: 'reportOwnCardLost', key: input.idempotencyKey, request: input }, async () => {
      const own = await findOwnPerson(trx, ctx.actor);
      const person = await findActivePerson(trx, own.idNumber);
      return markValidCardLost({ ...ctx, db: trx }, person, await hukouPlaceOf(trx, person), today);
    }),
  );
}

type Place = AuthorityPlace;

async function markValidCardLost(ctx: ServiceContext & { db: Db }, person: ServicePerson, accepting: Place, today: string): Promise<{ card: CardView; reportedOn: string }> {
  const trx = ctx.db;
  await lockPersonFor(trx, CARD_LOCK, person.id);
  const hukou = await hukouPlaceOf(trx, person);
  const holder = { status: 'active', idNumber: person.idNumber };
  const cards = await q.lockCards(trx, person.id);
  const statusOf = (c: q.CardRow) => effectiveCardStatus({ kind: c.kind, status: c.status, idNumber: c.id_number, validUntil: c.valid_until }, holder, today);
  const valid = cards.find((c) => statusOf(c) === 'valid');
  if (!valid) {
    // the status on the day: a card past its last day reads expired before the sweep stores it
    const latestStatus = cards[0] ? statusOf(cards[0]) : null;
    throw new AppError('NO_VALID_CARD', `${person.idNumber} holds no valid ID card to report lost${cards[0] ? ` (latest card ${cards[0].id} is ${latestStatus})` : ''}.`, {
      details: { idNumber: person.idNumber, latestCardId: cards[0]?.id ?? null, latestCardStatus: latestStatus },
    });
  }
  if (valid.delivered_on === null) {
    // The valid card is still at the authority (confirmed, not handed over): the person cannot have
    // lost it, and the card they did hold was superseded when it was confirmed, so it is void
    // already. Voiding the new card would cost them a reissue (¥40) and another wait.
    const previous = cards.find((c) => c.id !== valid.id);
    throw new AppError(
      'NO_VALID_CARD',
      // accepted at any counter, for whoever presents themselves: the reason, not the dates or the application (docs/access.md)
      `${person.idNumber} holds no valid ID card to report lost: card ${valid.id} has not been handed over yet and stays valid${previous ? `; the card held before, ${previous.id}, is ${statusOf(previous)} and already fails every check` : ''}. Deliver the new card.`,
      { details: { idNumber: person.idNumber, latestCardId: valid.id, latestCardStatus: 'valid', awaitingDelivery: true } },
    );
  }
  const lost = await q.setCardStatus(trx, valid.id, 'valid', 'reported_lost', today);
  await q.insertCardEvents(trx, [
    {
      person_id: person.id,
      application_id: null,
      card_id: lost.id,
      kind: 'loss_reported',
      occurred_on: today,
      actor_id: ctx.actor.id,
      accepting_authority_id: accepting.id,
      hukou_authority_id: hukou.id,
      scope: scopeOf(accepting, hukou),
      legal_basis: IDCARD_LEGAL_BASIS.lossReport,
      data: { cardKind: lost.kind, validFrom: lost.valid_from },
    },
  ]);
  return { card: cardView(lost, holder, today), reportedOn: today };
}
