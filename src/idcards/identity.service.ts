import type { Purpose } from '../access/index.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { findVisiblePerson, residenceRecordOfPerson, type ResidenceRecord } from '../residence/index.ts';
import * as q from './idcards.queries.ts';
import { renewalOpensOn } from './rules.ts';
import type { CardStatus } from './idcards.tables.ts';
import { applicationView, cardEventView, cardView, type ApplicationView, type CardEventView, type CardView } from './idcards.views.ts';

/**
 * One identity (居民身份证与居住证功能衔接): the person's ID card status and history, their residence
 * registrations, permit and endorsements, joined on the ID number. Officers read it now; the
 * citizen's own view will serve the same shape.
 */
export interface IdentityView {
  asOf: string;
  person: { idNumber: string; name: string; birthDate: string; status: string; hukouAuthorityId: string | null };
  idCard: {
    /** Status of the current card, or `none` when no card was ever issued. */
    status: CardStatus | 'none';
    /** The valid card, else the most recent one. */
    current: CardView | null;
    /** When the valid resident card may be renewed (the renewal window's first day); null otherwise. */
    renewalOpensOn: string | null;
    cards: CardView[];
    applications: ApplicationView[];
    /** Every card event, newest first, with accepting and hukou-place authorities and scope. */
    events: CardEventView[];
  };
  residence: ResidenceRecord;
}

export async function getIdentity(ctx: ServiceContext, idNumber: string, purpose: Purpose | null = null): Promise<IdentityView> {
  return (await readIdentity(ctx, idNumber, purpose)).identity;
}

/**
 * The identity view and whose record it is (the internal person id, for the access log). Only a
 * person the actor may see for `purpose` (hukou or residence in their area, the application they
 * name, or a citizen's own record); anyone else is PERSON_NOT_FOUND.
 */
export async function readIdentity(ctx: ServiceContext, idNumber: string, purpose: Purpose | null = null): Promise<{ personId: number; identity: IdentityView }> {
  const today = chinaDate(ctx.clock.now());
  const person = await findVisiblePerson(ctx.db, idNumber, ctx.actor, purpose);
  const holder = { status: person.status, idNumber: person.idNumber };
  const [cards, applications, events, residence] = await Promise.all([
    q.listCards(ctx.db, person.id),
    q.listApplications(ctx.db, person.id),
    q.listCardEvents(ctx.db, person.id),
    residenceRecordOfPerson(ctx.db, person.id, today),
  ]);
  const cardViews = cards.map((c) => cardView(c, holder, today));
  const current = cardViews.find((c) => c.status === 'valid') ?? cardViews[0] ?? null;
  const identity: IdentityView = {
    asOf: today,
    person: { idNumber: person.idNumber, name: person.name, birthDate: person.birthDate, status: person.status, hukouAuthorityId: person.hukouAuthorityId },
    idCard: {
      status: current?.status ?? 'none',
      current,
      renewalOpensOn: current?.kind === 'resident' && current.status === 'valid' ? renewalOpensOn(current.validUntil, today) : null,
      cards: cardViews,
      applications: applications.map((a) => applicationView(a, today)),
      events: events.map(cardEventView),
    },
    residence,
  };
  return { personId: person.id, identity };
}
