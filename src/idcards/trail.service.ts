import type { Db } from '../platform/db/database.ts';
import { describeActors } from '../access/index.ts';
import type { TrailItem } from '../audit/index.ts';
import * as q from './idcards.queries.ts';

/**
 * Checks of the citizen's ID card by departments and officers, for their "who looked at my data"
 * trail (PIPL Art. 45): a check is logged in `id_card_check`, not in the access log's chain.
 */
export async function cardCheckTrail(db: Db, subject: { idNumbers: string[] }, limit: number): Promise<TrailItem[]> {
  const checks = await q.cardChecksOfNumbers(db, subject.idNumbers, limit);
  const actors = await describeActors(db, checks.map((c) => c.actor_id));
  return checks.map((c) => {
    const actor = actors.get(c.actor_id);
    return {
      kind: 'card_check' as const,
      reference: `card-check:${c.id}`,
      at: c.checked_at.toISOString(),
      actorId: c.actor_id,
      role: actor?.role ?? null,
      // actors without an account (the local operator) act for the Ministry
      authorityId: actor?.authorityId ?? 'mps',
      authorityName: actor?.authorityName ?? null,
      action: 'idcard.check',
      purpose: null,
      fields: ['valid'],
      outcome: 'returned',
      legalBasis: null,
    };
  });
}
