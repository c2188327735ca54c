import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from './db.ts';
import { declaredColumns, moduleOf, sourceFiles, tableOwners, tablesNamedIn } from './table-ownership.ts';
import { repoPath } from '../src/platform/paths.ts';

const tdb = useTestDatabase();

/** The migrator's own bookkeeping, owned by Kysely's Migrator and hukou's migrate step. */
const MIGRATOR_TABLES = new Set(['hukou_migration', 'hukou_migration_lock', 'hukou_migration_checksum']);

describe('table declarations (<module>.tables.ts) against the migrated schema', () => {
  it('declare every migrated table, with exactly its columns', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE'`.execute(tdb.db);
    const migrated = new Map<string, string[]>();
    for (const r of rows) if (!MIGRATOR_TABLES.has(r.table_name)) migrated.set(r.table_name, [...(migrated.get(r.table_name) ?? []), r.column_name]);
    const declared = declaredColumns();
    const sorted = (m: Map<string, Iterable<string>>) => Object.fromEntries([...m].map(([t, c]) => [t, [...c].sort()]).sort(([a], [b]) => String(a).localeCompare(String(b))));
    expect(sorted(declared)).toEqual(sorted(migrated));
  });
});

describe('table ownership', () => {
  const owners = tableOwners();
  const known = new Set(owners.keys());

  it('gives every table one owning module', () => {
    expect(owners.size).toBeGreaterThan(30);
    for (const owner of owners.values()) expect(owner).toMatch(/^[a-z]+$/);
  });

  /**
   * Reference data (divisions, townships, code tables, registration authorities) is loaded from data/
   * by its owner and published for read-only joins: every module may read it, none may write it.
   */
  const PUBLISHED_FOR_READING = new Set(['division', 'division_name', 'township', 'code_table', 'code_entry', 'authority']);

  it("lets only a table's owner write it (insert, update, delete, COPY), anywhere in src/", () => {
    const writes = /\b(?:insertInto|updateTable|deleteFrom|mergeInto)\(\s*'([a-z_][a-z0-9_]*)|\b(?:insert\s+into|update|delete\s+from|copy|truncate)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)"?/gi;
    const offences: string[] = [];
    for (const file of sourceFiles(repoPath('src'))) {
      const owner = moduleOf(file);
      for (const m of readFileSync(file, 'utf8').matchAll(writes)) {
        const table = m[1] ?? m[2]!;
        if (known.has(table) && owners.get(table) !== owner) offences.push(`${file.replace(repoPath(), '')} writes ${table} (owner: ${owners.get(table)})`);
      }
    }
    expect(offences).toEqual([]);
  });

  it("lets a module's *.queries.ts name only its own tables and the published reference data", () => {
    const offences: string[] = [];
    for (const file of sourceFiles(repoPath('src')).filter((f) => f.endsWith('.queries.ts'))) {
      const owner = moduleOf(file);
      for (const table of tablesNamedIn(readFileSync(file, 'utf8'), known)) {
        if (owners.get(table) !== owner && !PUBLISHED_FOR_READING.has(table)) offences.push(`${file.replace(repoPath(), '')} names ${table} (owner: ${owners.get(table)})`);
      }
    }
    expect(offences).toEqual([]);
  });
});
