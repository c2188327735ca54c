import type pg from 'pg';

/**
 * One bulk load of register tables, inside the caller's transaction on `client`:
 *
 * - the tables are locked against writes (reads go on) for the whole load, so the identity ranges
 *   it reserves cannot be taken by anyone else;
 * - when the role may set `session_replication_role` and the tables carry no insert trigger other
 *   than the ones re-checked here, triggers are switched off for the transaction (`replica`): per-row
 *   foreign-key checks and the deferred one-hukou trigger are far too slow for millions of rows, so
 *   `verify()` re-checks every foreign key and the one-hukou rule set-wise before commit;
 * - indexes of tables that were empty (and that no foreign key depends on) are dropped and rebuilt
 *   after the load: one sorted build is many times faster than a million insertions, and rebuilding a
 *   unique index re-checks its uniqueness.
 *
 * Unique indexes that stay in place are enforced during the load whatever the role.
 */
export class BulkSession {
  private dropped: DroppedIndex[] = [];

  private constructor(
    readonly client: pg.ClientBase,
    readonly tables: readonly string[],
    /** Triggers are off (`session_replication_role = replica`); verify() must run before commit. */
    readonly replica: boolean,
    readonly emptyTables: ReadonlySet<string>,
  ) {}

  /** Locks `tables` and switches triggers off when allowed. Call inside a transaction. */
  static async open(
    client: pg.ClientBase,
    tables: readonly string[],
    opts: { allowReplica?: boolean; detectEmpty?: boolean; mayDisableTriggers?: boolean } = {},
  ): Promise<BulkSession> {
    await client.query(`lock table ${tables.join(', ')} in exclusive mode`);
    const replica = (opts.allowReplica ?? true) && (opts.mayDisableTriggers ?? (await mayDisableTriggers(client, tables)));
    if (replica) await client.query('set local session_replication_role = replica');
    const empty = new Set<string>();
    for (const t of opts.detectEmpty === false ? [] : tables) {
      const { rows } = await client.query<{ empty: boolean }>(`select not exists (select 1 from ${t}) as empty`);
      if (rows[0]!.empty) empty.add(t);
    }
    return new BulkSession(client, tables, replica, empty);
  }

  /**
   * Drops the indexes of the tables that were empty (except indexes foreign keys rely on);
   * restoreIndexes() rebuilds them. Measured on a million people: keeping even the indexes whose
   * keys follow the load order (events by person, memberships by household) costs several times
   * more than rebuilding them.
   */
  async dropIndexesOfEmptyTables(): Promise<number> {
    const tables = this.tables.filter((t) => this.emptyTables.has(t));
    if (tables.length === 0 || !(await ownsTables(this.client, tables))) return 0;
    const { rows } = await this.client.query<DroppedIndex>(
      `select c.relname as "table", ic.relname as name, pg_get_indexdef(i.indexrelid) as "indexDef",
              con.conname as "constraintName", pg_get_constraintdef(con.oid) as "constraintDef"
         from pg_index i
         join pg_class c on c.oid = i.indrelid
         join pg_class ic on ic.oid = i.indexrelid
         left join pg_constraint con on con.conindid = i.indexrelid and con.conrelid = c.oid and con.contype in ('p', 'u', 'x')
        where c.relnamespace = current_schema()::regnamespace and c.relname = any($1)
          and not exists (select 1 from pg_constraint f where f.contype = 'f' and f.conindid = i.indexrelid)
          and not exists (select 1 from pg_depend d where d.refobjid = i.indexrelid and d.deptype = 'n')
        order by c.relname, ic.relname`,
      [tables],
    );
    for (const ix of rows) {
      await this.client.query(ix.constraintName ? `alter table ${ix.table} drop constraint ${ix.constraintName}` : `drop index ${ix.name}`);
    }
    this.dropped = rows;
    return rows.length;
  }

  /**
   * Rebuilds the dropped indexes and constraints with the memory a sort needs, each build sharing
   * its scan and sort with parallel workers (PostgreSQL 18 builds btree and GIN indexes in
   * parallel; the memory is divided among the participants).
   */
  async restoreIndexes(): Promise<void> {
    if (this.dropped.length === 0) return;
    await this.client.query(`set local maintenance_work_mem = '1GB'; set local max_parallel_maintenance_workers = 2`);
    for (const ix of this.dropped) {
      await this.client.query(ix.constraintName ? `alter table ${ix.table} add constraint ${ix.constraintName} ${ix.constraintDef}` : ix.indexDef);
    }
    this.dropped = [];
  }

