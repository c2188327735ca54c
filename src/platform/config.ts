import { resolve } from 'node:path';

/** Runtime configuration: environment first, CLI flags override (see `hukou serve --help`). */
export interface Config {
  /** `postgres://…` of an external server; when absent an embedded PostgreSQL is started. */
  databaseUrl: string | null;
  /** Where the embedded database and other local state live (`HUKOU_DATA_DIR`, default `./.hukou`). */
  dataDir: string;
  /** Port of the embedded PostgreSQL (`HUKOU_PG_PORT`, default 54329). */
  embeddedPgPort: number;
  host: string;
  port: number;
  logLevel: string;
}

export interface ConfigOverrides {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  embeddedPgPort?: number | undefined;
  host?: string | undefined;
  port?: number | undefined;
  logLevel?: string | undefined;
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new Error(`${name} must be a port number (0-65535), got "${value}"`);
  }
  return n;
}

export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  return {
    databaseUrl: overrides.databaseUrl ?? (env.DATABASE_URL || null),
    dataDir: resolve(overrides.dataDir ?? env.HUKOU_DATA_DIR ?? './.hukou'),
    embeddedPgPort: overrides.embeddedPgPort ?? intFrom(env.HUKOU_PG_PORT, 54329, 'HUKOU_PG_PORT'),
    host: overrides.host ?? env.HOST ?? '127.0.0.1',
    port: overrides.port ?? intFrom(env.PORT, 8080, 'PORT'),
    logLevel: overrides.logLevel ?? env.LOG_LEVEL ?? 'info',
  };
}
