import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from './database.ts';
import { migrateToLatest, migrationStatus } from './migrator.ts';
import { AppError } from '../errors.ts';
import { createEmptyDatabase, type TestDatabase } from '../../../test/db.ts';

let tdb: TestDatabase;
let dir: string;

beforeEach(async () => {
  tdb = await createEmptyDatabase();
  dir = mkdtempSync(join(tmpdir(), 'hukou-mig-'));
  writeFileSync(join(dir, '0001_first.sql'), 'create table a (id int primary key);\ninsert into a values (1);');
  writeFileSync(join(dir, '0002_second.sql'), 'create table b (id int primary key references a (id));');
});
afterEach(async () => {
  await tdb.close();
});

describe('SQL-file migrator', () => {
  it('applies files in order, each once, and reports them applied', async () => {
    expect(await migrateToLatest(tdb.db, dir)).toEqual(['0001_first', '0002_second']);
    expect(await migrateToLatest(tdb.db, dir)).toEqual([]);
    const states = await migrationStatus(tdb.db, dir);
    expect(states.map((s) => [s.name, s.checksum])).toEqual([
      ['0001_first', 'ok'],
      ['0002_second', 'ok'],
    ]);
  });

  it('takes a file renamed after it was applied (RENAMED_MIGRATIONS) as the same, applied, unchanged file', async () => {
    writeFileSync(join(dir, '0003_views.sql'), 'create view v as select id from a;');
    expect(await migrateToLatest(tdb.db, dir)).toEqual(['0001_first', '0002_second', '0003_views']);
    // the project renamed 0003_views.sql to 0003b_views.sql (two files were numbered 0003)
    renameSync(join(dir, '0003_views.sql'), join(dir, '0003b_views.sql'));
    expect(await migrateToLatest(tdb.db, dir)).toEqual([]);
    expect((await migrationStatus(tdb.db, dir)).map((m) => [m.name, m.checksum])).toEqual([
      ['0001_first', 'ok'],
      ['0002_second', 'ok'],
      ['0003b_views', 'ok'],
    ]);
  });

  it('lists a new file as pending until migrated', async () => {
    await migrateToLatest(tdb.db, dir);
    writeFileSync(join(dir, '0003_third.sql'), 'create table c (id int);');
    expect((await migrationStatus(tdb.db, dir)).at(-1)).toMatchObject({ name: '0003_third', checksum: 'pending', appliedAt: null });
  });

  it('refuses to run when an applied file was edited', async () => {
    await migrateToLatest(tdb.db, dir);
    writeFileSync(join(dir, '0001_first.sql'), 'create table a (id bigint primary key);');
    writeFileSync(join(dir, '0003_third.sql'), 'create table c (id int);');
    const err = await migrateToLatest(tdb.db, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('MIGRATION_CHECKSUM_MISMATCH');
    expect((err as AppError).details).toEqual({ migrations: ['0001_first'] });
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_tables where tablename = 'c'`.execute(tdb.db);
    expect(rows[0]!.n).toBe(0);
    expect((await migrationStatus(tdb.db, dir))[0]!.checksum).toBe('changed');
  });

  it('rolls a failing run back whole and reports MIGRATION_FAILED', async () => {
    await migrateToLatest(tdb.db, dir);
    writeFileSync(join(dir, '0004_fine.sql'), 'create table e (id int);');
    writeFileSync(join(dir, '0003_broken.sql'), 'create table d (id int);\nselect no_such_function();');
    const err = await migrateToLatest(tdb.db, dir).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('MIGRATION_FAILED');
    expect((err as AppError).message).toContain('0003_broken');
    const { rows } = await sql<{ t: string }>`select tablename as t from pg_tables where tablename in ('a', 'b', 'd', 'e') order by 1`.execute(tdb.db);
    expect(rows.map((r) => r.t)).toEqual(['a', 'b']);
    expect((await migrationStatus(tdb.db, dir)).map((m) => m.checksum)).toEqual(['ok', 'ok', 'pending', 'pending']);
  });

  it('lets concurrent migrators apply each file exactly once (advisory lock)', async () => {
    const others = Array.from({ length: 4 }, () => createDb(tdb.url, 2));
    try {
      const results = await Promise.all([tdb.db, ...others.map((o) => o.db)].map((db) => migrateToLatest(db, dir)));
      expect(results.flat().sort()).toEqual(['0001_first', '0002_second']);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from a`.execute(tdb.db);
      expect(rows[0]!.n).toBe(1);
    } finally {
      await Promise.all(others.map((o) => o.db.destroy()));
    }
  });
});
