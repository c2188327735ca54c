import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { findPersonIdByIdNumber, lockPersonKeyShare } from '../registry/index.ts';

/**
 * Read-only lookups on reference data (published for reading by src/reference): where an authority
 * sits; and this module's locks. The register's persons are read through src/registry's index.
 */

export interface AuthorityChainRow {
  id: string;
  kind: 'ministry' | 'provincial_department' | 'prefecture_bureau' | 'county_bureau' | 'police_station';
  name: string;
  division_code: string | null;
  remote: boolean;
  depth: number;
}

/** The authority and its parents up to the Ministry (station → county → prefecture → province → MPS). */
export async function findAuthorityChain(db: Db, authorityId: string): Promise<AuthorityChainRow[]> {
  const { rows } = await sql<AuthorityChainRow>`
    with recursive chain as (
      select a.id, a.kind, a.name, a.parent_id, a.division_code, a.remote, 0 as depth from authority a where a.id = ${authorityId}
      union all
      select a.id, a.kind, a.name, a.parent_id, a.division_code, a.remote, c.depth + 1
      from authority a join chain c on a.id = c.parent_id
      where c.depth < 8
    )
    select id, kind, name, division_code, remote, depth from chain order by depth`.execute(db);
  return rows;
}

/**
 * Serialises the writes of one module on one person for the rest of the transaction (a
 * transaction-scoped advisory lock): no row of the register is locked, so the register's own
 * lock order is untouched.
 */
export async function lockPersonFor(db: Db, namespace: string, personId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${namespace}:${personId}`}, 0))`.execute(db);
}

/**
 * This module's lock on a person's residence records: their register row in key-share mode, then
 * the advisory lock. The register locks the person row (FOR UPDATE) before it ends overtaken
 * registrations under the advisory lock (endOvertakenRegistrations), so both take the two in the
 * same order and never deadlock; a residence write that waited here for a death or a hukou move
 * reads the person afresh after it. Key share blocks no other residence or card write.
 */
export async function lockResidenceOf(db: Db, personId: number): Promise<void> {
  await lockPersonKeyShare(db, personId);
  await lockPersonFor(db, 'residence', personId);
}

/**
 * lockResidenceOf for whoever holds (or held) `idNumber`, found by the key of person_id_number
 * alone; nothing when nobody does. The caller reads the person after it (findActivePerson), so it
 * sees what a register write it waited for committed.
 */
export async function lockResidenceOfNumber(db: Db, idNumber: string): Promise<void> {
  const held = await findPersonIdByIdNumber(db, idNumber);
  if (held !== null) await lockResidenceOf(db, held);
}