  /**
   * With triggers off, re-checks what they would have: every foreign key of the rows this load wrote
   * (`tables[t].where`, a predicate over alias `c`) and that every new active person has a current
   * hukou (户口登记条例 Art. 6; at most one is enforced by membership_one_current_idx, which stays on).
   * Returns the violations, empty when the load may commit.
   *
   * One scan per table. References into a table whose new ids form a complete range lo…hi (checked
   * first) need no lookup; references to reference tables (divisions, townships, authorities) probe
   * a hash of the referenced keys (`hashReferences`), or else only the distinct values of the new
   * rows are looked up (a 5,000-row import batch: ~50 ms per-row probes → ~10 ms); anything else is
   * looked up by index.
   */
  async verify(
    tables: Readonly<Record<string, NewRows>>,
    personRows: NewRows | null,
    opts: { hashReferences: boolean; foreignKeys?: ForeignKeyCache },
  ): Promise<string[]> {
    if (!this.replica) return [];
    await this.client.query(`set local work_mem = '64MB'`);
    const ranges = new Map<string, { lo: number; hi: number }>();
    const ranged = Object.entries(tables).filter(([, r]) => r.idRange && r.idRange.hi >= r.idRange.lo);
    if (ranged.length > 0) {
      const { rows } = await this.client.query<Record<string, number>>(
        `select ${ranged.map(([t, r], i) => `(select count(*)::int from ${t} where id between ${r.idRange!.lo} and ${r.idRange!.hi}) as r${i}`).join(', ')}`,
      );
      ranged.forEach(([t, r], i) => {
        if (rows[0]![`r${i}`] === r.idRange!.hi - r.idRange!.lo + 1) ranges.set(t, r.idRange!);
      });
    }
    const problems: string[] = [];
    const names = Object.keys(tables);
    const key = names.join(',');
    let fks = opts.foreignKeys?.get(key);
    if (!fks) {
      fks = await this.foreignKeys(names);
      opts.foreignKeys?.set(key, fks);
    }
    const checked = [...new Set(fks.map((f) => f.table))].map((table) => ({ table, own: fks.filter((f) => f.table === table) }));
    if (checked.length > 0) {
      const { rows } = await this.client.query<Record<string, number[]>>(
        `select ${checked
          .map(({ table, own }, i) => {
            // per row: references into the loaded tables (ranges) and, for millions of rows, hashed
            // reference tables; otherwise the distinct values of the new rows are collected in the
            // same scan and only those are looked up (a batch names few divisions and authorities)
            const byValue = own.map((fk) => !opts.hashReferences && fk.columns.length === 1 && !this.tables.includes(fk.refTable));
            const inner = own.map((fk, j) =>
              byValue[j] ? `array_agg(distinct c.${fk.columns[0]}) as v${j}` : `count(*) filter (where ${this.violation(fk, ranges, opts.hashReferences)})::int as v${j}`);
            const outer = own.map((fk, j) =>
              byValue[j]
                ? `(select count(*)::int from unnest(x.v${j}) k(v) where k.v is not null and not exists (select 1 from ${fk.refTable} r where r.${fk.refColumns[0]} = k.v))`
                : `x.v${j}`);
            return `(select array[${outer.join(', ')}] from (select ${inner.join(', ')} from ${table} c where ${tables[table]!.where}) x) as t${i}`;
          })
          .join(', ')}`,
      );
      checked.forEach(({ table, own }, i) => {
        own.forEach((fk, j) => {
          const n = rows[0]![`t${i}`]![j]!;
          if (n > 0) problems.push(`${n} new ${table} rows (or distinct values) break foreign key ${fk.name} (${fk.columns.join(', ')} → ${fk.refTable})`);
        });
      });
    }
    if (personRows !== null) {
      const n = await this.personsWithoutHukou(personRows, tables.membership?.where ?? 'false', ranges.get('person'));
      if (n > 0) problems.push(`${n} new active persons have no current hukou (person_has_one_hukou)`);
    }
    return problems;
  }

