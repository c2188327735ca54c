import { sql, type SqlBool } from 'kysely';
import { areaPredicate, type PersonVisibilityRule } from '../access/index.ts';
import { OPEN_TRANSFER_STATES } from './transfer.queries.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Issue #4 §2, "an application assigned to that authority concerns them (then only for that
 * application's purpose)", for interprovincial transfers: the destination authority handles the
 * application (迁入地一站式办理) for a person whose hukou is still elsewhere. While the transfer is
 * open and the officer states `application:<transfer id>`, the person is visible to the authorities
 * whose area holds the destination household.
 */
export const transferVisibilityRule: PersonVisibilityRule = {
  name: 'transfer_destination',
  clause: ({ personId, area, purpose }) => {
    if (purpose?.kind !== 'application' || !UUID.test(purpose.ref)) return sql<SqlBool>`false`;
    return sql<SqlBool>`exists (
      select 1 from transfer vis_t join household vis_d on vis_d.id = vis_t.destination_household_id
      where vis_t.id = ${purpose.ref}::uuid and vis_t.person_id = ${personId}
        and vis_t.state in (${sql.join(OPEN_TRANSFER_STATES.map((s) => sql.lit(s)))})
        and ${areaPredicate(area, sql.ref('vis_d.county_code'), sql.ref('vis_d.township_code'))})`;
  },
};

