import { sql, type Expression, type ExpressionBuilder, type SqlBool, type StringReference } from 'kysely';
import { AppError } from '../platform/errors.ts';
import type { Actor } from './actor.ts';
import { isOfficer } from './roles.ts';

/**
 * The area an authority answers for (户口登记条例 Art. 3: the police station registers its township;
 * the county bureau its county; above them, the prefecture, the province, the Ministry):
 * read straight from the authority id, which `reference/authorities.ts` builds from division codes.
 */
export type Area =
  | { kind: 'nation' }
  | { kind: 'province'; countyPrefix: string }
  | { kind: 'prefecture'; countyPrefix: string }
  | { kind: 'county'; countyCode: string }
  | { kind: 'township'; countyCode: string; townshipCode: string };

/**
 * What an actor may see of the register:
 * - `area`: officers (their authority's area), the local operator and system jobs (the nation);
 * - `self`: a citizen, their own record only (null until the account is linked to a person);
 * - `none`: statisticians (aggregates only), administrators (accounts, never records), department
 *   clients (their purpose-bound grants arrive with the sharing issue).
 */
export type Jurisdiction = { kind: 'area'; area: Area } | { kind: 'self'; personId: number | null } | { kind: 'none' };

const AUTHORITY_ID = /^(?:(mps)|prov-(\d{2})0000|pref-(\d{4})00|county-(\d{6})|station-((\d{6})\d{3}))$/;

/** The area of an authority id (`mps`, `prov-110000`, `pref-110100`, `county-110105`, `station-110105001`), or null if malformed. */
export function authorityArea(authorityId: string): Area | null {
  const m = AUTHORITY_ID.exec(authorityId);
  if (!m) return null;
  if (m[1]) return { kind: 'nation' };
  if (m[2]) return { kind: 'province', countyPrefix: m[2] };
  if (m[3]) return { kind: 'prefecture', countyPrefix: m[3] };
  if (m[4]) return { kind: 'county', countyCode: m[4] };
  return { kind: 'township', countyCode: m[6]!, townshipCode: m[5]! };
}

export function jurisdictionOf(actor: Actor): Jurisdiction {
  if (actor.role === 'operator' || actor.role === 'system') return { kind: 'area', area: { kind: 'nation' } };
  if (actor.role === 'citizen') return { kind: 'self', personId: actor.personId ?? null };
  if (!isOfficer(actor.role)) return { kind: 'none' };
  const area = authorityArea(actor.authorityId);
  return area ? { kind: 'area', area } : { kind: 'none' };
}

/** A place on the register: a household's county and (when known) township. */
export interface Place {
  countyCode: string;
  townshipCode: string | null;
}

/** Whether a place lies in an area (the pure twin of `whereInJurisdiction`, for tests and services). */
export function areaContains(area: Area, place: Place): boolean {
  switch (area.kind) {
    case 'nation':
      return true;
    case 'province':
    case 'prefecture':
      return place.countyCode.startsWith(area.countyPrefix);
    case 'county':
      return place.countyCode === area.countyCode;
    case 'township':
      return place.townshipCode === area.townshipCode;
  }
}

/** Whether `inner` lies wholly inside `outer` (an administrator may manage accounts of authorities inside their own). */
export function areaWithin(inner: Area, outer: Area): boolean {
  switch (outer.kind) {
    case 'nation':
      return true;
    case 'province':
    case 'prefecture':
      return inner.kind !== 'nation' && (inner.kind === 'province' || inner.kind === 'prefecture' ? inner.countyPrefix : inner.countyCode).startsWith(outer.countyPrefix);
    case 'county':
      return (inner.kind === 'county' || inner.kind === 'township') && inner.countyCode === outer.countyCode;
    case 'township':
      return inner.kind === 'township' && inner.townshipCode === outer.townshipCode;
  }
}

