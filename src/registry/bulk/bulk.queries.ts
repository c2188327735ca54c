import { sql } from 'kysely';
import type pg from 'pg';
import type { Db } from '../../platform/db/database.ts';

/**
 * County-level divisions in force that may be an address code and have a county bureau, with their
 * city (`hukou_city_of`, migration 0016: a municipality is one city; else the prefecture whose
 * bureau is above the county's, else the county itself — the rule of src/residence/places.ts).
 */
export function listAddressableCounties(db: Db) {
  return db
    .selectFrom('division as d')
    .innerJoin('authority as a', 'a.division_code', 'd.code')
    .leftJoin('authority as p', (j) => j.onRef('p.id', '=', 'a.parent_id').on('p.kind', '=', 'prefecture_bureau'))
    .select(['d.code', 'a.id as authority_id', sql<string>`hukou_city_of(d.code, p.division_code)`.as('city_code')])
    .where('d.addressable', '=', true)
    .where('d.valid_to', 'is', null)
    .where('a.kind', '=', 'county_bureau')
    .orderBy('d.code')
    .execute();
}

/** Townships with their police station (the registration authority of their households). */
export function listStationTownships(db: Db) {
  return db
    .selectFrom('township as t')
    .innerJoin('authority as a', 'a.township_code', 't.code')
    .select(['t.code', 't.county_code', 't.name', 'a.id as authority_id'])
    .where('a.kind', '=', 'police_station')
    .orderBy('t.code')
    .execute();
}

// ---- on the bulk-load connection (raw pg client inside the load's transaction) --------------------

/** Sequence codes already handed out for the given (address code, birth date, sex) keys. */
export async function findAllocations(client: pg.ClientBase, keys: { addressCode: string; birthDate: string; sex: string }[]) {
  if (keys.length === 0) return [];
  const { rows } = await client.query<{ address_code: string; birth_date: string; sex: string; last_seq: number }>(
    `select a.address_code, a.birth_date, a.sex, a.last_seq
       from id_allocation a
       join unnest($1::text[], $2::date[], $3::text[]) as k(address_code, birth_date, sex)
         on a.address_code = k.address_code and a.birth_date = k.birth_date and a.sex = k.sex`,
    [keys.map((k) => k.addressCode), keys.map((k) => k.birthDate), keys.map((k) => k.sex)],
  );
  return rows;
}

/** ID numbers (current or former) starting with any of the 14-digit address+birth-date prefixes. */
export async function findIdNumbersByPrefix(client: pg.ClientBase, prefixes: string[]): Promise<string[]> {
  if (prefixes.length === 0) return [];
  const { rows } = await client.query<{ id_number: string }>(
    `select n.id_number from unnest($1::text[]) as k(prefix)
       join person_id_number n on n.id_number >= k.prefix and n.id_number < k.prefix || 'Z'`,
    [prefixes],
  );
  return rows.map((r) => r.id_number);
}

/** The last value an identity column's sequence handed out, or the table's highest id if higher. */
export async function lastIdentity(client: pg.ClientBase, table: string): Promise<{ sequence: string; last: number }> {
  const { rows: seqRows } = await client.query<{ seq: string }>(`select pg_get_serial_sequence($1, 'id') as seq`, [table]);
  const sequence = seqRows[0]!.seq;
  const { rows } = await client.query<{ last: string }>(
    `select greatest((select case when is_called then last_value else last_value - 1 end from ${sequence}),
                     (select coalesce(max(id), 0) from ${table}))::text as last`,
  );
  return { sequence, last: Number(rows[0]!.last) };
}

export async function lastHouseholdNumberSequence(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ last: string }>(
    `select (case when is_called then last_value else last_value - 1 end)::text as last from household_number_seq`,
  );
  return Number(rows[0]!.last);
}

export async function setSequence(client: pg.ClientBase, sequence: string, last: number): Promise<void> {
  if (last > 0) await client.query('select setval($1::regclass, $2)', [sequence, last]);
}
