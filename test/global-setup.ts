import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { freePort } from './net.ts';
import { startEmbeddedCluster, type EmbeddedCluster } from '../src/platform/db/embedded.ts';
import { createDb } from '../src/platform/db/database.ts';
import { migrateDatabase } from '../src/app/migrate.ts';
import { ensureWebBuild } from '../src/app/web.ts';

export const TEMPLATE_DB = 'hukou_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}


function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Starts one real PostgreSQL for the whole run (embedded in a temp dir, or the server named by
 * DATABASE_URL), migrates a template database once, and hands workers its admin URL: each test file
 * clones the template into its own database (test/db.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The web app (served by `hukou serve` and the browser tests): built once for the run, or reused
  // from its cache while web/ is unchanged; built alongside the migrations.
  const webBuild = ensureWebBuild();
  webBuild.catch(() => undefined);
  let cluster: EmbeddedCluster | null = null;
  let tmp: string | null = null;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    tmp = mkdtempSync(join(tmpdir(), 'hukou-test-'));
    cluster = await startEmbeddedCluster({ dataDir: tmp, port: await freePort() });
    adminUrl = cluster.adminUrl;
  }
  const teardown = async () => {
    await cluster?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${TEMPLATE_DB} with (force)`);
    await admin.query(`create database ${TEMPLATE_DB}`);
    await admin.end();
    const { db } = createDb(withDatabase(adminUrl, TEMPLATE_DB), 2);
    try {
      await migrateDatabase(db);
    } finally {
      await db.destroy();
    }
  } catch (e) {
    await teardown();
    throw e;
  }
  try {
    await webBuild;
  } catch (e) {
    await teardown();
    throw e;
  }
  project.provide('pgAdminUrl', adminUrl);
  return teardown;
}
