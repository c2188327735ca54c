import type { Db } from '../platform/db/database.ts';
import type { TrailRecord } from '../audit/index.ts';
import * as q from './idcards.queries.ts';

/**
 * Checks of the citizen's ID card by departments and officers, for their "who looked at my data"
 * trail (PIPL Art. 45): a check is logged in `id_card_check`, not in the access log's chain.
 */
export async function cardCheckTrail(db: Db, subject: { idNumbers: string[] }, limit: number): Promise<TrailRecord[]> {
  const checks = await q.cardChecksOfNumbers(db, subject.idNumbers, limit);
  return checks.map((c) => ({
    kind: 'card_check' as const,
    reference: `card-check:${c.id}`,
    at: c.checked_at,
    actorId: c.actor_id,
    authorityName: null,
    action: 'idcard.check',
    purpose: null,
    fields: ['valid'],
    outcome: 'returned',
    legalBasis: null,
  }));
}

/** ID card events about the citizen — an application accepted about them at any counter discloses their particulars there. */
export async function cardEventTrail(db: Db, subject: { personId: number }, limit: number): Promise<TrailRecord[]> {
  const events = await q.cardEventsAbout(db, subject.personId, limit);
  return events.map((e) => ({
    kind: 'id_card_event' as const,
    reference: `card-event:${e.id}`,
    at: e.recorded_at,
    actorId: e.actor_id,
    authorityName: e.authority_name,
    action: e.kind,
    purpose: e.application_id ? `application:${e.application_id}` : null,
    fields: e.kind === 'application_accepted' ? ['idNumber', 'name', 'birthDate', 'address'] : [],
    outcome: 'recorded',
    legalBasis: e.legal_basis,
  }));
}
