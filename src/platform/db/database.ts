import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { startEmbeddedCluster, type EmbeddedCluster } from './embedded.ts';
import { preparePooledStatements } from './prepared.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

// DATE columns stay 'YYYY-MM-DD' strings (no time-zone shifts); BIGINT counts become numbers
// (every bigint here is a count or a surrogate key far below 2^53).
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface DatabaseHandle {
  db: Db;
  pool: pg.Pool;
  url: string;
  /** Embedded cluster this handle started, if any. */
  cluster: EmbeddedCluster | null;
  close(): Promise<void>;
}

export function createDb(url: string, max = 10): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'hukou' });
  // An idle client the server drops (restart, idle timeout) emits 'error' on the pool; unhandled,
  // that would crash the process. The pool replaces the client; the next query reconnects.
  pool.on('error', (e) => process.emitWarning(`PostgreSQL pool: idle client error: ${e.message}`));
  // A client checked out of the pool has no 'error' listener of the pool's: when the server goes away
  // between two of its queries, the event would crash the process before anyone could say why. The
  // query in flight still fails with the error, and the server reports the lost database itself.
  pool.on('connect', (client) => {
    client.on('error', (e) => process.emitWarning(`PostgreSQL client error: ${e.message}`));
  });
  preparePooledStatements(pool);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } catch (e) {
    // a concurrent creator won the race: fine
    if ((e as { code?: string }).code !== '42P04') throw e;
  } finally {
    await client.end();
  }
}

/**
 * Opens the database named by `DATABASE_URL`, or starts the embedded cluster under the data
 * directory and opens its `hukou` database (creating it on first run).
 */
export async function openDatabase(config: Config, logger?: Logger, poolSize = 10): Promise<DatabaseHandle> {
  let cluster: EmbeddedCluster | null = null;
  let url: string;
  if (config.databaseUrl) {
    url = config.databaseUrl;
  } else {
    cluster = await startEmbeddedCluster({ dataDir: config.dataDir, port: config.embeddedPgPort, ...(logger ? { logger } : {}) });
    await ensureDatabase(cluster.adminUrl, 'hukou');
    url = cluster.urlFor('hukou');
  }
  const { db, pool } = createDb(url, poolSize);
  return {
    db,
    pool,
    url,
    cluster,
    async close() {
      await db.destroy();
      await cluster?.stop();
    },
  };
}
