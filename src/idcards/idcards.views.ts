import { effectiveCardStatus } from './rules.ts';
import type { ApplicationRow, CardEventRow, CardRow } from './idcards.queries.ts';
import type { ApplicationKind, ApplicationReason, ApplicationState, CardEventKind, CardKind, CardStatus, FeeWaiver, HandlingScope } from './idcards.tables.ts';

/** The shapes the ID card services answer with (camelCase, dates YYYY-MM-DD). */

export interface ApplicationView {
  id: string;
  kind: ApplicationKind;
  reason: ApplicationReason | null;
  appliedOn: string;
  idNumber: string;
  name: string;
  ageOnApplication: number;
  /** First application after the 3 months following the 16th birthday (Art. 7). */
  late: boolean;
  /** Months of validity of the card to be issued; null = long-term. */
  validityMonths: number | null;
  previousCardId: string | null;
  acceptingAuthorityId: string;
  hukouAuthorityId: string;
  issuingAuthorityId: string;
  scope: HandlingScope;
  residencePermitId: string | null;
  legalBasis: string;
  fee: { standardYuan: number; dueYuan: number; waiver: FeeWaiver | null; source: string };
  dueOn: string;
  state: ApplicationState;
  decisionReason: string | null;
  cardId: string | null;
  confirmedOn: string | null;
  deliveredOn: string | null;
  /** Past the issue deadline without delivery, or delivered after it. */
  overdue: boolean;
}

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

export interface CardView {
  id: string;
  kind: CardKind;
  idNumber: string;
  name: string;
  validFrom: string;
  /** Last valid day as printed; null = long-term (长期). */
  validUntil: string | null;
  /** On the day asked. */
  status: CardStatus;
  statusChangedOn: string;
  issuingAuthorityId: string;
  applicationId: string;
  deliveredOn: string | null;
}

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

export interface CardEventView {
  id: number;
  kind: CardEventKind;
  occurredOn: string;
  applicationId: string | null;
  cardId: string | null;
  acceptingAuthorityId: string;
  hukouAuthorityId: string;
  scope: HandlingScope;
  legalBasis: string;
  actorId: string;
}

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
