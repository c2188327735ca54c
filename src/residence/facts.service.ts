import type { Db } from '../platform/db/database.ts';
import { residenceYearsOn } from './endorsement-rules.ts';
import { permitRulesOn } from './residence.law.ts';
import { findServicePerson } from './places.ts';
import * as q from './residence.queries.ts';
import { permitView, timelineOf, type EndorsementState } from './residence.views.ts';
import type { PermitEffectiveStatus } from './endorsement-rules.ts';

/**
 * Computed residence facts of one person on a date, for other modules (settlement: residence years,
 * continuous residence, endorsement status) and the identity view. Null when the person has no open
 * residence registration away from their hukou.
 */
export interface ResidenceFacts {
  asOf: string;
  cityCode: string;
  registrationId: string;
  registeredOn: string;
  permit: { id: string; status: PermitEffectiveStatus; issuedOn: string | null } | null;
  /** Residence years count from here: the registration date, or the day of the last late endorsement (Art. 10). */
  residenceCountedFrom: string;
  /** Full years of continuous residence on `asOf` (frozen at the lapse while the permit is suspended). */
  residenceYears: number;
  /** False while an endorsement is overdue (the permit's functions are suspended). */
  continuousResidence: boolean;
  endorsement: EndorsementState;
}

export async function residenceFactsOfPerson(db: Db, personId: number, asOf: string): Promise<ResidenceFacts | null> {
  const reg = await q.findOpenRegistration(db, personId);
  if (!reg || reg.registered_on > asOf) return null;
  const rules = permitRulesOn(asOf);
  const permit = await q.findOpenPermit(db, personId);
  const ofThisResidence = permit && permit.registration_id === reg.id ? permit : null;
  const timeline = ofThisResidence ? timelineOf(ofThisResidence) : null;
  const years = residenceYearsOn(timeline, reg.registered_on, asOf, rules);
  const view = ofThisResidence ? permitView(ofThisResidence, asOf) : null;
  return {
    asOf,
    cityCode: reg.city_code,
    registrationId: reg.id,
    registeredOn: reg.registered_on,
    permit: view ? { id: view.id, status: view.status, issuedOn: view.issuedOn } : null,
    residenceCountedFrom: years.countedFrom,
    residenceYears: years.years,
    continuousResidence: years.continuous,
    endorsement: view?.endorsement ?? { status: 'not_applicable', anniversary: null, windowOpensOn: null, lastOnTimeDay: null },
  };
}

/** The same, by ID number (PERSON_NOT_FOUND when nobody holds it). */
export async function residenceFacts(db: Db, idNumber: string, asOf: string): Promise<ResidenceFacts | null> {
  const person = await findServicePerson(db, idNumber);
  return residenceFactsOfPerson(db, person.id, asOf);
}
