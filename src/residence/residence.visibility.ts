import { sql, type SqlBool } from 'kysely';
import { areaPredicate, type PersonVisibilityRule } from '../access/index.ts';

/**
 * Issue #4 §2, "their … current residence is in the area": a person with an open residence
 * registration (居住登记, 居住证暂行条例 Art. 9) at an authority of the officer's area is visible to
 * that officer, whatever the purpose — the residence-place police station serves its residents.
 */
export const residenceVisibilityRule: PersonVisibilityRule = {
  name: 'residence',
  clause: ({ personId, area }) => sql<SqlBool>`exists (
    select 1 from residence_registration vis_r join authority vis_ra on vis_ra.id = vis_r.authority_id
    where vis_r.person_id = ${personId} and vis_r.ended_on is null
      and ${areaPredicate(area, sql.ref('vis_ra.division_code'), sql.ref('vis_ra.township_code'))})`,
};

