/**
 * Databases for the bulk benchmarks (seed, import): DATABASE_URL's server if set, else a throwaway
 * embedded PostgreSQL in a temp directory. One migrated template; every measurement gets a fresh
 * clone of it, so runs never see each other's rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateDatabase } from '../src/app/migrate.ts';
import { createDb, type Db } from '../src/platform/db/database.ts';
import { startEmbeddedCluster } from '../src/platform/db/embedded.ts';
import { freePort } from '../test/net.ts';

export interface BenchDatabase {
  db: Db;
  pool: pg.Pool;
  url: string;
  drop(): Promise<void>;
}

export interface BenchCluster {
  /** A fresh database cloned from the migrated template (reference data loaded). */
  fresh(name: string): Promise<BenchDatabase>;
  close(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function openBenchCluster(prefix: string): Promise<BenchCluster> {
  let stop = async () => {};
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dir = mkdtempSync(join(tmpdir(), `hukou-${prefix}-`));
    const cluster = await startEmbeddedCluster({ dataDir: dir, port: await freePort() });
    adminUrl = cluster.adminUrl;
    stop = async () => {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const root = adminUrl;
  const template = `hukou_${prefix}_template`;
  await admin(root, async (c) => {
    await c.query(`drop database if exists ${template} with (force)`);
    await c.query(`create database ${template}`);
  });
  const t = createDb(withDatabase(root, template), 2);
  await migrateDatabase(t.db);
  await t.db.destroy();
  return {
    async fresh(name) {
      const database = `hukou_${prefix}_${name}`;
      await admin(root, async (c) => {
        await c.query(`drop database if exists ${database} with (force)`);
        await c.query(`create database ${database} template ${template} strategy file_copy`);
      });
      const url = withDatabase(root, database);
      const { db, pool } = createDb(url, 4);
      pool.on('error', (e) => process.stderr.write(`   (pool: ${e.message})\n`));
      return {
        db,
        pool,
        url,
        async drop() {
          await db.destroy();
          await admin(root, (c) => c.query(`drop database if exists ${database} with (force)`));
        },
      };
    },
    async close() {
      await admin(root, (c) => c.query(`drop database if exists ${template} with (force)`));
      await stop();
    },
  };
}

export function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  return v && /^\d+$/.test(v) ? Number(v) : fallback;
}
