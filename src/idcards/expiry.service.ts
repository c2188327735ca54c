import { addDays, addMonths } from '../platform/calendar.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { deadlineRulesOn, IDCARD_LEGAL_BASIS } from './idcards.law.ts';
import * as q from './idcards.queries.ts';

/**
 * The expiry sweep: valid cards past their last day become expired, with a card_expired event, in
 * batches (each its own transaction; concurrent sweeps skip each other's rows). Reads never depend
 * on it — a card's status on a date is computed — but the stored status and the history catch up.
 */
export async function expireCards(ctx: ServiceContext, opts: { batchSize?: number } = {}): Promise<number> {
  const today = chinaDate(ctx.clock.now());
  const batchSize = opts.batchSize ?? 500;
  let total = 0;
  for (;;) {
    const n = await ctx.db.transaction().execute(async (trx) => {
      const cards = await q.lockExpiredValidCards(trx, today, batchSize);
      for (const c of cards) await q.setCardStatus(trx, c.id, 'valid', 'expired', today);
      await q.insertCardEvents(
        trx,
        cards.map((c) => ({
          person_id: c.person_id,
          application_id: c.application_id,
          card_id: c.id,
          kind: 'card_expired' as const,
          occurred_on: today,
          actor_id: ctx.actor.id,
          accepting_authority_id: c.issuing_authority_id,
          hukou_authority_id: c.issuing_authority_id,
          scope: 'local' as const,
          legal_basis: IDCARD_LEGAL_BASIS.expiry,
          data: { validUntil: c.valid_until },
        })),
      );
      return cards.length;
    });
    total += n;
    if (n < batchSize) return total;
  }
}

export interface CardExpiring {
  cardId: string;
  personId: number;
  validUntil: string;
  renewableFrom: string;
}

/**
 * Valid resident cards whose renewal window is open on `on` (last day within the next 3 months),
 * one page in (validUntil, id) order after `after`; `next` is null on the last page. For the notifier.
 */
export async function cardsInRenewalWindow(
  db: Db,
  on: string,
  after: { validUntil: string; id: string } | null,
  limit: number,
): Promise<{ items: CardExpiring[]; next: { validUntil: string; id: string } | null }> {
  const months = deadlineRulesOn(on).renewalWindowMonthsBeforeExpiry;
  // A few days of slack on the far end: month arithmetic clamps (31 May − 3 months = 28 Feb).
  const rows = await q.listCardsExpiringBetween(db, on, addDays(addMonths(on, months), 3), after, limit);
  const items = rows
    .map((r) => ({ cardId: r.id, personId: r.person_id, validUntil: r.valid_until as string, renewableFrom: addMonths(r.valid_until as string, -months) }))
    .filter((c) => c.renewableFrom <= on);
  const last = rows.at(-1);
  return { items, next: rows.length === limit && last ? { validUntil: last.valid_until as string, id: last.id } : null };
}
