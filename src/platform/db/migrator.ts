import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { AppError } from '../errors.ts';
import { repoPath } from '../paths.ts';

export const MIGRATIONS_DIR = repoPath('db', 'migrations');
const CHECKSUM_TABLE = 'hukou_migration_checksum';

interface MigrationFile {
  name: string;
  sql: string;
  sha256: string;
}

/**
 * Files renamed after they were applied somewhere, old name → new name; the content (and so the
 * checksum) is unchanged. Two files were once both numbered 0003: `0003_views` became `0003b_views`
 * (still applied after `0003_transfer`, since `_` sorts before `b`). A database that applied a file
 * under its old name has the name rewritten in both bookkeeping tables, under the migration lock,
 * before anything is compared, so nothing runs twice and no checksum is edited.
 */
export const RENAMED_MIGRATIONS: Readonly<Record<string, string>> = { '0003_views': '0003b_views' };

async function applyRenames(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ present: boolean }>`select to_regclass('hukou_migration') is not null as present`.execute(db);
  if (!rows[0]?.present) return;
  for (const [from, to] of Object.entries(RENAMED_MIGRATIONS)) {
    await sql`update hukou_migration set name = ${to} where name = ${from} and not exists (select 1 from hukou_migration where name = ${to})`.execute(db);
    await sql`update ${sql.table(CHECKSUM_TABLE)} set name = ${to} where name = ${from} and not exists (select 1 from ${sql.table(CHECKSUM_TABLE)} where name = ${to})`.execute(db);
  }
}

/**
 * Migration files are `NNNN_description.sql` (or `NNNNx_…` for a file placed after `NNNN_…`),
 * applied in name order, all of one run in one transaction.
 */
export function readMigrationFiles(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}[a-z]?_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      return { name: f.replace(/\.sql$/, ''), sql: text, sha256: createHash('sha256').update(text).digest('hex') };
    });
}

class SqlFileProvider implements MigrationProvider {
  constructor(private readonly files: MigrationFile[]) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const file of this.files) {
      out[file.name] = {
        up: async (db: Kysely<unknown>) => {
          // No bound parameters, so pg uses the simple protocol and a file may hold many statements.
          await sql.raw(file.sql).execute(db);
          await sql`insert into ${sql.table(CHECKSUM_TABLE)} (name, sha256) values (${file.name}, ${file.sha256})`.execute(db);
        },
      };
    }
    return out;
  }
}

export interface MigrationState {
  name: string;
  appliedAt: Date | null;
  checksum: 'ok' | 'changed' | 'pending';
}

async function ensureChecksumTable(db: Kysely<any>): Promise<void> {
  await sql`create table if not exists ${sql.table(CHECKSUM_TABLE)} (
    name text primary key, sha256 text not null, applied_at timestamptz not null default now())`.execute(db);
}

function migratorFor(db: Kysely<any>, files: MigrationFile[]): Migrator {
  return new Migrator({ db, provider: new SqlFileProvider(files), migrationTableName: 'hukou_migration', migrationLockTableName: 'hukou_migration_lock' });
}

/** Applied and pending migrations, with whether each applied file is unchanged since it ran. */
export async function migrationStatus(db: Kysely<any>, dir = MIGRATIONS_DIR): Promise<MigrationState[]> {
  const files = readMigrationFiles(dir);
  await ensureChecksumTable(db);
  await applyRenames(db);
  const recorded = new Map(
    (await sql<{ name: string; sha256: string }>`select name, sha256 from ${sql.table(CHECKSUM_TABLE)}`.execute(db)).rows.map((r) => [r.name, r.sha256]),
  );
  const infos = await migratorFor(db, files).getMigrations();
  return infos.map((info) => {
    const file = files.find((f) => f.name === info.name);
    const applied = info.executedAt !== undefined;
    const checksum = !applied ? 'pending' : recorded.get(info.name) === file?.sha256 ? 'ok' : 'changed';
    return { name: info.name, appliedAt: info.executedAt ?? null, checksum };
  });
}

const MIGRATION_LOCK_KEY = 0x68756b6f; // 'huko': one migrator at a time across processes

/**
 * Applies pending migrations. Refuses to run when an applied file was edited since (its SHA-256 no
 * longer matches): fix forward with a new migration instead. One run is one transaction (Kysely on
 * PostgreSQL): if any file fails, none of this run's files stay applied.
 *
 * A session advisory lock, held on one connection for the whole run, serialises concurrent
 * migrators (several servers starting at once); the checksum check happens under it.
 */
export async function migrateToLatest(db: Kysely<any>, dir = MIGRATIONS_DIR): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      const changed = (await migrationStatus(conn, dir)).filter((m) => m.checksum === 'changed').map((m) => m.name);
      if (changed.length > 0) {
        throw new AppError('MIGRATION_CHECKSUM_MISMATCH', `applied migration(s) edited since they ran: ${changed.join(', ')}`, {
          details: { migrations: changed },
        });
      }
      const { error, results } = await migratorFor(conn, readMigrationFiles(dir)).migrateToLatest();
      if (error) {
        const failed = results?.find((r) => r.status === 'Error')?.migrationName;
        throw new AppError('MIGRATION_FAILED', `migration ${failed ?? '(unknown)'} failed: ${(error as Error).message}`, { cause: error });
      }
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}
