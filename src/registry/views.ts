import type { EventWithNamesRow } from './event.queries.ts';
import type { HouseholdRow } from './household.queries.ts';
import type { PersonRow } from './person.queries.ts';

/** The shapes services answer with (camelCase, JSON-safe so an answer can be stored and replayed). */

export interface HouseholdSummary {
  householdNumber: string;
  kind: HouseholdRow['kind'];
  countyCode: string;
  townshipCode: string | null;
  address: string;
  authorityId: string;
  status: 'active' | 'closed';
  version: number;
}

export function householdSummary(h: HouseholdRow): HouseholdSummary {
  return {
    householdNumber: h.household_number,
    kind: h.kind,
    countyCode: h.county_code,
    townshipCode: h.township_code,
    address: h.address,
    authorityId: h.authority_id,
    status: h.status,
    version: h.version,
  };
}

export interface PersonSummary {
  idNumber: string;
  name: string;
  sex: string;
  birthDate: string;
  status: PersonRow['status'];
  version: number;
}

export function personSummary(p: PersonRow): PersonSummary {
  return { idNumber: p.id_number, name: p.name, sex: p.sex, birthDate: p.birth_date, status: p.status, version: p.version };
}

export interface PersonRecord extends PersonSummary {
  namePinyin: string;
  formerNames: string[];
  ethnicity: string;
  birthplaceCode: string | null;
  nativePlaceCode: string | null;
  education: string | null;
  maritalStatus: string | null;
  occupation: string | null;
  employer: string | null;
  deathDate: string | null;
}

export function personRecord(p: PersonRow): PersonRecord {
  return {
    ...personSummary(p),
    namePinyin: p.name_pinyin,
    formerNames: p.former_names,
    ethnicity: p.ethnicity,
    birthplaceCode: p.birthplace_code,
    nativePlaceCode: p.native_place_code,
    education: p.education,
    maritalStatus: p.marital_status,
    occupation: p.occupation,
    employer: p.employer,
    deathDate: p.death_date,
  };
}

export interface EventView {
  id: number;
  kind: string;
  occurredOn: string;
  recordedAt: string;
  householdNumber: string | null;
  authorityId: string;
  authorityName: string;
  actorId: string;
  reason: string | null;
  legalBasis: string;
  applicationId: string | null;
  data: Record<string, unknown>;
}

export function eventView(e: EventWithNamesRow): EventView {
  return {
    id: e.id,
    kind: e.kind,
    occurredOn: e.occurred_on,
    recordedAt: new Date(e.recorded_at).toISOString(),
    householdNumber: e.household_number,
    authorityId: e.authority_id,
    authorityName: e.authority_name,
    actorId: e.actor_id,
    reason: e.reason,
    legalBasis: e.legal_basis,
    applicationId: e.application_id,
    data: e.data,
  };
}
