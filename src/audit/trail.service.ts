import type { ServiceContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { assertCan } from '../access/index.ts';
import * as q from './audit.queries.ts';
import { actionWords, chinaLocal, fieldWords, roleWords, type Words } from './trail-words.ts';

/** One line of a citizen's trail: someone read their data, checked their card, or handled a record of theirs. */
export interface TrailItem {
  kind: 'access' | 'card_check' | 'registration_event' | 'id_card_event' | 'residence_event';
  /** `access:<chain>:<seq>`, `card-check:<id>`, `event:<id>`, `card-event:<id>`, `residence-event:<id>`: quote it when asking about an entry. */
  reference: string;
  /** China local time (Asia/Shanghai, +08:00), and its date and time. */
  at: string;
  date: string;
  time: string;
  /** The authority that acted, by name. */
  authority: string | null;
  /** The role of whoever acted, in words (null when not known). */
  role: Words | null;
  /** True for the citizen's own reads (kept, but marked as theirs). */
  byYou: boolean;
  action: string;
  actionWords: Words;
  purpose: string | null;
  fields: (Words & { field: string })[];
  /** `returned`, a refusal code, or `recorded` for events. */
  outcome: string;
  legalBasis: string | null;
}

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
  const idNumbers = await q.idNumbersOf(ctx.db, personId);
  const [accesses, checks, events, cardEvents, residenceEvents] = await Promise.all([
    q.accessEntriesAbout(ctx.db, personId, idNumbers, opts.limit),
    q.cardChecksOf(ctx.db, idNumbers, opts.limit),
    q.registrationEventsOf(ctx.db, personId, opts.limit),
    q.cardEventsOf(ctx.db, personId, opts.limit),
    q.residenceEventsOf(ctx.db, personId, opts.limit),
  ]);
  const eventRoles = new Map((await q.registrationEventRolesOf(ctx.db, events.map((e) => e.id))).map((r) => [r.id, r.role]));
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
    ...checks.map((c) =>
      // actors without an account (the local operator) act for the Ministry
      line('card_check', `card-check:${c.id}`, c.checked_at, { actorId: c.actor_id, role: c.role, authority: c.authority_name ?? '公安部 Ministry of Public Security' }, 'idcard.check', {
        purpose: null,
        fields: ['valid'],
        outcome: 'returned',
        legalBasis: null,
      }),
    ),
    ...events.map((e) =>
      line('registration_event', `event:${e.id}`, e.recorded_at, { actorId: e.actor_id, role: eventRoles.get(e.id) ?? null, authority: e.authority_name }, e.kind, {
        purpose: e.application_id ? `application:${e.application_id}` : null,
        fields: [],
        outcome: 'recorded',
        legalBasis: e.legal_basis,
      }),
    ),
    ...cardEvents.map((e) =>
      line('id_card_event', `card-event:${e.id}`, e.recorded_at, { actorId: e.actor_id, role: e.role, authority: e.authority_name }, e.kind, {
        purpose: e.application_id ? `application:${e.application_id}` : null,
        fields: e.kind === 'application_accepted' ? ['idNumber', 'name', 'birthDate', 'address'] : [],
        outcome: 'recorded',
        legalBasis: e.legal_basis,
      }),
    ),
    ...residenceEvents.map((e) =>
      line('residence_event', `residence-event:${e.id}`, e.recorded_at, { actorId: e.actor_id, role: e.role, authority: e.authority_name }, e.kind, {
        purpose: e.permit_id ? `application:${e.permit_id}` : e.registration_id ? `application:${e.registration_id}` : null,
        fields: e.kind === 'registered' || e.kind === 'permit_applied' ? ['idNumber', 'name', 'address'] : [],
        outcome: 'recorded',
        legalBasis: e.legal_basis,
      }),
    ),
  ];
  items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { items: items.slice(0, opts.limit) };
}
