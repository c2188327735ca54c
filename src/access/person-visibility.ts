import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from './actor.ts';
import { areaPredicate, jurisdictionOf, type Area } from './jurisdiction.ts';
import type { Purpose } from './purpose.ts';

/**
 * One reason a person is visible to an officer whose authority answers for `area` (issue #4):
 * "their hukou or current residence is in the area, or an application assigned to that authority
 * concerns them (then only for that application's purpose)". `personId` is the SQL expression of
 * the person's id in the caller's query.
 */
export interface PersonVisibilityRule {
  name: string;
  clause(input: { personId: Expression<number>; area: Area; actor: Actor; purpose: Purpose | null }): Expression<SqlBool>;
}

/** Hukou in the area: the person's current membership is in a household of the area. */
const hukouInArea: PersonVisibilityRule = {
  name: 'hukou',
  clause: ({ personId, area }) => sql<SqlBool>`exists (
    select 1 from membership vis_m join household vis_h on vis_h.id = vis_m.household_id
    where vis_m.person_id = ${personId} and vis_m.until is null
      and ${areaPredicate(area, sql.ref('vis_h.county_code'), sql.ref('vis_h.township_code'))})`,
};

/**
 * EXTENSION POINT — the rules beyond hukou. Today only the hukou rule exists, because the tables
 * the other two need do not exist yet:
 * - `residence`: current residence registration in the area (residence module, 居住证暂行条例);
 * - `application`: an application assigned to the actor's authority concerns the person, and the
 *   stated purpose is that application (applications module).
 * Each of those modules calls `registerPersonVisibilityRule` once from its `index.ts` registration
 * function; until then such persons are NOT visible, which errs on the side of privacy.
 */
const rules: PersonVisibilityRule[] = [hukouInArea];

export function registerPersonVisibilityRule(rule: PersonVisibilityRule): void {
  if (rules.some((r) => r.name === rule.name)) throw new Error(`person visibility rule "${rule.name}" is already registered`);
  rules.push(rule);
}

export function personVisibilityRuleNames(): string[] {
  return rules.map((r) => r.name);
}

/**
 * Kysely condition: the person whose id is `personId` is visible to the actor. Use it in every
 * query that returns a person, so a person outside the jurisdiction is simply not found.
 *
 * @example
 * db.selectFrom('person').select(['person.id', 'person.name'])
 *   .where('person.id_number', '=', idNumber)
 *   .where(personVisibleTo(actor, sql.ref('person.id'), purpose))
 */
export function personVisibleTo(actor: Actor, personId: Expression<number>, purpose: Purpose | null = null): Expression<SqlBool> {
  const j = jurisdictionOf(actor);
  if (j.kind === 'none') return sql<SqlBool>`false`;
  if (j.kind === 'self') return j.personId === null ? sql<SqlBool>`false` : sql<SqlBool>`${personId} = ${j.personId}`;
  if (j.area.kind === 'nation') return sql<SqlBool>`true`;
  const area = j.area;
  const clauses = rules.map((r) => r.clause({ personId, area, actor, purpose }));
  return sql<SqlBool>`(${sql.join(clauses, sql` or `)})`;
}
