import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { cardsInRenewalWindow } from '../idcards/index.ts';
import { permitsWithEndorsementWindowOpen } from '../residence/index.ts';
import { insertNotifications } from './outbox.queries.ts';

const PAGE = 500;

/**
 * Finds what is due today and puts it in the outbox, once per fact (dedupe keys): valid resident
 * cards whose renewal window is open (last day within 3 months), and issued residence permits whose
 * endorsement window is open. Runs page by page over indexes; safe to run concurrently.
 */
export async function enqueueDueNotifications(ctx: ServiceContext): Promise<{ cardsExpiring: number; endorsementsDue: number }> {
  const today = chinaDate(ctx.clock.now());
  let cardsExpiring = 0;
  let afterCard: { validUntil: string; id: string } | null = null;
  do {
    const page = await cardsInRenewalWindow(ctx.db, today, afterCard, PAGE);
    cardsExpiring += await insertNotifications(
      ctx.db,
      page.items.map((c) => ({
        personId: c.personId,
        kind: 'id_card_expiring' as const,
        dedupeKey: `id_card_expiring:${c.cardId}`,
        payload: { cardId: c.cardId, validUntil: c.validUntil, renewableFrom: c.renewableFrom },
      })),
    );
    afterCard = page.next;
  } while (afterCard);

  let endorsementsDue = 0;
  let afterPermit: { anniversary: string; id: string } | null = null;
  do {
    const page = await permitsWithEndorsementWindowOpen(ctx.db, today, afterPermit, PAGE);
    endorsementsDue += await insertNotifications(
      ctx.db,
      page.items.map((p) => ({
        personId: p.personId,
        kind: 'endorsement_due' as const,
        dedupeKey: `endorsement_due:${p.permitId}:${p.anniversary}`,
        payload: { permitId: p.permitId, cityCode: p.cityCode, anniversary: p.anniversary, windowOpensOn: p.opensOn, lastOnTimeDay: p.lastOnTimeDay },
      })),
    );
    afterPermit = page.next;
  } while (afterPermit);
  return { cardsExpiring, endorsementsDue };
}
