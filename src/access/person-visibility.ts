import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from './actor.ts';
import { jurisdictionOf, type Area } from './jurisdiction.ts';
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
 * Each rule belongs to the module that owns its tables, which exports it; the composition root
 * (`app/compose.ts`) hands the whole list to `configurePersonVisibility` before any request is served:
 * - `hukou` (src/registry): the person's current (else last) hukou is in the area;
 * - `residence` (src/residence): a current residence registration in the area (居住证暂行条例 Art. 9);
 * - `id_card_application` (src/idcards): an open ID card application accepted by, or to be
 *   confirmed by, an authority of the area, and the stated purpose is that application;
 * - `transfer_destination` (src/registry): an open interprovincial transfer into a household of the
 *   area, and the stated purpose is that transfer.
 * Until the rules are configured such persons are NOT visible, which errs on the side of privacy.
 */
let rules: readonly PersonVisibilityRule[] = [];

/**
 * Sets the rules for the whole process (the same list every time: `buildApp` and the CLI call this
 * through `app/compose.ts`). Names must be unique.
 */
export function configurePersonVisibility(all: readonly PersonVisibilityRule[]): void {
  const names = all.map((r) => r.name);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated) throw new Error(`person visibility rule "${repeated}" is given twice`);
  rules = all;
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
  if (clauses.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(clauses, sql` or `)})`;
}
