import { addDays, birthdayOf, daysBetween, maxDate } from '../platform/calendar.ts';
import { IDCARD_LEGAL_BASIS } from './idcards.law.ts';
import { cardValidUntil, feeFor, issueDueOn, residentCardValidity, temporaryCardValidity } from './rules.ts';
import type { ApplicationKind, ApplicationReason, CardKind, CardStatus } from './idcards.tables.ts';

/**
 * The ID-card history of a synthetic population (`hukou seed`, the demo): the bulk seed of the
 * register hands its people here, and this module writes its own tables. Every resident aged 16 or
 * more holds a second-generation card (introduced 2004, so older people got their first one between
 * 2004 and 2013), renewed at each expiry with the validity of their age on the renewal day
 * (居民身份证法 Art. 5: 10, 20 years, long-term from 46); a few lost a card and had it reissued
 * (Art. 11), a few held a temporary card once (Art. 12, 3 months). Rows are COPY text lines.
 */

/** A person of the bulk seed who may hold cards. */
export interface CardSeedPerson {
  personId: number;
  idNumber: string;
  name: string;
  birthDate: string;
  /** Police station (or county bureau) of the hukou: where the cards were applied for. */
  hukouAuthorityId: string;
  /** County of the hukou: its bureau issues the cards (Art. 8). */
  countyCode: string;
}

/** What the bulk session offers: COPY of text lines into a table (src/registry/bulk). */
export interface BulkCopier {
  copy(table: string, columns: readonly string[], lines: string[]): Promise<void>;
}

export interface CardSeedOptions {
  asOf: string;
  actorId: string;
  /** Deterministic ids (the seed's generator). */
  uuid: () => string;
  /** Deterministic uniform [0, 1). */
  random: () => number;
}

export const CARD_SEED_COLUMNS = {
  id_card_application: [
    'id', 'person_id', 'kind', 'reason', 'applied_on', 'id_number', 'name', 'age_on_application', 'late', 'validity_months', 'previous_card_id',
    'accepting_authority_id', 'hukou_authority_id', 'issuing_authority_id', 'scope', 'legal_basis', 'fee_standard_yuan', 'fee_due_yuan', 'fee_source',
    'due_on', 'state', 'card_id', 'accepted_by', 'confirmed_on', 'confirmed_by', 'delivered_on', 'delivered_by',
  ],
  id_card: ['id', 'person_id', 'kind', 'id_number', 'name', 'valid_from', 'valid_until', 'status', 'status_changed_on', 'issuing_authority_id', 'application_id', 'delivered_on'],
  id_card_event: ['person_id', 'application_id', 'card_id', 'kind', 'occurred_on', 'actor_id', 'accepting_authority_id', 'hukou_authority_id', 'scope', 'legal_basis', 'data'],
} as const;

/** Second-generation cards from 2004 (居民身份证法 in force 2004-01-01); the switch-over ran to 2013. */
const FIRST_SECOND_GENERATION_DAY = '2004-01-15';
const SWITCH_OVER_DAYS = 3650;
/** Shares of the population with a lost-and-reissued card and with a temporary card in their history. */
const LOSS_SHARE = 0.03;
const TEMPORARY_SHARE = 0.01;

interface CardDraft {
  id: string;
  applicationId: string;
  kind: CardKind;
  applicationKind: ApplicationKind;
  reason: ApplicationReason | null;
  validFrom: string;
  validUntil: string | null;
  months: number | null;
  age: number;
  status: CardStatus;
  statusChangedOn: string;
  previous: string | null;
}

