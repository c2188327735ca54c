import type { Static } from 'typebox';
import type { ApplicationSchema, CardEventSchema, CardSchema } from './idcards.schemas.ts';
import { effectiveCardStatus } from './rules.ts';
import type { ApplicationRow, CardEventRow, CardRow } from './idcards.queries.ts';

/** The shapes the ID card services answer with (camelCase, dates YYYY-MM-DD). */

export type ApplicationView = Static<typeof ApplicationSchema>;

export function applicationView(a: ApplicationRow, today: string): ApplicationView {
  return {
    id: a.id,
    kind: a.kind,
    reason: a.reason,
    appliedOn: a.applied_on,
    idNumber: a.id_number,
    name: a.name,
    ageOnApplication: a.age_on_application,
    late: a.late,
    validityMonths: a.validity_months,
    previousCardId: a.previous_card_id,
    acceptingAuthorityId: a.accepting_authority_id,
    hukouAuthorityId: a.hukou_authority_id,
    issuingAuthorityId: a.issuing_authority_id,
    scope: a.scope,
    residencePermitId: a.residence_permit_id,
    legalBasis: a.legal_basis,
    fee: { standardYuan: a.fee_standard_yuan, dueYuan: a.fee_due_yuan, waiver: a.fee_waiver, source: a.fee_source },
    dueOn: a.due_on,
    state: a.state,
    decisionReason: a.decision_reason,
    cardId: a.card_id,
    confirmedOn: a.confirmed_on,
    deliveredOn: a.delivered_on,
    overdue: a.state === 'rejected' ? false : (a.delivered_on ?? today) > a.due_on,
  };
}

export type CardView = Static<typeof CardSchema>;

export function cardView(c: CardRow, holder: { status: string; idNumber: string }, today: string): CardView {
  return {
    id: c.id,
    kind: c.kind,
    idNumber: c.id_number,
    name: c.name,
    validFrom: c.valid_from,
    validUntil: c.valid_until,
    status: effectiveCardStatus({ kind: c.kind, status: c.status, idNumber: c.id_number, validUntil: c.valid_until }, holder, today),
    statusChangedOn: c.status_changed_on,
    issuingAuthorityId: c.issuing_authority_id,
    applicationId: c.application_id,
    deliveredOn: c.delivered_on,
  };
}

export type CardEventView = Static<typeof CardEventSchema>;

export function cardEventView(e: CardEventRow): CardEventView {
  return {
    id: e.id,
    kind: e.kind,
    occurredOn: e.occurred_on,
    applicationId: e.application_id,
    cardId: e.card_id,
    acceptingAuthorityId: e.accepting_authority_id,
    hukouAuthorityId: e.hukou_authority_id,
    scope: e.scope,
    legalBasis: e.legal_basis,
    actorId: e.actor_id,
  };
}
