import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { runHukou } from '../../test/cli.ts';
import { insertPersonWithHukou, logIn, movableClock, personReadRoute, type Session } from '../../test/access-fixtures.ts';
import { buildApp } from '../app/build-app.ts';
import { createAccount, seedDemoAccounts, SYSTEM_ACTOR, type DemoAccount } from '../access/index.ts';
import type { AccessEntry } from './chain.ts';
import { generateSigner } from './signing.ts';
import { verifyAccessLog } from './verify.ts';
import { AccessLogWriter } from './writer.ts';

let tdb: TestDatabase;
let app: FastifyInstance;
let demo: DemoAccount[];
const signer = generateSigner();
const clock = movableClock('2025-03-01T08:00:00Z');
const keys = () => new Map([[signer.keyId, signer.publicKey]]);

function entry(i: number): AccessEntry {
  return {
    at: clock.now(),
    actorId: `user:${i % 7}`,
    accountId: i % 7,
    role: 'registration_officer',
    authorityId: 'county-110105',
    purpose: `case:T-${i}`,
    action: 'person.read',
    subjectKind: 'person',
    subjectRef: `ref-${i}`,
    personIds: [i],
    householdIds: [],
    fields: ['name'],
    outcome: 'returned',
    requestId: `req-${i}`,
  };
}

async function lastEntry() {
  return tdb.db.selectFrom('access_log').select(['seq', 'actor_id', 'purpose', 'action', 'subject_ref', 'person_ids', 'fields', 'outcome', 'request_id']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
}

/** Runs `fn` with the append-only trigger off: what an attacker with database superuser rights could do. */
async function tamper(fn: () => Promise<unknown>): Promise<void> {
  await sql`alter table access_log disable trigger access_log_append_only`.execute(tdb.db);
  try {
    await fn();
  } finally {
    await sql`alter table access_log enable trigger access_log_append_only`.execute(tdb.db);
  }
}

let officer: Session;
let outsider: Session;
let inArea: Awaited<ReturnType<typeof insertPersonWithHukou>>;
let outOfArea: Awaited<ReturnType<typeof insertPersonWithHukou>>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  inArea = await insertPersonWithHukou(tdb.db, { townshipCode: '110105001', name: '张晓明' });
  outOfArea = await insertPersonWithHukou(tdb.db, { townshipCode: '110105002', name: '王芳' });
  app = await buildApp({ db: tdb.db, logger: false, clock, auditSigner: signer });
  await app.register(personReadRoute(tdb.db, { prefix: '/api/v1/test/persons', logged: true }));
  demo = await seedDemoAccounts(tdb.db, clock); // the citizen is linked to the first person: inArea
  const counter = demo.find((d) => d.role === 'counter_officer')!; // station-110105001
  officer = await logIn(app, counter.username, counter.password!, counter.totpSecret, clock);
  const other = await seedOtherStationOfficer();
  outsider = await logIn(app, 'station2.officer', 'station-two-officer', other, clock);
});

async function seedOtherStationOfficer(): Promise<string> {
  const created = await createAccount(
    { db: tdb.db, clock, actor: SYSTEM_ACTOR },
    { username: 'station2.officer', displayName: 'x', role: 'counter_officer', authorityId: 'station-110105002', password: 'station-two-officer' },
  );
  return created.totp!.secret;
}

afterAll(async () => {
  await app?.close();
  await tdb?.close();
});

