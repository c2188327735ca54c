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

/**
 * Hukou in the area: the person's current membership is in a household of the area; a person with
 * no current hukou (deceased, emigrated, cancelled, or in transit between provinces) stays with the
 * authority of their last one, which answers for their closed record (户口登记条例 Arts. 8, 10).
 */
const hukouInArea: PersonVisibilityRule = {
  name: 'hukou',
  clause: ({ personId, area }) => sql<SqlBool>`exists (
    select 1 from household vis_h
    where vis_h.id = (select vis_m.household_id from membership vis_m where vis_m.person_id = ${personId}
                      order by vis_m.until is not null, vis_m.id desc limit 1)
      and ${areaPredicate(area, sql.ref('vis_h.county_code'), sql.ref('vis_h.township_code'))})`,
};

/**
 * The rules beyond hukou are registered by the modules that own their tables, from their route
 * plugins through `ensurePersonVisibilityRule` (once per process, whatever the number of apps):
 * - `residence` (src/residence): a current residence registration in the area (居住证暂行条例 Art. 9);
 * - `id_card_application` (src/idcards): an open ID card application accepted by, or to be
 *   confirmed by, an authority of the area, and the stated purpose is that application;
 * - `transfer_destination` (src/registry): an open interprovincial transfer into a household of the
 *   area, and the stated purpose is that transfer.
 * Until a module registers its rule such persons are NOT visible, which errs on the side of privacy.
 */
const rules: PersonVisibilityRule[] = [hukouInArea];

export function registerPersonVisibilityRule(rule: PersonVisibilityRule): void {
  if (rules.some((r) => r.name === rule.name)) throw new Error(`person visibility rule "${rule.name}" is already registered`);
  rules.push(rule);
}

/** Registers `rule` unless a rule of that name exists (route plugins run once per app; tests build many apps). */
export function ensurePersonVisibilityRule(rule: PersonVisibilityRule): void {
  if (!rules.some((r) => r.name === rule.name)) rules.push(rule);
}

/**
 * Kysely condition: the person's current (else last) hukou is in the actor's area. Changes to a registration are
 * made by the authority of the hukou place (户口登记条例 Art. 3), so write services find their
 * persons through this, not through the wider `personVisibleTo`.
 */
export function personHukouIn(actor: Actor, personId: Expression<number>): Expression<SqlBool> {
  const j = jurisdictionOf(actor);
  if (j.kind !== 'area') return sql<SqlBool>`false`;
  if (j.area.kind === 'nation') return sql<SqlBool>`true`;
  return hukouInArea.clause({ personId, area: j.area, actor, purpose: null });
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