/** The cards one person held up to `asOf`, oldest first; the last resident card is current unless lost and not yet reissued. */
export function cardHistoryOf(p: CardSeedPerson, o: CardSeedOptions): CardDraft[] {
  const sixteen = birthdayOf(p.birthDate, 16);
  const first = sixteen >= FIRST_SECOND_GENERATION_DAY ? addDays(sixteen, 20 + Math.floor(o.random() * 70)) : addDays(FIRST_SECOND_GENERATION_DAY, Math.floor(o.random() * SWITCH_OVER_DAYS));
  if (first > o.asOf) return [];
  const cards: CardDraft[] = [];
  const lossDay = o.random() < LOSS_SHARE ? addDays(first, Math.floor(o.random() * Math.max(1, daysBetween(first, o.asOf)))) : null;
  let lost = false;
  let day = first;
  let kind: ApplicationKind = 'first';
  let reason: ApplicationReason | null = null;
  for (;;) {
    const v = residentCardValidity(p.birthDate, day);
    const until = cardValidUntil(day, v.months);
    const card: CardDraft = {
      id: o.uuid(), applicationId: o.uuid(), kind: 'resident', applicationKind: kind, reason, validFrom: day, validUntil: until, months: v.months, age: v.age,
      status: 'valid', statusChangedOn: day, previous: cards.at(-1)?.id ?? null,
    };
    const prev = cards.at(-1);
    if (prev) {
      prev.status = prev.status === 'reported_lost' ? 'reported_lost' : 'superseded';
      if (prev.status === 'superseded') prev.statusChangedOn = day;
    }
    cards.push(card);
    // Art. 11: a lost card is reported (invalid at once) and reissued (补领) about two weeks later
    if (lossDay && !lost && lossDay >= day && (until === null || lossDay < until)) {
      lost = true;
      card.status = 'reported_lost';
      card.statusChangedOn = lossDay;
      const reissue = addDays(lossDay, 15);
      if (reissue > o.asOf) break;
      day = reissue;
      kind = 'reissue';
      reason = 'loss';
      continue;
    }
    if (until === null || until > o.asOf) break;
    // renewed (换领) in the three months before expiry; the new card's validity counts from its issue
    day = maxDate(addDays(until, -Math.floor(o.random() * 80) - 1), addDays(day, 1));
    kind = 'renewal';
    reason = 'expiry';
  }
  // Art. 12 para. 2: a temporary card once, while a card was being made (expired long since)
  if (o.random() < TEMPORARY_SHARE) {
    const at = addDays(first, Math.floor(o.random() * Math.max(1, daysBetween(first, o.asOf) - 120)));
    const v = temporaryCardValidity(p.birthDate, at);
    const until = cardValidUntil(at, v.months)!;
    if (until < o.asOf) {
      cards.push({ id: o.uuid(), applicationId: o.uuid(), kind: 'temporary', applicationKind: 'temporary', reason: null, validFrom: at, validUntil: until, months: v.months, age: v.age, status: 'expired', statusChangedOn: addDays(until, 1), previous: null });
    }
  }
  return cards;
}

const nul = (v: string | number | null): string => (v === null ? '\\N' : String(v));

/** COPY lines of the applications, cards and one issue event per card of `people`. */
export function cardSeedLines(people: readonly CardSeedPerson[], o: CardSeedOptions): Record<keyof typeof CARD_SEED_COLUMNS, string[]> & { cards: number } {
  const out = { id_card_application: [] as string[], id_card: [] as string[], id_card_event: [] as string[], cards: 0 };
  for (const p of people) {
    const issuing = `county-${p.countyCode}`;
    for (const c of cardHistoryOf(p, o)) {
      const applied = addDays(c.validFrom, -10);
      const fee = feeFor(c.applicationKind, c.reason, null, applied);
      if (!fee.ok) continue;
      const delivered = addDays(c.validFrom, 10) <= o.asOf ? addDays(c.validFrom, 10) : null;
      const basis = c.applicationKind === 'first' ? IDCARD_LEGAL_BASIS.first : c.applicationKind === 'temporary' ? IDCARD_LEGAL_BASIS.temporary : IDCARD_LEGAL_BASIS.renewalOrReissue;
      out.id_card_application.push(
        [
          c.applicationId, p.personId, c.applicationKind, nul(c.reason), applied, p.idNumber, p.name, c.age, 'f', nul(c.months), nul(c.previous),
          p.hukouAuthorityId, p.hukouAuthorityId, issuing, 'local', basis, fee.standardYuan, fee.dueYuan, fee.source,
          issueDueOn(c.applicationKind, applied, false), delivered ? 'delivered' : 'confirmed', c.id, o.actorId, c.validFrom, o.actorId, nul(delivered), delivered ? o.actorId : '\\N',
        ].join('\t') + '\n',
      );
      out.id_card.push([c.id, p.personId, c.kind, p.idNumber, p.name, c.validFrom, nul(c.validUntil), c.status, c.statusChangedOn, issuing, c.applicationId, nul(delivered)].join('\t') + '\n');
      out.id_card_event.push([p.personId, c.applicationId, c.id, 'card_issued', c.validFrom, o.actorId, p.hukouAuthorityId, p.hukouAuthorityId, 'local', IDCARD_LEGAL_BASIS.issue, '{"seeded":true}'].join('\t') + '\n');
      out.cards++;
    }
  }
  return out;
}

/**
 * Writes the card histories of `people` through the bulk session's COPY (the caller holds the
 * table locks and re-checks the foreign keys before commit). Cards first is impossible (each names
 * its application) and so is applications first (each names its card): both FKs are checked set-wise
 * by the session, so the order here is applications, cards, events.
 */
export async function copySeededCards(copier: BulkCopier, people: readonly CardSeedPerson[], o: CardSeedOptions): Promise<{ cards: number }> {
  const lines = cardSeedLines(people, o);
  for (const table of ['id_card_application', 'id_card', 'id_card_event'] as const) {
    if (lines[table].length) await copier.copy(table, CARD_SEED_COLUMNS[table], lines[table]);
  }
  return { cards: lines.cards };
}

/** Tables the card seed writes (the bulk session locks them and drops/rebuilds their indexes when empty). */
export const CARD_SEED_TABLES = Object.keys(CARD_SEED_COLUMNS) as (keyof typeof CARD_SEED_COLUMNS)[];
