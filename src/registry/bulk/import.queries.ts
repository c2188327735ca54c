import { sql } from 'kysely';
import type pg from 'pg';
import type { Db } from '../../platform/db/database.ts';
import type { ImportFormat } from './bulk.tables.ts';

// ---- reference data (loaded once per import) ---------------------------------------------------

export function listDivisionCodes(db: Db) {
  return db.selectFrom('division').select(['code', 'addressable', 'valid_to']).execute();
}

export function listTownshipCounties(db: Db) {
  return db.selectFrom('township').select(['code', 'county_code']).execute();
}

/** Authorities with the county they serve and the city residence registration counts in (`hukou_city_of`, migration 0016: the src/residence/places.ts rule). */
export async function listAuthorityPlaces(db: Db) {
  const { rows } = await sql<{ id: string; kind: string; county_code: string | null; township_code: string | null; city_code: string | null }>`
    select a.id, a.kind,
           case when a.kind in ('police_station', 'county_bureau') then a.division_code end as county_code,
           a.township_code,
           case when a.kind = 'prefecture_bureau' then a.division_code
                when a.kind in ('police_station', 'county_bureau') then hukou_city_of(cb.division_code, pref.division_code) end as city_code
      from authority a
      left join authority cb on cb.id = case a.kind when 'police_station' then a.parent_id when 'county_bureau' then a.id end
      left join authority pref on pref.id = cb.parent_id and pref.kind = 'prefecture_bureau'`.execute(db);
  return rows;
}

export async function listCodes(db: Db, table: string): Promise<string[]> {
  const rows = await db.selectFrom('code_entry').select('code').where('table_name', '=', table).execute();
  return rows.map((r) => r.code);
}

// ---- jobs ----------------------------------------------------------------------------------------

const JOB_COLUMNS = [
  'id', 'file_sha256', 'file_name', 'format', 'file_bytes', 'status', 'committed_offset', 'committed_rows',
  'imported_rows', 'unchanged_rows', 'rejected_rows', 'batches',
] as const;

export function findJob(db: Db, sha256: string) {
  return db.selectFrom('import_job').select(JOB_COLUMNS).where('file_sha256', '=', sha256).executeTakeFirst();
}

export type ImportJobRow = NonNullable<Awaited<ReturnType<typeof findJob>>>;

/** The job of this file content, created on first sight (two first runs at once: both get the same row). */
export async function findOrCreateJob(db: Db, row: { sha256: string; fileName: string; format: ImportFormat; bytes: number; actorId: string }): Promise<ImportJobRow> {
  await db
    .insertInto('import_job')
    .values({ file_sha256: row.sha256, file_name: row.fileName, format: row.format, file_bytes: row.bytes, actor_id: row.actorId })
    .onConflict((oc) => oc.column('file_sha256').doNothing())
    .execute();
  return (await findJob(db, row.sha256))!;
}

/** Advances the job past a committed batch; runs inside the batch's transaction. */
export async function advanceJob(
  client: pg.ClientBase,
  jobId: number,
  p: { offset: number; rows: number; imported: number; unchanged: number; rejected: number },
): Promise<void> {
  await client.query(
    `update import_job set committed_offset = $2, committed_rows = $3, imported_rows = imported_rows + $4,
            unchanged_rows = unchanged_rows + $5, rejected_rows = rejected_rows + $6, batches = batches + 1, updated_at = now()
      where id = $1`,
    [jobId, p.offset, p.rows, p.imported, p.unchanged, p.rejected],
  );
}

export async function completeJob(db: Db, jobId: number): Promise<void> {
  await db.updateTable('import_job').set({ status: 'completed', completed_at: sql`now()`, updated_at: sql`now()` }).where('id', '=', jobId).execute();
}