describe('reads through an access-logged route', () => {
  it('an officer reading a person in their area with a purpose gets the record, and the entry is already committed', async () => {
    const res = await app.inject({ url: `/api/v1/test/persons/${inArea.idNumber}`, headers: { ...officer.headers, 'x-purpose': 'case:JW-2025-0042' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ idNumber: inArea.idNumber, name: '张晓明', sex: expect.any(String), birthDate: '1990-01-01' });
    const e = await lastEntry();
    expect(e).toMatchObject({
      actor_id: expect.stringMatching(/^user:\d+$/),
      purpose: 'case:JW-2025-0042',
      action: 'person.read',
      subject_ref: inArea.idNumber,
      fields: ['birthDate', 'idNumber', 'name', 'sex'],
      outcome: 'returned',
      request_id: res.headers['x-request-id'],
    });
    expect(e.person_ids.map(Number)).toEqual([inArea.personId]);
  });

  it('without a purpose: PURPOSE_REQUIRED, nothing returned, and the refusal is logged', async () => {
    const res = await app.inject({ url: `/api/v1/test/persons/${inArea.idNumber}`, headers: officer.headers });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('PURPOSE_REQUIRED');
    expect(res.body).not.toContain('张晓明');
    expect(await lastEntry()).toMatchObject({ outcome: 'PURPOSE_REQUIRED', subject_ref: inArea.idNumber, fields: [], person_ids: [] });
    const malformed = await app.inject({ url: `/api/v1/test/persons/${inArea.idNumber}`, headers: { ...officer.headers, 'x-purpose': 'because I can' } });
    expect(malformed.json().error.code).toBe('PURPOSE_REQUIRED');
  });

  it('a person outside the jurisdiction is NOT_FOUND, exactly like a number nobody holds, and logged', async () => {
    const outside = await app.inject({ url: `/api/v1/test/persons/${outOfArea.idNumber}`, headers: { ...officer.headers, 'x-purpose': 'case:JW-1' } });
    expect(outside.statusCode).toBe(404);
    expect(await lastEntry()).toMatchObject({ outcome: 'NOT_FOUND', subject_ref: outOfArea.idNumber, person_ids: [] });
    const nobody = await app.inject({ url: '/api/v1/test/persons/11010519491231002X', headers: { ...officer.headers, 'x-purpose': 'case:JW-1' } });
    expect(nobody.statusCode).toBe(404);
    expect(outside.json().error.message.replace(outOfArea.idNumber, 'N')).toBe(nobody.json().error.message.replace('11010519491231002X', 'N'));
    // the other station sees its own person
    const own = await app.inject({ url: `/api/v1/test/persons/${outOfArea.idNumber}`, headers: { ...outsider.headers, 'x-purpose': 'case:JW-2' } });
    expect(own.statusCode).toBe(200);
  });

  it('statisticians and administrators are refused at role level (FORBIDDEN), and logged', async () => {
    const s = demo.find((d) => d.role === 'statistician')!;
    const stat = await logIn(app, s.username, s.password!);
    const res = await app.inject({ url: `/api/v1/test/persons/${inArea.idNumber}`, headers: { ...stat.headers, 'x-purpose': 'case:X' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect(await lastEntry()).toMatchObject({ outcome: 'FORBIDDEN', subject_ref: inArea.idNumber });
  });

  it('anonymous calls are refused before any lookup and not logged', async () => {
    const before = (await lastEntry()).seq;
    const res = await app.inject({ url: `/api/v1/test/persons/${inArea.idNumber}` });
    expect(res.statusCode).toBe(401);
    expect((await lastEntry()).seq).toBe(before);
  });

  it('when the log cannot be written the record is withheld: ACCESS_LOG_UNAVAILABLE', async () => {
    await sql`create function refuse_access_log() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`.execute(tdb.db);
    await sql`create trigger refuse_access_log before insert on access_log for each row execute function refuse_access_log()`.execute(tdb.db);
    try {
      const res = await app.inject({ url: `/api/v1/test/persons/${inArea.idNumber}`, headers: { ...officer.headers, 'x-purpose': 'case:JW-3' } });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('ACCESS_LOG_UNAVAILABLE');
      expect(res.body).not.toContain('张晓明');
      expect(res.body).not.toContain(inArea.idNumber);
    } finally {
      await sql`drop trigger refuse_access_log on access_log`.execute(tdb.db);
      await sql`drop function refuse_access_log()`.execute(tdb.db);
    }
  });
});

describe('personal-data rate limit', () => {
  it('refuses reads beyond the per-account budget with RATE_LIMITED and Retry-After, and logs the refusal', async () => {
    const limited = await buildApp({ db: tdb.db, logger: false, clock, accessSettings: { personalReads: { perMinute: 60, burst: 2 } } });
    await limited.register(personReadRoute(tdb.db, { prefix: '/api/v1/test/persons', logged: true }));
    try {
      const read = () => limited.inject({ url: `/api/v1/test/persons/${inArea.idNumber}`, headers: { ...officer.headers, 'x-purpose': 'case:RL-1' } });
      expect([(await read()).statusCode, (await read()).statusCode]).toEqual([200, 200]);
      const third = await read();
      expect(third.statusCode).toBe(429);
      expect(third.json().error.code).toBe('RATE_LIMITED');
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      expect(await lastEntry()).toMatchObject({ outcome: 'RATE_LIMITED', subject_ref: inArea.idNumber });
      clock.advance(1000);
      expect((await read()).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('the citizen trail: who looked at my data', () => {
  it('lists reads and refused lookups of my record and my registration events, newest first', async () => {
    await tdb.db
      .insertInto('registration_event')
      .values({ person_id: inArea.personId, kind: 'move_in', occurred_on: '2024-05-01', actor_id: 'user:99', authority_id: 'station-110105001', legal_basis: '户口登记条例 第十三条', recorded_at: new Date('2024-05-01T02:00:00Z') })
      .execute();
    const c = demo.find((d) => d.role === 'citizen')!;
    expect(c.personId).toBe(inArea.personId);
    const citizen = await logIn(app, c.username, c.password!);
    const res = await app.inject({ url: '/api/v1/me/access-log', headers: citizen.headers });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: { kind: string; action: string; outcome: string; purpose: string | null; authority: string | null; fields: { field: string; en: string; zh: string }[]; at: string; date: string; time: string }[] }>();
    // no internal ids: no person id, no actor ids
    expect(JSON.stringify(body)).not.toMatch(/"personId"|"actorId"|user:[0-9]/);
    const reads = body.items.filter((i) => i.kind === 'access');
    expect(reads.map((r) => r.outcome)).toEqual(expect.arrayContaining(['returned', 'PURPOSE_REQUIRED', 'FORBIDDEN']));
    const read = reads.find((r) => r.purpose === 'case:JW-2025-0042' && r.outcome === 'returned')!;
    expect(read).toMatchObject({ action: 'person.read', authority: '建外街道派出所', actionWords: { en: 'read your record', zh: '查阅了您的户籍信息' }, byYou: false });
    expect(read.fields.map((f) => `${f.en}/${f.zh}`)).toEqual(['date of birth/出生日期', 'ID number/公民身份号码', 'name/姓名', 'sex/性别']);
    expect(read.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(read.at).toBe(`${read.date}T${read.time}+08:00`);
    // 2024-05-01T02:00Z is 10:00 in Beijing
    expect(body.items.at(-1)).toMatchObject({ kind: 'registration_event', action: 'move_in', outcome: 'recorded', at: '2024-05-01T10:00:00+08:00', date: '2024-05-01', time: '10:00:00' });
    // nothing about the other person
    expect(JSON.stringify(body)).not.toContain(outOfArea.idNumber);
    // officers have no trail of their own here
    expect((await app.inject({ url: '/api/v1/me/access-log', headers: officer.headers })).json().error.code).toBe('FORBIDDEN');
  });
});

describe('the citizen trail shows every role that looked', () => {
  it('a department client checking my card appears in my trail (the check is logged in id_card_check, not the access log)', async () => {
    const dept = demo.find((d) => d.role === 'department_client')!;
    const check = await app.inject({ method: 'POST', url: '/api/v1/id-cards/check', headers: { authorization: `Bearer ${dept.apiToken}` }, payload: { idNumber: inArea.idNumber, validFrom: '2020-01-01' } });
    expect(check.statusCode).toBe(200);
    const { reference } = check.json<{ reference: string }>();
    const c = demo.find((d) => d.role === 'citizen')!;
    const citizen = await logIn(app, c.username, c.password!);
    const items = (await app.inject({ url: '/api/v1/me/access-log', headers: citizen.headers })).json<{ items: Record<string, unknown>[] }>().items;
    expect(items).toEqual(
      expect.arrayContaining([expect.objectContaining({
          kind: 'card_check',
          reference: `card-check:${reference}`,
          role: { en: 'department system', zh: '部门接口' },
          action: 'idcard.check',
          fields: [{ field: 'valid', en: 'whether your ID card is valid', zh: '身份证是否有效' }],
        })]),
    );
  });
});

describe('the chain under concurrency', () => {
  it('500 concurrent writes through two writers (two "processes") form one linear chain', async () => {
    const before = await tdb.db.selectFrom('access_log_head').select('seq').where('chain', '=', 'main').executeTakeFirstOrThrow();
    const a = new AccessLogWriter(tdb.db, { signer, clock, checkpointEvery: 100 });
    const b = new AccessLogWriter(tdb.db, { signer, clock, checkpointEvery: 100 });
    const seqs = await Promise.all(Array.from({ length: 500 }, (_, i) => (i % 2 ? a : b).append(entry(i))));
    await Promise.all([a.close(), b.close()]);
    expect(new Set(seqs).size).toBe(500);
    expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 500 }, (_, i) => before.seq + 1 + i));
    const rows = await tdb.db.selectFrom('access_log').select(['seq', 'prev_hash', 'hash']).orderBy('seq').execute();
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash.equals(rows[i - 1]!.hash)).toBe(true);
    const report = await verifyAccessLog(tdb.db, { publicKeys: keys() });
    expect(report).toMatchObject({ ok: true, firstBadSeq: null });
    expect(report.chains[0]!.checkpoints).toBeGreaterThanOrEqual(1);
    expect(report.chains[0]!.checkpointsVerified).toBe(report.chains[0]!.checkpoints);
  });
});

describe('the one-round-trip append', () => {
  it('alternating writers each find the head moved by the other, fall back to the lock, and still form one chain', async () => {
    const before = await tdb.db.selectFrom('access_log_head').select('seq').where('chain', '=', 'main').executeTakeFirstOrThrow();
    const a = new AccessLogWriter(tdb.db, { signer, clock, checkpointEvery: 7 });
    const b = new AccessLogWriter(tdb.db, { signer: null, clock });
    const seqs: number[] = [];
    // runs of three on one writer (the later two chain onto its own head in one statement), then the other
    for (let i = 0; i < 60; i++) seqs.push(await (Math.floor(i / 3) % 2 ? a : b).append(entry(1000 + i)));
    await Promise.all([a.close(), b.close()]);
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => before.seq + 1 + i));
    const report = await verifyAccessLog(tdb.db, { publicKeys: keys() });
    expect(report).toMatchObject({ ok: true, firstBadSeq: null });
    expect(report.chains[0]!.checkpointsVerified).toBe(report.chains[0]!.checkpoints);
    const head = await tdb.db.selectFrom('access_log_head').select('seq').where('chain', '=', 'main').executeTakeFirstOrThrow();
    expect(head.seq).toBe(before.seq + 60);
  });
});

describe('audit verify', () => {
  it('finds an edited entry', async () => {
    const original = await tdb.db.selectFrom('access_log').select(['purpose']).where('seq', '=', 5).executeTakeFirstOrThrow();
    await tamper(() => tdb.db.updateTable('access_log').set({ purpose: 'case:innocent' }).where('seq', '=', 5).execute());
    try {
      const report = await verifyAccessLog(tdb.db, { publicKeys: keys() });
      expect(report.ok).toBe(false);
      expect(report.firstBadSeq).toBe(5);
      expect(report.problems).toEqual([expect.objectContaining({ seq: 5, kind: 'altered' })]);
    } finally {
      await tamper(() => tdb.db.updateTable('access_log').set({ purpose: original.purpose }).where('seq', '=', 5).execute());
    }
    expect((await verifyAccessLog(tdb.db, { publicKeys: keys() })).ok).toBe(true);
  });

  it('finds a deleted entry', async () => {
    const row = await tdb.db.selectFrom('access_log').selectAll().where('seq', '=', 8).executeTakeFirstOrThrow();
    await tamper(() => tdb.db.deleteFrom('access_log').where('seq', '=', 8).execute());
    try {
      const report = await verifyAccessLog(tdb.db, { publicKeys: keys() });
      expect(report.firstBadSeq).toBe(8);
      expect(report.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['missing', 'broken_link']));
    } finally {
      await tdb.db.insertInto('access_log').values({ ...row, person_ids: row.person_ids.map(Number), household_ids: row.household_ids.map(Number) }).execute();
    }
    expect((await verifyAccessLog(tdb.db, { publicKeys: keys() })).ok).toBe(true);
  });

  it('finds a reordered pair', async () => {
    const swap = () =>
      tamper(async () => {
        await tdb.db.updateTable('access_log').set({ seq: 1_000_000 }).where('seq', '=', 11).execute();
        await tdb.db.updateTable('access_log').set({ seq: 11 }).where('seq', '=', 12).execute();
        await tdb.db.updateTable('access_log').set({ seq: 12 }).where('seq', '=', 1_000_000).execute();
      });
    await swap();
    try {
      const report = await verifyAccessLog(tdb.db, { publicKeys: keys() });
      expect(report.firstBadSeq).toBe(11);
      expect(report.problems.filter((p) => p.seq === 11).map((p) => p.kind)).toEqual(expect.arrayContaining(['broken_link', 'altered']));
    } finally {
      await swap();
    }
    expect((await verifyAccessLog(tdb.db, { publicKeys: keys() })).ok).toBe(true);
  });

  it('finds an inserted entry', async () => {
    const { entryHash } = await import('./chain.ts');
    const { pageOfChain } = await import('./audit.queries.ts');
    const [at20] = await pageOfChain(tdb.db, 'main', 19, 1);
    const head = await tdb.db.selectFrom('access_log_head').select('seq').executeTakeFirstOrThrow();
    // a well-formed forged entry linked to entry 20, inserted at 21 with everything after shifted up
    const forged = { ...at20!, seq: 21, subjectRef: 'forged', prevHash: at20!.hash };
    const forgedHash = entryHash(forged, 'main', 21, at20!.hash);
    await tamper(async () => {
      await sql`alter table access_log drop constraint access_log_chain_prev_hash_key`.execute(tdb.db);
      await sql`update access_log set seq = seq + 1000000 where seq > 20`.execute(tdb.db);
      await sql`update access_log set seq = seq - 1000000 + 1 where seq > 1000000`.execute(tdb.db);
      await sql`insert into access_log (chain, seq, at, actor_id, account_id, role, authority_id, purpose, action, subject_kind, subject_ref, person_ids, household_ids, fields, outcome, request_id, prev_hash, hash)
                select chain, 21, at, actor_id, account_id, role, authority_id, purpose, action, subject_kind, 'forged', person_ids, household_ids, fields, outcome, request_id, ${at20!.hash}, ${forgedHash}
                from access_log where seq = 20`.execute(tdb.db);
    });
    try {
      const report = await verifyAccessLog(tdb.db, { publicKeys: keys() });
      expect(report.ok).toBe(false);
      // the forged entry itself is well formed; the chain breaks right after it, and the head no longer matches
      expect(report.firstBadSeq).toBe(22);
      expect(report.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['broken_link', 'head_mismatch']));
    } finally {
      await tamper(async () => {
        await tdb.db.deleteFrom('access_log').where('seq', '=', 21).execute();
        await sql`update access_log set seq = seq + 1000000 where seq > 21`.execute(tdb.db);
        await sql`update access_log set seq = seq - 1000000 - 1 where seq > 1000000`.execute(tdb.db);
        await sql`alter table access_log add constraint access_log_chain_prev_hash_key unique (chain, prev_hash)`.execute(tdb.db);
      });
    }
    expect((await tdb.db.selectFrom('access_log_head').select('seq').executeTakeFirstOrThrow()).seq).toBe(head.seq);
    expect((await verifyAccessLog(tdb.db, { publicKeys: keys() })).ok).toBe(true);
  });

  it('`hukou audit verify --json` exits 0 on an intact log, 1 with the first bad sequence number on a tampered one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hukou-audit-'));
    const pub = join(dir, 'pub.pem');
    writeFileSync(pub, signer.publicKey.export({ type: 'spki', format: 'pem' }));
    const verify = () => runHukou(['audit', 'verify', '--json', '--public-key', pub], { DATABASE_URL: tdb.url, HUKOU_DATA_DIR: dir, LOG_LEVEL: 'silent' });
    const intact = await verify();
    expect(intact.code).toBe(0);
    expect(JSON.parse(intact.stdout)).toMatchObject({ ok: true, firstBadSeq: null });
    const original = await tdb.db.selectFrom('access_log').select(['outcome']).where('seq', '=', 3).executeTakeFirstOrThrow();
    await tamper(() => tdb.db.updateTable('access_log').set({ outcome: 'NOT_FOUND' }).where('seq', '=', 3).execute());
    try {
      const broken = await verify();
      expect(broken.code).toBe(1);
      expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, firstBadSeq: 3, problems: [{ seq: 3, kind: 'altered' }] });
    } finally {
      await tamper(() => tdb.db.updateTable('access_log').set({ outcome: original.outcome }).where('seq', '=', 3).execute());
    }
  }, 60_000);

  it('finds a chain whose head row was deleted (no trigger guards it): its entries and checkpoints are still walked', async () => {
    const head = await tdb.db.selectFrom('access_log_head').select(['chain', 'seq', 'hash']).where('chain', '=', 'main').executeTakeFirstOrThrow();
    expect(head.seq).toBeGreaterThan(0);
    await tdb.db.deleteFrom('access_log_head').where('chain', '=', 'main').execute();
    try {
      const report = await verifyAccessLog(tdb.db, { publicKeys: keys() });
      expect(report.ok).toBe(false);
      expect(report.chains.map((c) => c.chain)).toContain('main');
      expect(report.problems).toEqual(expect.arrayContaining([expect.objectContaining({ chain: 'main', kind: 'head_mismatch' })]));
    } finally {
      await tdb.db.insertInto('access_log_head').values(head).execute();
    }
    expect((await verifyAccessLog(tdb.db, { publicKeys: keys() })).ok).toBe(true);
  });

  // Last: it leaves the log rewritten.
  it('a rewritten chain (every hash recomputed) is caught by the signed checkpoints', async () => {
    const { entryHash, GENESIS_HASH } = await import('./chain.ts');
    const { pageOfChain } = await import('./audit.queries.ts');
    const all = await pageOfChain(tdb.db, 'main', 0, 100_000);
    const forged = all.map((e) => (e.seq === 3 ? { ...e, purpose: 'case:rewritten' } : e));
    let prev: Buffer = GENESIS_HASH;
    const rehashed = forged.map((e) => {
      const hash = entryHash(e, 'main', e.seq, prev);
      const out = { ...e, prevHash: prev, hash };
      prev = hash;
      return out;
    });
    await tamper(async () => {
      await sql`alter table access_log drop constraint access_log_chain_prev_hash_key`.execute(tdb.db);
      for (const e of rehashed) await tdb.db.updateTable('access_log').set({ purpose: e.purpose, prev_hash: e.prevHash, hash: e.hash }).where('seq', '=', e.seq).execute();
      await tdb.db.updateTable('access_log_head').set({ hash: prev }).execute();
      await sql`alter table access_log add constraint access_log_chain_prev_hash_key unique (chain, prev_hash)`.execute(tdb.db);
    });
    const report = await verifyAccessLog(tdb.db, { publicKeys: keys() });
    expect(report.ok).toBe(false);
    expect(report.problems.length).toBeGreaterThan(0);
    expect(report.problems.map((p) => `${p.kind}`)).toEqual(report.problems.map(() => 'checkpoint_mismatch'));
    // and with a key it does not trust, verify says so
    const stranger = await verifyAccessLog(tdb.db, { publicKeys: new Map() });
    expect(stranger.problems.map((p) => p.kind)).toContain('checkpoint_unknown_key');
  });

});
