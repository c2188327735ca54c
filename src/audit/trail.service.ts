import type { ServiceContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { assertCan } from '../access/index.ts';
import * as q from './audit.queries.ts';
import { trailSources, type TrailItem } from './trail-sources.ts';

export type { TrailItem };

/**
 * "Who looked at my data" (PIPL Art. 45: access to one's own information and how it is processed):
 * access-log entries that returned the citizen's data or asked for their ID numbers, checks of
 * their ID card by departments and officers, and the registration events of their record, newest first.
 */
export async function getMyAccessTrail(ctx: ServiceContext, opts: { limit: number }): Promise<{ personId: number; items: TrailItem[] }> {
  assertCan(ctx.actor, 'self.read');
  const personId = ctx.actor.personId;
  if (personId === undefined) throw new AppError('ACCOUNT_NOT_LINKED', 'Your account is not linked to a person record yet; ask an administrator to link it.');
  const sources = trailSources();
  const idNumbers = await sources.idNumbersOf(ctx.db, personId);
  const [accesses, ...others] = await Promise.all([
    q.accessEntriesAbout(ctx.db, personId, idNumbers, opts.limit),
    ...sources.items.map((read) => read(ctx.db, { personId, idNumbers }, opts.limit)),
  ]);
  const items: TrailItem[] = [
    ...accesses.map((a) => ({
      kind: 'access' as const,
      reference: `access:${a.chain}:${a.seq}`,
      at: a.at.toISOString(),
      actorId: a.actor_id,
      role: a.role,
      authorityId: a.authority_id,
      authorityName: a.authority_name,
      action: a.action,
      purpose: a.purpose,
      fields: a.fields,
      outcome: a.outcome,
      legalBasis: null,
    })),
    ...others.flat(),
  ];
  items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { personId, items: items.slice(0, opts.limit) };
}
