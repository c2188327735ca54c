import type { Static } from 'typebox';
import type { ApplicationDetailSchema, ApplicationSchema } from './applications.schemas.ts';
import type { ApplicationRow } from './applications.queries.ts';
import type { ApplicationState } from './applications.tables.ts';

const OPEN_FOR_DEADLINE: readonly ApplicationState[] = ['submitted', 'accepted', 'in_review', 'returned'];

/** The API shape of an application (from its schema). */
export type ApplicationView = Static<typeof ApplicationSchema>;

export function isOverdue(row: { state: ApplicationState; deadline: string | null }, today: string): boolean {
  return row.deadline !== null && OPEN_FOR_DEADLINE.includes(row.state) && row.deadline < today;
}

export function applicationView(row: ApplicationRow, today: string, flowState: string | null = null): ApplicationView {
  return {
    trackingNumber: row.tracking_number,
    serviceCode: row.service_code,
    catalogVersion: row.catalog_version,
    flow: row.flow,
    flowRef: row.flow_ref,
    state: row.state,
    flowState,
    subjectIdNumber: row.subject_id_number,
    channel: row.channel,
    acceptingAuthorityId: row.accepting_authority_id,
    competentAuthorityId: row.competent_authority_id,
    scope: row.scope,
    deadlineWorkingDays: row.deadline_working_days,
    deadline: row.deadline,
    deadlineProvisional: row.deadline_provisional,
    overdue: isOverdue(row, today),
    missingMaterials: row.missing_materials,
    decisionReason: row.decision_reason,
    outcome: row.outcome,
    facts: row.facts,
    version: row.version,
    submittedAt: row.submitted_at ? new Date(row.submitted_at).toISOString() : null,
    decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export type ApplicationEventView = Static<typeof ApplicationDetailSchema>['events'][number];