export async function countIssues(db: Db, jobId: number): Promise<number> {
  const row = await db.selectFrom('import_issue').select((eb) => eb.fn.countAll<number>().as('n')).where('job_id', '=', jobId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Tries to become the one process importing this file (session-level advisory lock, released by unlockJob). */
export async function tryLockJob(client: pg.ClientBase, jobId: number): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>(`select pg_try_advisory_lock(hashtext('hukou.import-job'), $1) as locked`, [jobId]);
  return rows[0]!.locked;
}

export async function unlockJob(client: pg.ClientBase, jobId: number): Promise<void> {
  await client.query(`select pg_advisory_unlock(hashtext('hukou.import-job'), $1)`, [jobId]);
}

// ---- per batch, on the import connection ---------------------------------------------------------

export interface ExistingNumber {
  id_number: string;
  person_id: number;
  current_number: string;
  status: string;
  household_number: string | null;
  relationship: string | null;
  import_job: number | null;
  import_row: number | null;
}

/**
 * Who holds or held each of `idNumbers`, with their current household and the import that
 * registered them, if any. The numbers are probed with `= any(…)` on the key of person_id_number (an
 * index scan whatever the statistics say): joined to an unnested array, the planner would hash the
 * whole table for every batch once its statistics lag behind a growing register (measured: 43 ms
 * instead of 5 ms per 5,000 numbers at 200,000 persons, and growing with the register). The other
 * joins run only for the numbers found, usually none.
 */
export async function findHolders(client: pg.ClientBase, idNumbers: string[]): Promise<ExistingNumber[]> {
  if (idNumbers.length === 0) return [];
  const { rows } = await client.query<ExistingNumber>(
    `with n as materialized (select id_number, person_id from person_id_number where id_number = any($1::text[]))
     select n.id_number, n.person_id, p.id_number as current_number, p.status, h.household_number, m.relationship,
            imp.job as import_job, imp.row as import_row
       from n
       join person p on p.id = n.person_id
       left join membership m on m.person_id = p.id and m.until is null
       left join household h on h.id = m.household_id
       left join lateral (
         select (e.data->>'importJob')::bigint as job, (e.data->>'row')::int as row
           from registration_event e
          where e.person_id = p.id and e.kind = 'registration' and e.data ? 'importJob'
          order by e.id limit 1) imp on true`,
    [idNumbers],
  );
  return rows;
}

export interface ExistingHousehold {
  id: number;
  household_number: string;
  kind: string;
  county_code: string;
  township_code: string | null;
  address: string;
  authority_id: string;
  head_person_id: number | null;
  status: string;
}

export async function findHouseholds(client: pg.ClientBase, numbers: string[]): Promise<ExistingHousehold[]> {
  if (numbers.length === 0) return [];
  const { rows } = await client.query<ExistingHousehold>(
    `select id, household_number, kind, county_code, township_code, address, authority_id, head_person_id, status
       from household where household_number = any($1::text[])`,
    [numbers],
  );
  return rows;
}

export interface IdRange {
  lo: number;
  hi: number;
}

/**
 * Reserves `count` consecutive ids of each table's identity sequence in one round trip. Consecutive
 * because the caller holds the tables' exclusive lock, so no insert can draw from the sequence meanwhile.
 */
export async function reserveIdentities(client: pg.ClientBase, counts: Readonly<Record<string, number>>): Promise<Record<string, IdRange>> {
  const tables = Object.keys(counts).filter((t) => counts[t]! > 0);
  const out: Record<string, IdRange> = {};
  for (const t of Object.keys(counts)) out[t] = { lo: 1, hi: 0 };
  if (tables.length === 0) return out;
  const { rows } = await client.query<{ name: string; last: string }>(
    `select t.name, setval(pg_get_serial_sequence(t.name, 'id'), nextval(pg_get_serial_sequence(t.name, 'id')) + t.n - 1)::text as last
       from unnest($1::text[], $2::int[]) as t(name, n)`,
    [tables, tables.map((t) => counts[t]!)],
  );
  for (const r of rows) out[r.name] = { lo: Number(r.last) - counts[r.name]! + 1, hi: Number(r.last) };
  return out;
}

/** Existing households that gained members: bump their version; set the head where the batch brings one. */
export async function touchHouseholds(client: pg.ClientBase, ids: number[], heads: Map<number, number>): Promise<void> {
  if (ids.length === 0) return;
  await client.query(
    `update household h set version = h.version + 1, updated_at = now(), head_person_id = coalesce(h.head_person_id, u.head)
       from unnest($1::bigint[], $2::bigint[]) as u(id, head)
      where h.id = u.id`,
    [ids, ids.map((id) => heads.get(id) ?? null)],
  );
}


/** Keeps generated household numbers (`<township><seq>`) clear of imported ones. */
export async function raiseHouseholdSequence(client: pg.ClientBase, atLeast: number): Promise<void> {
  await client.query(`select setval('household_number_seq', greatest((select last_value from household_number_seq), $1))`, [atLeast]);
}
