import type { Db } from '../platform/db/database.ts';
import type { TrailRecord } from '../audit/index.ts';
import * as q from './residence.queries.ts';

/** Residence events about the citizen (registered, permit applied, issued, endorsed…), for their trail. */
export async function residenceEventTrail(db: Db, subject: { personId: number }, limit: number): Promise<TrailRecord[]> {
  const events = await q.residenceEventsAbout(db, subject.personId, limit);
  return events.map((e) => ({
    kind: 'residence_event' as const,
    reference: `residence-event:${e.id}`,
    at: e.recorded_at,
    actorId: e.actor_id,
    authorityName: e.authority_name,
    action: e.kind,
    purpose: e.permit_id ? `application:${e.permit_id}` : e.registration_id ? `application:${e.registration_id}` : null,
    fields: e.kind === 'registered' || e.kind === 'permit_applied' ? ['idNumber', 'name', 'address'] : [],
    outcome: 'recorded',
    legalBasis: e.legal_basis,
  }));
}
