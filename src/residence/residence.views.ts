import { permitRulesOn } from './residence.law.ts';
import { permitStateOn, type EndorsementStatus, type PermitEffectiveStatus, type PermitTimeline } from './endorsement-rules.ts';
import type { EndorsementRow, PermitRow, RegistrationRow } from './residence.queries.ts';
import type { PermitBasis } from './residence.tables.ts';

/** The shapes the residence services answer with (camelCase, dates as YYYY-MM-DD). */

export interface RegistrationView {
  id: string;
  cityCode: string;
  authorityId: string;
  address: string;
  registeredOn: string;
  endedOn: string | null;
  endReason: string | null;
}

export function registrationView(r: RegistrationRow): RegistrationView {
  return {
    id: r.id,
    cityCode: r.city_code,
    authorityId: r.authority_id,
    address: r.address,
    registeredOn: r.registered_on,
    endedOn: r.ended_on,
    endReason: r.end_reason,
  };
}

export interface EndorsementState {
  status: EndorsementStatus;
  anniversary: string | null;
  windowOpensOn: string | null;
  lastOnTimeDay: string | null;
}

export interface PermitView {
  id: string;
  registrationId: string;
  cityCode: string;
  authorityId: string;
  issuingAuthorityId: string;
  basis: PermitBasis;
  basisEvidence: string;
  appliedOn: string;
  dueOn: string;
  /** On the day asked: applied, valid, suspended (endorsement overdue), rejected or cancelled. */
  status: PermitEffectiveStatus;
  issuedOn: string | null;
  decidedOn: string | null;
  decisionReason: string | null;
  residenceCountedFrom: string;
  endorsement: EndorsementState;
  suspendedSince: string | null;
  version: number;
}

export function timelineOf(p: PermitRow): PermitTimeline {
  return {
    status: p.status,
    issuedOn: p.issued_on,
    endorsementAnchor: p.endorsement_anchor,
    endorsedYears: p.endorsed_years,
    residenceCountedFrom: p.residence_counted_from,
  };
}

export function permitView(p: PermitRow, on: string): PermitView {
  const state = permitStateOn(timelineOf(p), on, permitRulesOn(on));
  return {
    id: p.id,
    registrationId: p.registration_id,
    cityCode: p.city_code,
    authorityId: p.authority_id,
    issuingAuthorityId: p.issuing_authority_id,
    basis: p.basis,
    basisEvidence: p.basis_evidence,
    appliedOn: p.applied_on,
    dueOn: p.due_on,
    status: state.status,
    issuedOn: p.issued_on,
    decidedOn: p.decided_on,
    decisionReason: p.decision_reason,
    residenceCountedFrom: p.residence_counted_from,
    endorsement: state.endorsement,
    suspendedSince: state.suspendedSince,
    version: p.version,
  };
}

export interface EndorsementView {
  id: number;
  permitId: string;
  endorsedOn: string;
  anniversary: string;
  late: boolean;
  authorityId: string;
}

export function endorsementView(e: EndorsementRow): EndorsementView {
  return { id: e.id, permitId: e.permit_id, endorsedOn: e.endorsed_on, anniversary: e.anniversary, late: e.late, authorityId: e.authority_id };
}