  /**
   * The condition under which a new row breaks `fk`. References to reference tables are checked by
   * probing a hash of all their keys (`hashReferences`, for millions of rows) or by index lookups (a
   * batch of thousands: cheaper than hashing 40,000 townships each time).
   */
  private violation(fk: ForeignKey, ranges: ReadonlyMap<string, { lo: number; hi: number }>, hashReferences: boolean): string {
    const notNull = fk.columns.map((col) => `c.${col} is not null`).join(' and ');
    const range = ranges.get(fk.refTable);
    const lookup = `not exists (select 1 from ${fk.refTable} r where ${fk.columns.map((col, i) => `r.${fk.refColumns[i]} = c.${col}`).join(' and ')})`;
    if (range && fk.columns.length === 1 && fk.refColumns[0] === 'id') {
      const col = `c.${fk.columns[0]}`;
      return `${col} is not null and (${col} < ${range.lo} or ${col} > ${range.hi}) and ${lookup}`;
    }
    if (hashReferences && !this.tables.includes(fk.refTable)) {
      const keys = fk.refColumns.map((col) => `r.${col}`);
      return `${notNull} and (${fk.columns.map((col) => `c.${col}`).join(', ')}) not in (select ${keys.join(', ')} from ${fk.refTable} r where ${keys.map((k) => `${k} is not null`).join(' and ')})`;
    }
    return `${notNull} and ${lookup}`;
  }

  /**
   * New active persons without a current membership. When every new person is active and their ids
   * are a complete range, counting suffices: each has at most one current membership (unique
   * index), so as many current memberships pointing into the range as persons means one each.
   */
  private async personsWithoutHukou(persons: NewRows, newMemberships: string, range: { lo: number; hi: number } | undefined): Promise<number> {
    if (range) {
      const { rows } = await this.client.query<{ persons: number; active: number; current: number }>(
        `select (select count(*)::int from person where id between $1 and $2) as persons,
                (select count(*)::int from person where id between $1 and $2 and status = 'active') as active,
                (select count(*)::int from membership c where (${newMemberships}) and c.until is null and c.person_id between $1 and $2) as current`,
        [range.lo, range.hi],
      );
      const r = rows[0]!;
      if (r.persons === r.active) return r.active - r.current;
    }
    const { rows } = await this.client.query<{ n: number }>(
      `select count(*)::int as n from person c where (${persons.where}) and c.status = 'active'
         and not exists (select 1 from membership m where m.person_id = c.id and m.until is null)`,
    );
    return rows[0]!.n;
  }

  private async foreignKeys(tables: string[]): Promise<ForeignKey[]> {
    const { rows } = await this.client.query<ForeignKey>(
      `select c.relname as "table", con.conname as name, r.relname as "refTable",
              array(select a.attname::text from unnest(con.conkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n order by k.o) as columns,
              array(select a.attname::text from unnest(con.confkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by k.o) as "refColumns"
         from pg_constraint con
         join pg_class c on c.oid = con.conrelid
         join pg_class r on r.oid = con.confrelid
        where con.contype = 'f' and c.relnamespace = current_schema()::regnamespace and c.relname = any($1)
        order by c.relname, con.conname`,
      [tables],
    );
    return rows;
  }
}

/** The rows a load wrote to one table. */
export interface NewRows {
  /** SQL predicate over alias `c`. */
  where: string;
  /** The new rows have ids lo…hi (an identity range the load reserved). */
  idRange?: { lo: number; hi: number };
}

/** Foreign keys of a table set, read from the catalog once per import rather than once per batch. */
export type ForeignKeyCache = Map<string, ForeignKey[]>;

interface ForeignKey {
  table: string;
  name: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
}

interface DroppedIndex {
  table: string;
  name: string;
  indexDef: string;
  constraintName: string | null;
  constraintDef: string | null;
}

/** Trigger functions whose checks verify() repeats set-wise; any other insert trigger keeps triggers on. */
const RECHECKED_TRIGGER_FUNCTIONS = ['check_person_has_hukou'];

/**
 * Whether this role may switch triggers off for a load of `tables`: it may set
 * session_replication_role, and no insert trigger other than those verify() re-checks is defined.
 */
export async function mayDisableTriggers(client: pg.ClientBase, tables: readonly string[]): Promise<boolean> {
  const { rows } = await client.query<{ allowed: boolean; unknown_triggers: number }>(
    `select has_parameter_privilege('session_replication_role', 'SET') as allowed,
            (select count(*)::int from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
              where not t.tgisinternal and c.relnamespace = current_schema()::regnamespace and c.relname = any($1)
                and (t.tgtype & 4) <> 0 and p.proname <> all($2)) as unknown_triggers`,
    [tables, RECHECKED_TRIGGER_FUNCTIONS],
  );
  return rows[0]!.allowed && rows[0]!.unknown_triggers === 0;
}

async function ownsTables(client: pg.ClientBase, tables: readonly string[]): Promise<boolean> {
  const { rows } = await client.query<{ owned: boolean }>(
    `select bool_and(pg_has_role(current_user, c.relowner, 'USAGE')) as owned
       from pg_class c where c.relnamespace = current_schema()::regnamespace and c.relname = any($1)`,
    [tables],
  );
  return rows[0]!.owned === true;
}
