import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { runHukou } from '../../test/cli.ts';
import { movableClock } from '../../test/access-fixtures.ts';
import type { AccessEntry } from './chain.ts';
import { ANCHOR_FILE, readAnchors } from './anchor.ts';
import { generateSigner, SIGNING_KEY_FILE } from './signing.ts';
import { verifyAccessLog } from './verify.ts';
import { AccessLogWriter } from './writer.ts';

/**
 * Issue #11 item 4: a cut-off access log is detected. The probe deleted entries 1001–1781 with the
 * checkpoints above 1000 and pointed the head at 1000, and separately deleted the 30 entries after
 * the last checkpoint and moved the head back: `hukou audit verify` said ok both times. Anchors
 * (signed checkpoints copied to an append-only file outside the database) catch both.
 */
const signer = generateSigner();
const keys = new Map([[signer.keyId, signer.publicKey]]);
const clock = movableClock('2025-05-01T08:00:00Z');
const open: TestDatabase[] = [];

afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
});

async function database(): Promise<TestDatabase> {
  const d = await createTestDatabase();
  open.push(d);
  return d;
}

function entry(i: number): AccessEntry {
  return {
    at: clock.now(),
    actorId: `user:${i % 5}`,
    accountId: null,
    role: 'registration_officer',
    authorityId: 'county-110105',
    purpose: `case:A-${i}`,
    action: 'person.read',
    subjectKind: 'person',
    subjectRef: `ref-${i}`,
    personIds: [],
    householdIds: [],
    fields: ['name'],
    outcome: 'returned',
    requestId: `req-${i}`,
  };
}

async function write(writer: AccessLogWriter, from: number, count: number): Promise<void> {
  // sequentially, so checkpoints land at the multiples of checkpointEvery
  for (let i = from; i < from + count; i++) await writer.append(entry(i));
}

/** What an attacker with database superuser rights does: cut the chain back to `seq`, checkpoints and head included. */
async function cutBackTo(db: TestDatabase['db'], seq: number): Promise<void> {
  await sql`alter table access_log disable trigger access_log_append_only`.execute(db);
  await sql`alter table access_log_checkpoint disable trigger access_log_checkpoint_append_only`.execute(db);
  try {
    await db.deleteFrom('access_log').where('chain', '=', 'main').where('seq', '>', seq).execute();
    await db.deleteFrom('access_log_checkpoint').where('chain', '=', 'main').where('seq', '>', seq).execute();
    const at = await db.selectFrom('access_log').select('hash').where('chain', '=', 'main').where('seq', '=', seq).executeTakeFirstOrThrow();
    await db.updateTable('access_log_head').set({ seq, hash: at.hash }).where('chain', '=', 'main').execute();
  } finally {
    await sql`alter table access_log enable trigger access_log_append_only`.execute(db);
    await sql`alter table access_log_checkpoint enable trigger access_log_checkpoint_append_only`.execute(db);
  }
}

