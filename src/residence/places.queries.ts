import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../platform/db/database.ts';

/**
 * Read-only lookups on the register and reference tables (owned by src/registry and
 * src/reference): the person an ID number belongs to with their current hukou authority, and
 * where an authority sits. Columns are listed; nothing here writes.
 */

/** A person with the police station of their current hukou (null while in transit or without one). */
function personWithHukou(db: Db) {
  return db
    .selectFrom('person as p')
    .leftJoin('membership as m', (j) => j.onRef('m.person_id', '=', 'p.id').on('m.until', 'is', null))
    .leftJoin('household as h', 'h.id', 'm.household_id')
    .select(['p.id', 'p.id_number', 'p.name', 'p.birth_date', 'p.status', 'p.death_date', 'h.authority_id as hukou_authority_id']);
}

/**
 * The person who holds (or held) `idNumber`, with the police station of their current hukou (null
 * while in transit); with `visible`, only when that condition on the person's id holds (the
 * caller's `personVisibleTo`).
 */
export function findPersonWithHukou(db: Db, idNumber: string, visible?: (personId: Expression<number>) => Expression<SqlBool>) {
  let q = personWithHukou(db)
    .where((eb) =>
      eb.or([
        eb('p.id_number', '=', idNumber),
        eb('p.id', 'in', eb.selectFrom('person_id_number as n').select('n.person_id').where('n.id_number', '=', idNumber)),
      ]),
    )
    .orderBy(sql`p.id_number = ${idNumber}`, 'desc');
  if (visible) q = q.where(visible(sql.ref('p.id')));
  return q.executeTakeFirst();
}

export type PersonWithHukouRow = NonNullable<Awaited<ReturnType<typeof findPersonWithHukou>>>;

/** The same by internal id (the register hands ids to endOvertakenRegistrations). */
export function findPersonWithHukouById(db: Db, personId: number) {
  return personWithHukou(db).where('p.id', '=', personId).executeTakeFirst();
}

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
  await db.selectFrom('person').select('id').where('id', '=', personId).forKeyShare().execute();
  await lockPersonFor(db, 'residence', personId);
}

/**
 * lockResidenceOf for whoever holds (or held) `idNumber`, found by the key of person_id_number
 * alone; nothing when nobody does. The caller reads the person after it (findActivePerson), so it
 * sees what a register write it waited for committed.
 */
export async function lockResidenceOfNumber(db: Db, idNumber: string): Promise<void> {
  const held = await db.selectFrom('person_id_number').select('person_id').where('id_number', '=', idNumber).executeTakeFirst();
  if (held) await lockResidenceOf(db, held.person_id);
}
