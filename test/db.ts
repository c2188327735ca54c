import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { createDb, type Db } from '../src/platform/db/database.ts';

export interface TestDatabase {
  db: Db;
  pool: pg.Pool;
  url: string;
  name: string;
  close(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

let counter = 0;

async function cloneDatabase(prefix: string, template: string): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `${prefix}_${process.env.VITEST_POOL_ID ?? '0'}_${process.pid}_${counter++}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name} template ${template} strategy file_copy`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const { db, pool } = createDb(url, 10);
  return {
    db,
    pool,
    url,
    name,
    async close() {
      await db.destroy();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`).finally(() => a.end());
    },
  };
}

/**
 * A fresh database cloned from the migrated template (reference data included): one per test
 * file and worker, so files never see each other's rows.
 */
export function createTestDatabase(): Promise<TestDatabase> {
  return cloneDatabase('hukou_test', 'hukou_template');
}

/**
 * A fresh database for the calling test file: created before its tests (`beforeAll`), dropped after
 * them (`afterAll`). Use its fields inside tests and hooks, not at module level.
 *
 * @example
 * const tdb = useTestDatabase();
 * it('…', async () => { await tdb.db.selectFrom('person')… });
 */
export function useTestDatabase(): TestDatabase {
  let current: TestDatabase | null = null;
  beforeAll(async () => {
    current = await createTestDatabase();
  });
  afterAll(async () => {
    await current?.close();
  });
  const get = (): TestDatabase => {
    if (!current) throw new Error('useTestDatabase(): the database is created in beforeAll; use it inside a test or a hook');
    return current;
  };
  return {
    get db() {
      return get().db;
    },
    get pool() {
      return get().pool;
    },
    get url() {
      return get().url;
    },
    get name() {
      return get().name;
    },
    close: () => get().close(),
  };
}

/** An empty database (no migrations), for tests of the migrator itself. */
export function createEmptyDatabase(): Promise<TestDatabase> {
  return cloneDatabase('hukou_empty', 'template0');
}

/**
 * Runs `fn` connected to the database at `url` as a fresh login role without superuser rights
 * (select/insert/update on every table and sequence), as many `DATABASE_URL` servers give, and
 * drops the role afterwards.
 */
export async function withPlainRole<T>(url: string, fn: (plain: { db: Db; pool: pg.Pool }) => Promise<T>): Promise<T> {
  const role = `plain_${process.env.VITEST_POOL_ID ?? '0'}_${process.pid}_${counter++}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create role ${role} login password 'plain'`);
    await admin.query(`grant select, insert, update on all tables in schema public to ${role}`);
    await admin.query(`grant usage, select, update on all sequences in schema public to ${role}`);
    const asRole = new URL(url);
    asRole.username = role;
    asRole.password = 'plain';
    const plain = createDb(asRole.toString(), 2);
    try {
      return await fn(plain);
    } finally {
      await plain.db.destroy();
    }
  } finally {
    await admin.query(`drop owned by ${role}`).catch(() => undefined);
    await admin.query(`drop role if exists ${role}`).catch(() => undefined);
    await admin.end();
  }
}