describe('anchors outside the database', () => {
  it('every checkpoint (by count, by time, on shutdown) is appended to the anchor file; the intact log verifies against it', async () => {
    const { db } = await database();
    const dir = mkdtempSync(join(tmpdir(), 'hukou-anchor-'));
    const file = join(dir, ANCHOR_FILE);
    const writer = new AccessLogWriter(db, { signer, clock, checkpointEvery: 50, checkpointIntervalMs: 60_000, anchorFile: file });
    await write(writer, 0, 120);
    expect(await writer.checkpointIfDue()).toBeNull(); // not yet a minute since the last one
    clock.advance(61_000);
    expect(await writer.checkpointIfDue()).toBe(120); // no traffic needed
    await write(writer, 120, 7);
    await writer.close(); // shutdown signs the head
    expect(readAnchors(file).anchors.map((a) => a.seq)).toEqual([50, 100, 120, 127]);
    const report = await verifyAccessLog(db, { publicKeys: keys, anchors: readAnchors(file).anchors });
    expect(report).toMatchObject({ ok: true, chains: [{ chain: 'main', anchorSeq: 127 }] });
  });

  it('entries cut off with the checkpoints above them and the head moved back: missed without an anchor, found with it', async () => {
    const { db } = await database();
    const file = join(mkdtempSync(join(tmpdir(), 'hukou-anchor-')), ANCHOR_FILE);
    const writer = new AccessLogWriter(db, { signer, clock, checkpointEvery: 100, anchorFile: file });
    await write(writer, 0, 178);
    await writer.close();
    await cutBackTo(db, 100);
    expect((await verifyAccessLog(db, { publicKeys: keys })).ok).toBe(true); // the hole the probe found
    const report = await verifyAccessLog(db, { publicKeys: keys, anchors: readAnchors(file).anchors });
    expect(report.ok).toBe(false);
    expect(report.firstBadSeq).toBe(101);
    expect(report.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['anchor_truncated', 'anchor_checkpoint_missing']));
  });

  it('the entries after the last count checkpoint, cut off with the head moved back, are found through the interval checkpoint', async () => {
    const { db } = await database();
    const file = join(mkdtempSync(join(tmpdir(), 'hukou-anchor-')), ANCHOR_FILE);
    const writer = new AccessLogWriter(db, { signer, clock, checkpointEvery: 100, checkpointIntervalMs: 60_000, anchorFile: file });
    await write(writer, 0, 130);
    clock.advance(60_000);
    await writer.checkpointIfDue();
    await cutBackTo(db, 100); // the 30 after the checkpoint at 100
    const report = await verifyAccessLog(db, { publicKeys: keys, anchors: readAnchors(file).anchors });
    expect(report).toMatchObject({ ok: false, firstBadSeq: 101 });
    await writer.close();
  });

  it('a rewritten entry at the anchored position and a forged anchor are both reported', async () => {
    const { db } = await database();
    const file = join(mkdtempSync(join(tmpdir(), 'hukou-anchor-')), ANCHOR_FILE);
    const writer = new AccessLogWriter(db, { signer, clock, checkpointEvery: 10, anchorFile: file });
    await write(writer, 0, 10);
    await writer.close();
    const [anchor] = readAnchors(file).anchors;
    const forged = { ...anchor!, seq: 11 };
    const report = await verifyAccessLog(db, { publicKeys: keys, anchors: [{ ...anchor!, hash: 'ab'.repeat(32) }, forged] });
    expect(report.problems.map((p) => p.kind).sort()).toEqual(['anchor_signature', 'anchor_signature']);
    const untrusted = await verifyAccessLog(db, { publicKeys: new Map(), anchors: [anchor!] });
    expect(untrusted.problems.map((p) => p.kind)).toContain('anchor_signature');
  });
});

describe('`hukou audit checkpoint export` and `hukou audit verify --anchor`', () => {
  it('exports the newest anchor to a witness; with the local anchor file gone too, verify against the witness exits 1 on a cut-off log', async () => {
    const tdb = await database();
    const dataDir = mkdtempSync(join(tmpdir(), 'hukou-anchor-cli-'));
    writeFileSync(join(dataDir, SIGNING_KEY_FILE), signer.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
    const writer = new AccessLogWriter(tdb.db, { signer, clock, checkpointEvery: 20, anchorFile: join(dataDir, ANCHOR_FILE) });
    await write(writer, 0, 45);
    await writer.close();
    const env = { DATABASE_URL: tdb.url, HUKOU_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };

    const witness = join(mkdtempSync(join(tmpdir(), 'hukou-witness-')), 'witness.jsonl');
    const exported = await runHukou(['audit', 'checkpoint', 'export', '--out', witness, '--json'], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readAnchors(witness).anchors.map((a) => a.seq)).toEqual([45]);

    const intact = await runHukou(['audit', 'verify', '--json', '--anchor', witness], env);
    expect(intact.code, intact.stderr).toBe(0);
    expect(JSON.parse(intact.stdout)).toMatchObject({ ok: true, chains: [{ anchorSeq: 45 }] });

    await cutBackTo(tdb.db, 20);
    rmSync(join(dataDir, ANCHOR_FILE)); // the attacker removes the local anchor file as well
    expect(existsSync(join(dataDir, ANCHOR_FILE))).toBe(false);
    const cut = await runHukou(['audit', 'verify', '--json', '--anchor', witness], env);
    expect(cut.code).toBe(1);
    expect(JSON.parse(cut.stdout)).toMatchObject({ ok: false, firstBadSeq: 21 });
    expect(readFileSync(witness, 'utf8')).toContain('"seq":45');
  }, 90_000);
});
