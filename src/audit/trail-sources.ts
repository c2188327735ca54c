import type { Db } from '../platform/db/database.ts';
import type { Words } from './trail-words.ts';

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
 * What another module recorded about the citizen, before it is put in words: the module that owns
 * the events (register, ID cards, residence) reads them; the trail adds role, words and local time.
 */
export interface TrailRecord {
  kind: TrailItem['kind'];
  reference: string;
  at: Date;
  actorId: string;
  /** The authority named by the record itself, if any (else the acting account's authority is shown). */
  authorityName: string | null;
  action: string;
  purpose: string | null;
  fields: string[];
  outcome: string;
  legalBasis: string | null;
}

/**
 * Where the citizen's trail finds what other modules recorded about them (the register's events,
 * card checks and events, residence events): those modules depend on this one, so they hand their
 * readers in through `app/compose.ts` instead of this module reading their tables.
 */
export interface TrailSources {
  /** Every ID number the person has held (an access-log entry may name a number, not a person). */
  idNumbersOf(db: Db, personId: number): Promise<string[]>;
  /** Further records about the person, each source newest first, at most `limit`. */
  records: ReadonlyArray<(db: Db, subject: { personId: number; idNumbers: string[] }, limit: number) => Promise<TrailRecord[]>>;
}

let sources: TrailSources | null = null;

export function configureTrailSources(s: TrailSources): void {
  sources = s;
}

export function trailSources(): TrailSources {
  if (!sources) throw new Error('the access trail sources are not configured: call composeModules() (src/app/compose.ts) first');
  return sources;
}
