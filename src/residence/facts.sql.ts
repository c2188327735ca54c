import { sql, type RawBuilder } from 'kysely';

/**
 * Residence facts of everyone living in a city on a date, as a subquery for set-wise work of other
 * modules (settlement simulations): `(person_id, district_code, registered_on, permit_valid,
 * permit_years)`. The set-wise reading of residenceFactsOfPerson: a permit is valid while issued and
 * its endorsement not overdue (Art. 10); years count from residence_counted_from, frozen at a lapse.
 */
export function cityResidentsSubquery(cityCode: string, asOf: string): RawBuilder<unknown> {
  return sql`(select r.person_id, a.division_code as district_code, r.registered_on,
                     coalesce(pm.endorsement_due_on is null or pm.endorsement_due_on > ${asOf}::date, false) and pm.id is not null as permit_valid,
                     coalesce(extract(year from age(least(${asOf}::date, coalesce(pm.endorsement_due_on, ${asOf}::date)), pm.residence_counted_from))::int, 0) as permit_years
                from residence_registration r
                join authority a on a.id = r.authority_id
                left join residence_permit pm on pm.registration_id = r.id and pm.status = 'issued'
               where r.ended_on is null and r.city_code = ${cityCode} and r.registered_on <= ${asOf}::date)`;
}
