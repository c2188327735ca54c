import { sql, type RawBuilder } from 'kysely';

/**
 * The register's current population as a subquery, for set-wise work of other modules (settlement
 * simulations over the whole register) that must not read the register's tables themselves:
 * `(person_id, id_number, birth_date, sex, county_code)` of every active person with a current hukou.
 */
export function currentHukouSubquery(): RawBuilder<unknown> {
  return sql`(select p.id as person_id, p.id_number, p.birth_date, p.sex, h.county_code
               from person p
               join membership m on m.person_id = p.id and m.until is null
               join household h on h.id = m.household_id
              where p.status = 'active')`;
}