/** SQL predicate: the place in columns (county, township) lies in the area. */
export function areaPredicate(area: Area, countyCol: Expression<string>, townshipCol: Expression<string | null>): Expression<SqlBool> {
  switch (area.kind) {
    case 'nation':
      return sql<SqlBool>`true`;
    case 'province':
    case 'prefecture':
      return sql<SqlBool>`left(${countyCol}, ${area.countyPrefix.length}) = ${area.countyPrefix}`;
    case 'county':
      return sql<SqlBool>`${countyCol} = ${area.countyCode}`;
    case 'township':
      return sql<SqlBool>`${townshipCol} = ${area.townshipCode}`;
  }
}

/**
 * Kysely condition for household-like rows: true when the row's place is in the actor's area.
 * Rows outside are simply not found (the caller answers NOT_FOUND, never FORBIDDEN). Citizens and
 * roles without jurisdiction get `false`: they reach their own data through `/me` routes only.
 *
 * @example
 * db.selectFrom('household').select(['id', 'household_number'])
 *   .where((eb) => whereInJurisdiction(eb, actor, { countyCol: 'household.county_code', townshipCol: 'household.township_code' }))
 */
export function whereInJurisdiction<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  actor: Actor,
  cols: { countyCol: StringReference<DB, TB>; townshipCol: StringReference<DB, TB> },
): Expression<SqlBool> {
  return placeInJurisdiction(actor, eb.ref(cols.countyCol) as Expression<string>, eb.ref(cols.townshipCol) as Expression<string | null>);
}

/**
 * The same condition for raw SQL: the place in (county, township) lies in the actor's area.
 *
 * @example
 * sql`select h.id from household h where h.household_number = ${n} and ${placeInJurisdiction(actor, sql.ref('h.county_code'), sql.ref('h.township_code'))}`
 */
export function placeInJurisdiction(actor: Actor, countyCol: Expression<string>, townshipCol: Expression<string | null>): Expression<SqlBool> {
  const j = jurisdictionOf(actor);
  if (j.kind !== 'area') return sql<SqlBool>`false`;
  return areaPredicate(j.area, countyCol, townshipCol);
}

/**
 * Whether an authority lies inside the actor's area (pure): an officer acts for their own authority
 * and those under it. The local operator and system jobs act for any; everyone else for none.
 */
export function authorityInJurisdiction(actor: Actor, authorityId: string): boolean {
  const j = jurisdictionOf(actor);
  if (j.kind !== 'area') return false;
  if (j.area.kind === 'nation') return true;
  const inner = authorityArea(authorityId);
  return inner !== null && areaWithin(inner, j.area);
}

/**
 * SQL twin of `authorityInJurisdiction` for a column holding an authority id: the authority's
 * division and township (`authority` table) lie in the actor's area. A station has its county as
 * division and its township; a bureau has its own division and no township.
 */
export function authorityInJurisdictionSql(actor: Actor, authorityId: Expression<string>): Expression<SqlBool> {
  const j = jurisdictionOf(actor);
  if (j.kind !== 'area') return sql<SqlBool>`false`;
  if (j.area.kind === 'nation') return sql<SqlBool>`true`;
  return sql<SqlBool>`exists (select 1 from authority jur_a where jur_a.id = ${authorityId}
    and ${areaPredicate(j.area, sql.ref('jur_a.division_code'), sql.ref('jur_a.township_code'))})`;
}

/**
 * An officer accepts applications only at their own authority or one under it (the counter they
 * sit at): naming another authority is FORBIDDEN. The record is not at stake here, only who acts.
 */
export function assertActsFor(actor: Actor, authorityId: string, field: string): void {
  if (authorityInJurisdiction(actor, authorityId)) return;
  throw new AppError('FORBIDDEN', `You act for ${actor.authorityId}; ${authorityId} is not your authority nor under it. Name your own authority in ${field}.`, {
    details: [{ field, code: 'NOT_YOUR_AUTHORITY', message: `must be ${actor.authorityId} or an authority inside its area` }],
  });
}
