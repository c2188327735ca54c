import { addDays, addMonths } from '../platform/calendar.ts';
import type { Db } from '../platform/db/database.ts';
import { residenceFactsOfPerson, type ResidenceFacts } from './facts.service.ts';
import { endorsementWindow, permitStateOn } from './endorsement-rules.ts';
import { permitRulesOn } from './residence.law.ts';
import * as q from './residence.queries.ts';
import { endorsementView, permitView, registrationView, timelineOf, type EndorsementView, type PermitView, type RegistrationView } from './residence.views.ts';

/** A person's residence away from the hukou place, as the identity view shows it. */
export interface ResidenceRecord {
  registrations: RegistrationView[];
  permits: PermitView[];
  endorsements: EndorsementView[];
  facts: ResidenceFacts | null;
}

export async function residenceRecordOfPerson(db: Db, personId: number, asOf: string): Promise<ResidenceRecord> {
  const [registrations, permits] = await Promise.all([q.listRegistrations(db, personId), q.listPermits(db, personId)]);
  const endorsements = await q.listEndorsements(db, permits.map((p) => p.id));
  return {
    registrations: registrations.map(registrationView),
    permits: permits.map((p) => permitView(p, asOf)),
    endorsements: endorsements.map(endorsementView),
    facts: await residenceFactsOfPerson(db, personId, asOf),
  };
}

/**
 * The person's residence permit in `cityCode` when it is in force (issued, not suspended) on `on`:
 * a holder may renew or reissue their ID card at the residence place (居住证暂行条例 Art. 13).
 */
export async function findPermitInForce(db: Db, personId: number, cityCode: string, on: string): Promise<{ id: string } | null> {
  const permit = await q.findOpenPermit(db, personId);
  if (!permit || permit.city_code !== cityCode) return null;
  return permitStateOn(timelineOf(permit), on, permitRulesOn(on)).status === 'valid' ? { id: permit.id } : null;
}

export interface EndorsementDue {
  permitId: string;
  personId: number;
  cityCode: string;
  anniversary: string;
  opensOn: string;
  lastOnTimeDay: string;
}

/**
 * Issued permits whose endorsement window is open on `on`, one page in (anniversary, id) order
 * after `after`, for the notifier: an index range, then the exact window. `next` is null on the
 * last page.
 */
export async function permitsWithEndorsementWindowOpen(
  db: Db,
  on: string,
  after: { anniversary: string; id: string } | null,
  limit: number,
): Promise<{ items: EndorsementDue[]; next: { anniversary: string; id: string } | null }> {
  const rules = permitRulesOn(on);
  // A few days of slack on the far end: month arithmetic clamps (31 Mar − 1 month = 28 Feb).
  const rows = await q.listPermitsWithAnniversaryBetween(db, addDays(on, 1 - rules.endorsementGraceDays), addDays(addMonths(on, rules.endorsementWindowMonths), 3), after, limit);
  const items = rows
    .map((r) => ({ permitId: r.id, personId: r.person_id, cityCode: r.city_code, anniversary: r.endorsement_due_on as string }))
    .map((r) => ({ ...r, ...endorsementWindow(r.anniversary, rules) }))
    .filter((r) => r.opensOn <= on && on <= r.lastOnTimeDay);
  const last = rows.at(-1);
  return { items, next: rows.length === limit && last ? { anniversary: last.endorsement_due_on as string, id: last.id } : null };
}
