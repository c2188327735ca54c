import type { Db } from '../platform/db/database.ts';

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
 * Where the citizen's trail finds what other modules recorded about them (the register's events,
 * card checks): those modules depend on this one, so they hand their readers in through
 * `app/compose.ts` instead of this module reading their tables.
 */
export interface TrailSources {
  /** Every ID number the person has held (an access-log entry may name a number, not a person). */
  idNumbersOf(db: Db, personId: number): Promise<string[]>;
  /** Further items about the person, each source newest first, at most `limit`. */
  items: ReadonlyArray<(db: Db, subject: { personId: number; idNumbers: string[] }, limit: number) => Promise<TrailItem[]>>;
}

let sources: TrailSources | null = null;

export function configureTrailSources(s: TrailSources): void {
  sources = s;
}

export function trailSources(): TrailSources {
  if (!sources) throw new Error('the access trail sources are not configured: call composeModules() (src/app/compose.ts) first');
  return sources;
}
