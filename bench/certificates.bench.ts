/**
 * Electronic household certificates (issue #14): issue rate (sign + store + PDF), public verification
 * online (service and HTTP) and offline, each beside a raw baseline measured in the same run — raw
 * SM2 sign and verify of the same payload bytes, a raw single-row select by primary key of the same
 * table. Rounds alternate between measured and baseline; the median of the rounds is reported.
 *
 * Database: DATABASE_URL if set (a scratch database `hukou_bench_certificates` is created on it),
 * else a throwaway embedded PostgreSQL. Run alone: node bin/run-ts.js bench/certificates.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { sql } from 'kysely';
import { buildApp } from '../src/app/build-app.ts';
import { migrateDatabase } from '../src/app/migrate.ts';
import { maskIdNumber, SYSTEM_ACTOR } from '../src/access/index.ts';
import { currentStatusList, currentTrustList, issueCertificate, renderCertificatePdf, verifyCertificateOnline, verifyOffline } from '../src/certificates/index.ts';
import { decodeQrText } from '../src/certificates/payload.ts';
import { signBytes, verifyBytes, type KeyMaterial } from '../src/certificates/signature.ts';
import { systemClock } from '../src/platform/clock.ts';
import { createDb } from '../src/platform/db/database.ts';
import { startEmbeddedCluster } from '../src/platform/db/embedded.ts';
import { freePort } from '../test/net.ts';
import { insertPersonWithHukou } from '../test/access-fixtures.ts';
import { median, type BenchResult } from './result.ts';

const PERSONS = 50;
const ROUNDS = 5;
const ISSUES_PER_ROUND = 20;
const VERIFY_PER_ROUND = 2000;
const CONCURRENCY = 16;
const DB_NAME = 'hukou_bench_certificates';

async function freshDatabase(adminUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${DB_NAME} with (force)`);
    await admin.query(`create database ${DB_NAME}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${DB_NAME}`;
  return u.toString();
}

/** Operations per second of `n` calls of `op`, `concurrency` at a time. */
async function rate(n: number, concurrency: number, op: (i: number) => Promise<unknown> | unknown): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await op(next++);
    }),
  );
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

