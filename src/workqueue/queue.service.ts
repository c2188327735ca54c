import { assertActsFor, assertCan, maskIdNumber, maskName } from '../access/index.ts';
import { pendingCardApplications } from '../idcards/index.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { WorkItem } from '../platform/work-item.ts';
import { pendingTransfers } from '../registry/index.ts';
import { pendingPermits } from '../residence/index.ts';

export type WorkKind = WorkItem['kind'];

/** Each module's public list of pending work, by kind. Residence registrations are done at the counter on the spot: they never wait. */
const SOURCES: Record<WorkKind, (ctx: ServiceContext, limit: number) => Promise<WorkItem[]>> = {
  id_card_application: pendingCardApplications,
  transfer: pendingTransfers,
  residence_permit: pendingPermits,
};

export interface QueueItem extends Omit<WorkItem, 'personId' | 'idNumber' | 'name'> {
  person: { maskedIdNumber: string; maskedName: string };
  overdue: boolean;
}

/**
 * The work queue of one authority (default: the officer's own; another only inside their area):
 * every application, transfer and permit waiting for a step there, overdue first, then by due date
 * and age. Names and ID numbers are masked; each item opens by its own GET (`href`) with the item as purpose.
 */
export async function workQueue(
  ctx: ServiceContext,
  input: { authorityId?: string | undefined; kinds?: WorkKind[] | undefined; limit: number },
): Promise<{ authorityId: string; asOf: string; items: QueueItem[]; personIds: number[] }> {
  assertCan(ctx.actor, 'queue.read');
  const authorityId = input.authorityId ?? ctx.actor.authorityId;
  assertActsFor(ctx.actor, authorityId, 'authorityId');
  const scoped: ServiceContext = { ...ctx, actor: { ...ctx.actor, authorityId } };
  const today = chinaDate(ctx.clock.now());
  const kinds = input.kinds?.length ? input.kinds : (Object.keys(SOURCES) as WorkKind[]);
  const lists = await Promise.all(kinds.map((k) => SOURCES[k](scoped, input.limit)));
  const all = lists.flat().sort((a, b) => {
    const overdue = Number(b.dueOn < today) - Number(a.dueOn < today);
    return overdue || a.dueOn.localeCompare(b.dueOn) || a.receivedOn.localeCompare(b.receivedOn) || a.id.localeCompare(b.id);
  });
  const page = all.slice(0, input.limit);
  return {
    authorityId,
    asOf: today,
    items: page.map(({ personId: _p, idNumber, name, ...item }) => ({ ...item, person: { maskedIdNumber: maskIdNumber(idNumber), maskedName: maskName(name) }, overdue: item.dueOn < today })),
    personIds: page.map((i) => i.personId),
  };
}
