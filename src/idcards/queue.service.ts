import type { ServiceContext } from '../platform/context.ts';
import type { WorkItem } from '../platform/work-item.ts';
import * as q from './idcards.queries.ts';

/** ID card applications waiting for the actor's authority: to confirm (hukou place) or deliver (accepting counter). */
export async function pendingCardApplications(ctx: ServiceContext, limit: number): Promise<WorkItem[]> {
  const rows = await q.listPendingApplications(ctx.db, ctx.actor, limit);
  return rows.map((a) => ({
    kind: 'id_card_application' as const,
    id: a.id,
    step: a.state === 'accepted' ? 'confirm' : 'deliver',
    personId: a.person_id,
    idNumber: a.id_number,
    name: a.name,
    authorityId: a.state === 'accepted' ? a.hukou_authority_id : a.accepting_authority_id,
    receivedOn: a.applied_on,
    dueOn: a.due_on,
    href: `/api/v1/id-card-applications/${a.id}`,
  }));
}
