import type { ServiceContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { assertCan } from '../access/index.ts';
import * as q from './audit.queries.ts';

/** One line of a citizen's trail: someone read their data, checked their card, or changed their registration. */
export interface TrailItem {
  kind: 'access' | 'card_check' | 'registration_event';
  /** `access:<chain>:<seq>`, `card-check:<id>` or `event:<id>`: quote it when asking about an entry. */
  reference: string;
  at: string;
  actorId: string;
  role: string | null;
  authorityId: string;
  authorityName: string | null;
  /** The access operation (`person.read`, `idcard.check` …) or the registration event kind (`move_in` …). */
  action: string;
  purpose: string | null;
  fields: string[];
  /** `returned`, a refusal code, or `recorded` for registration events. */
  outcome: string;
  legalBasis: string | null;
}

/**
 * "Who looked at my data" (PIPL Art. 45: access to one's own information and how it is processed):
 * access-log entries that returned the citizen's data or asked for their ID numbers, checks of
 * their ID card by departments and officers, and the registration events of their record, newest first.
 */
export async function getMyAccessTrail(ctx: ServiceContext, opts: { limit: number }): Promise<{ personId: number; items: TrailItem[] }> {
  assertCan(ctx.actor, 'self.read');
  const personId = ctx.actor.personId;
  if (personId === undefined) throw new AppError('ACCOUNT_NOT_LINKED', 'Your account is not linked to a person record yet; ask an administrator to link it.');
  const idNumbers = await q.idNumbersOf(ctx.db, personId);
  const [accesses, checks, events] = await Promise.all([
    q.accessEntriesAbout(ctx.db, personId, idNumbers, opts.limit),
    q.cardChecksOf(ctx.db, idNumbers, opts.limit),
    q.registrationEventsOf(ctx.db, personId, opts.limit),
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
    ...checks.map((c) => ({
      kind: 'card_check' as const,
      reference: `card-check:${c.id}`,
      at: c.checked_at.toISOString(),
      actorId: c.actor_id,
      role: c.role,
      // actors without an account (the local operator) act for the Ministry
      authorityId: c.authority_id ?? 'mps',
      authorityName: c.authority_name,
      action: 'idcard.check',
      purpose: null,
      fields: ['valid'],
      outcome: 'returned',
      legalBasis: null,
    })),
    ...events.map((e) => ({
      kind: 'registration_event' as const,
      reference: `event:${e.id}`,
      at: e.recorded_at.toISOString(),
      actorId: e.actor_id,
      role: null,
      authorityId: e.authority_id,
      authorityName: e.authority_name,
      action: e.kind,
      purpose: e.application_id ? `application:${e.application_id}` : null,
      fields: [],
      outcome: 'recorded',
      legalBasis: e.legal_basis,
    })),
  ];
  items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { personId, items: items.slice(0, opts.limit) };
}
