import { sql, type Expression, type SqlBool } from 'kysely';
import { areaPredicate, jurisdictionOf, type Actor, type PersonVisibilityRule } from '../access/index.ts';

/**
 * Hukou in the area: the person's current membership is in a household of the area; a person with
 * no current hukou (deceased, emigrated, cancelled, or in transit between provinces) stays with the
 * authority of their last one, which answers for their closed record (户口登记条例 Arts. 8, 10).
 */
export const hukouVisibilityRule: PersonVisibilityRule = {
  name: 'hukou',
  clause: ({ personId, area }) => sql<SqlBool>`exists (
    select 1 from household vis_h
    where vis_h.id = (select vis_m.household_id from membership vis_m where vis_m.person_id = ${personId}
                      order by vis_m.until is not null, vis_m.id desc limit 1)
      and ${areaPredicate(area, sql.ref('vis_h.county_code'), sql.ref('vis_h.township_code'))})`,
};

/**
 * Kysely condition: the person's current (else last) hukou is in the actor's area. Changes to a registration are
 * made by the authority of the hukou place (户口登记条例 Art. 3), so write services find their
 * persons through this, not through the wider `personVisibleTo`.
 */
export function personHukouIn(actor: Actor, personId: Expression<number>): Expression<SqlBool> {
  const j = jurisdictionOf(actor);
  if (j.kind !== 'area') return sql<SqlBool>`false`;
  if (j.area.kind === 'nation') return sql<SqlBool>`true`;
  return hukouVisibilityRule.clause({ personId, area: j.area, actor, purpose: null });
}