export async function run(): Promise<BenchResult[]> {
  let cleanup = async () => {};
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'hukou-bench-cert-'));
    const cluster = await startEmbeddedCluster({ dataDir: dir, port: await freePort() });
    adminUrl = cluster.adminUrl;
    cleanup = async () => {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const url = await freshDatabase(adminUrl);
  const { db, pool } = createDb(url, 20);
  pool.on('error', (e) => process.stderr.write(`   (pool: ${e.message})\n`));
  try {
    await migrateDatabase(db);
    const persons: string[] = [];
    for (let i = 0; i < PERSONS; i++) persons.push((await insertPersonWithHukou(db, { townshipCode: '510104017', birthDate: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 9}`, sequence: 1 + (i % 999) })).idNumber);
    const ctx = { db, actor: SYSTEM_ACTOR, clock: systemClock };
    const issueOne = (i: number) => {
      const idNumber = persons[i % persons.length]!;
      return issueCertificate(ctx, {
        kind: 'hukou_registration',
        subjectIdNumber: idNumber,
        applicationId: null,
        issuingAuthorityId: 'station-510104017',
        facts: { name: '张晓明', idNumber: maskIdNumber(idNumber), householdNumber: '510104000001', hukouAddress: '四川省成都市锦江区测试路1号', relationshipToHead: '户主' },
      });
    };
    // warm up: the first key, the font (parsed once per process), the prepared paths
    const first = await issueOne(0);
    await renderCertificatePdf(ctx, first.number);
    const keyRow = await db.selectFrom('certificate_signing_key').select(['algorithm', 'public_key', 'private_key']).where('retired_at', 'is', null).executeTakeFirstOrThrow();
    const key: KeyMaterial = { algorithm: keyRow.algorithm, publicKey: keyRow.public_key, privateKey: keyRow.private_key };
    const qr = decodeQrText(first.qrText)!;

    const issued: { qrText: string; number: string }[] = [first];
    const r = { sign: [] as number[], issue: [] as number[], issuePdf: [] as number[], verify: [] as number[], offline: [] as number[], select: [] as number[], online: [] as number[], http: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      r.sign.push(await rate(2000, 1, () => signBytes(key, qr.payloadBytes)));
      r.issue.push(await rate(ISSUES_PER_ROUND * 5, 4, async (i) => issued.push(await issueOne(i))));
      r.issuePdf.push(
        await rate(ISSUES_PER_ROUND, 2, async (i) => {
          const c = await issueOne(i);
          await renderCertificatePdf(ctx, c.number);
        }),
      );
      process.stderr.write(`   round ${round + 1}: raw sign ${r.sign[round]!.toFixed(0)}/s, issue ${r.issue[round]!.toFixed(0)}/s, issue+PDF ${r.issuePdf[round]!.toFixed(1)}/s\n`);
    }
    const trustList = await currentTrustList(db, new Date());
    const statusList = await currentStatusList(db, new Date());
    const app = await buildApp({ db, logger: false });
    await app.ready();
    for (let round = 0; round < ROUNDS; round++) {
      r.verify.push(await rate(VERIFY_PER_ROUND, 1, () => verifyBytes(key.algorithm, key.publicKey, qr.payloadBytes, qr.signature)));
      r.offline.push(
        await rate(VERIFY_PER_ROUND, 1, (i) => {
          if (verifyOffline(issued[i % issued.length]!.qrText, trustList, statusList).status !== 'genuine') throw new Error('offline verification failed');
        }),
      );
      r.select.push(await rate(VERIFY_PER_ROUND, CONCURRENCY, (i) => sql`select number from certificate where number = ${issued[i % issued.length]!.number}`.execute(db)));
      r.online.push(
        await rate(VERIFY_PER_ROUND, CONCURRENCY, async (i) => {
          if ((await verifyCertificateOnline(db, issued[i % issued.length]!.qrText)).status !== 'genuine') throw new Error('online verification failed');
        }),
      );
      r.http.push(
        await rate(VERIFY_PER_ROUND, CONCURRENCY, async (i) => {
          const res = await app.inject({ url: `/api/v1/public/certificates/verify?code=${encodeURIComponent(issued[i % issued.length]!.qrText)}` });
          if (res.statusCode !== 200) throw new Error(`HTTP verify: ${res.statusCode}`);
        }),
      );
      process.stderr.write(
        `   round ${round + 1}: raw verify ${r.verify[round]!.toFixed(0)}/s, offline ${r.offline[round]!.toFixed(0)}/s, raw select ${r.select[round]!.toFixed(0)}/s, online ${r.online[round]!.toFixed(0)}/s, HTTP ${r.http[round]!.toFixed(0)}/s\n`,
      );
    }
    await app.close();
    const m = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, median(v)])) as Record<keyof typeof r, number>;
    return [
      { name: 'certificate: raw SM2 sign of the payload', median: m.sign, unit: 'ops/s', note: 'sm-crypto-v2, one core, same bytes as a certificate' },
      { name: 'certificate issue (check, sign, store, event)', median: m.issue, unit: 'certs/s', baseline: m.sign, note: '4 concurrent, own transaction each' },
      { name: 'certificate issue + PDF', median: m.issuePdf, unit: 'certs/s', baseline: m.sign, note: '2 concurrent; PDF: Noto Sans SC subset + QR' },
      { name: 'certificate: raw SM2 verify of the payload', median: m.verify, unit: 'ops/s', note: 'precomputed public key point' },
      { name: 'certificate verify offline (QR + trust list + status list)', median: m.offline, unit: 'ops/s', baseline: m.verify, note: 'decode, inflate, verify, status bit' },
      { name: 'certificate: raw select by number', median: m.select, unit: 'ops/s', note: `${CONCURRENCY} concurrent, primary key` },
      { name: 'certificate verify online (service, QR)', median: m.online, unit: 'ops/s', baseline: m.select, note: `${CONCURRENCY} concurrent; signature + register row` },
      { name: 'GET /public/certificates/verify (QR)', median: m.http, unit: 'req/s', baseline: m.select, note: `${CONCURRENCY} concurrent, app.inject, no login` },
    ];
  } finally {
    await db.destroy();
    await cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const x of await run()) process.stdout.write(`${x.name}: ${x.median.toFixed(1)} ${x.unit}${x.baseline ? ` (${(x.median / x.baseline).toFixed(3)} of baseline)` : ''}\n`);
}
