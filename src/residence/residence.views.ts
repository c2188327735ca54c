import type { Static } from 'typebox';
import type { EndorsementSchema, EndorsementStateSchema, PermitSchema, RegistrationSchema } from './residence.schemas.ts';
import { permitRulesOn } from './residence.law.ts';
import { permitStateOn, type PermitTimeline } from './endorsement-rules.ts';
import type { EndorsementRow, PermitRow, RegistrationRow } from './residence.queries.ts';

/** The shapes the residence services answer with (camelCase, dates as YYYY-MM-DD). */

export type RegistrationView = Static<typeof RegistrationSchema>;

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

export type EndorsementState = Static<typeof EndorsementStateSchema>;

export type PermitView = Static<typeof PermitSchema>;

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

export type EndorsementView = Static<typeof EndorsementSchema>;

export function endorsementView(e: EndorsementRow): EndorsementView {
  return { id: e.id, permitId: e.permit_id, endorsedOn: e.endorsed_on, anniversary: e.anniversary, late: e.late, authorityId: e.authority_id };
}
