import type { Db } from '../platform/db/database.ts';
import type { TrailRecord } from '../audit/index.ts';
import { registrationEventsAbout } from './published.queries.ts';

/** The registration events of the citizen's record (who changed it, for which authority), for their trail. */
export async function registrationEventTrail(db: Db, subject: { personId: number }, limit: number): Promise<TrailRecord[]> {
  const events = await registrationEventsAbout(db, subject.personId, limit);
  return events.map((e) => ({
    kind: 'registration_event' as const,
    reference: `event:${e.id}`,
    at: e.recorded_at,
    actorId: e.actor_id,
    authorityName: e.authority_name,
    action: e.kind,
    purpose: e.application_id ? `application:${e.application_id}` : null,
    fields: [],
    outcome: 'recorded',
    legalBasis: e.legal_basis,
  }));
}
