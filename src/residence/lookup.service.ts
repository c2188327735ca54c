import { authorityInJurisdiction, type Actor } from '../access/index.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { WorkItem } from '../platform/work-item.ts';
import { permitNotFound } from './permit.service.ts';
import { registrationNotFound } from './registration.service.ts';
import * as q from './residence.queries.ts';
import { permitView, registrationView, type PermitView, type RegistrationView } from './residence.views.ts';

/**
 * Who sees one registration or permit: the residence-place authorities that handle it (the accepting
 * station, the issuing bureau, and those above them) and the person it concerns. Anyone else gets
 * NOT_FOUND, as for an id nobody holds.
 */
function visibleTo(actor: Actor, row: { person_id: number; authority_id: string; issuing_authority_id?: string }): boolean {
  if (actor.role === 'citizen') return actor.personId === row.person_id;
  return authorityInJurisdiction(actor, row.authority_id) || (row.issuing_authority_id !== undefined && authorityInJurisdiction(actor, row.issuing_authority_id));
}

/** One residence registration (居住登记), with whose it is (for the access log). */
export async function readRegistration(ctx: ServiceContext, id: string): Promise<{ registration: RegistrationView; personId: number }> {
  const row = await q.findRegistration(ctx.db, id);
  if (!row || !visibleTo(ctx.actor, row)) throw registrationNotFound(id);
  return { registration: registrationView(row), personId: row.person_id };
}

/** One residence permit (居住证) on today's date, with whose it is (for the access log). */
export async function readPermit(ctx: ServiceContext, id: string): Promise<{ permit: PermitView; personId: number }> {
  const row = await q.findPermit(ctx.db, id);
  if (!row || !visibleTo(ctx.actor, row)) throw permitNotFound(id);
  return { permit: permitView(row, chinaDate(ctx.clock.now())), personId: row.person_id };
}

/** Permit applications waiting for a decision in the actor's area (the work queue). */
export async function pendingPermits(ctx: ServiceContext, limit: number): Promise<WorkItem[]> {
  const rows = await q.listPendingPermits(ctx.db, ctx.actor, limit);
  return rows.map((p) => ({
    kind: 'residence_permit' as const,
    id: p.id,
    step: 'issue',
    personId: p.person_id,
    idNumber: p.id_number,
    name: p.name,
    authorityId: p.authority_id,
    receivedOn: p.applied_on,
    dueOn: p.due_on,
    href: `/api/v1/residence-permits/${p.id}`,
  }));
}
