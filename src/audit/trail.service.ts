import type { ServiceContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { assertCan, describeActors } from '../access/index.ts';
import * as q from './audit.queries.ts';
import { trailSources, type TrailItem } from './trail-sources.ts';
import { actionWords, chinaLocal, fieldWords, roleWords } from './trail-words.ts';

export type { TrailItem };

/**
 * "Who looked at my data" (PIPL Art. 45: access to one's own information and how it is processed):
 * access-log entries that returned the citizen's data or asked for their ID numbers, checks of their
 * ID card, and every event that handled their data — registration events, ID card events (an
 * application accepted about them at any counter), residence events — newest first, in words:
 * the authority's name, the role, local time, the fields returned.
 */
export async function getMyAccessTrail(ctx: ServiceContext, opts: { limit: number }): Promise<{ items: TrailItem[] }> {
  assertCan(ctx.actor, 'self.read');
  const personId = ctx.actor.personId;
  if (personId === undefined) throw new AppError('ACCOUNT_NOT_LINKED', 'Your account is not linked to a person record yet; ask an administrator to link it.');
  const sources = trailSources();
  const idNumbers = await sources.idNumbersOf(ctx.db, personId);
  const [accesses, ...others] = await Promise.all([
    q.accessEntriesAbout(ctx.db, personId, idNumbers, opts.limit),
    ...sources.records.map((read) => read(ctx.db, { personId, idNumbers }, opts.limit)),
  ]);
  const records = others.flat();
  const actors = await describeActors(ctx.db, records.map((r) => r.actorId));
  const own = ctx.actor.id;
  const line = (
    kind: TrailItem['kind'],
    reference: string,
    at: Date,
    who: { actorId: string; role: string | null; authority: string | null },
    action: string,
    rest: Pick<TrailItem, 'purpose' | 'outcome' | 'legalBasis'> & { fields: string[] },
  ): TrailItem => ({
    kind,
    reference,
    ...chinaLocal(at),
    authority: who.authority,
    role: roleWords(who.role ?? (who.actorId === 'system' ? 'system' : who.actorId.startsWith('cli:') ? 'operator' : null)),
    byYou: who.actorId === own,
    action,
    actionWords: actionWords(action),
    purpose: rest.purpose,
    fields: fieldWords(rest.fields),
    outcome: rest.outcome,
    legalBasis: rest.legalBasis,
  });
  const items: TrailItem[] = [
    ...accesses.map((a) =>
      line('access', `access:${a.chain}:${a.seq}`, a.at, { actorId: a.actor_id, role: a.role, authority: a.authority_name }, a.action, {
        purpose: a.purpose,
        fields: a.fields,
        outcome: a.outcome,
        legalBasis: null,
      }),
    ),
    ...records.map((r) => {
      const actor = actors.get(r.actorId);
      // actors without an account (the local operator, the system) act for the Ministry
      const authority = r.authorityName ?? actor?.authorityName ?? '公安部 Ministry of Public Security';
      return line(r.kind, r.reference, r.at, { actorId: r.actorId, role: actor?.role ?? null, authority }, r.action, {
        purpose: r.purpose,
        fields: r.fields,
        outcome: r.outcome,
        legalBasis: r.legalBasis,
      });
    }),
  ];
  items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { items: items.slice(0, opts.limit) };
}
