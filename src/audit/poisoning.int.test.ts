import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { insertPersonWithHukou, logIn, movableClock, type Session } from '../../test/access-fixtures.ts';
import { buildApp } from '../app/build-app.ts';
import { seedDemoAccounts } from '../access/index.ts';
import type { AccessEntry } from './chain.ts';
import { generateSigner } from './signing.ts';
import { verifyAccessLog } from './verify.ts';
import { AccessLogWriter } from './writer.ts';

/**
 * Issue #11 item 1: one malformed request cannot fail other people's requests. The probe found
 * `GET /persons/%00` failing the access-log insert (22P05) and the group commit rejecting every
 * entry of its batch, so other officers' reads answered 503, and the probe itself was never logged.
 */
let tdb: TestDatabase;
let app: FastifyInstance;
const signer = generateSigner();
const clock = movableClock('2025-03-01T08:00:00Z');
let reader: Session;
let prober: Session;
let person: Awaited<ReturnType<typeof insertPersonWithHukou>>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  person = await insertPersonWithHukou(tdb.db, { townshipCode: '110105001', name: '张晓明' });
  app = await buildApp({ db: tdb.db, logger: false, clock, auditSigner: signer });
  const demo = await seedDemoAccounts(tdb.db, clock);
  const counter = demo.find((d) => d.role === 'counter_officer')!;
  const registrar = demo.find((d) => d.role === 'registration_officer')!;
  reader = await logIn(app, counter.username, counter.password!, counter.totpSecret, clock);
  prober = await logIn(app, registrar.username, registrar.password!, registrar.totpSecret, clock);
});

afterAll(async () => {
  await app?.close();
  await tdb?.close();
});

const get = (who: Session, url: string) => app.inject({ method: 'GET', url, headers: { ...who.headers, 'x-purpose': 'case:PROBE-1' } });

describe('malformed probes next to legitimate reads', () => {
  it('every legitimate read succeeds while another account sends NUL and lone-surrogate probes to every access-logged route', async () => {
    const probes = ['/api/v1/persons/%00', '/api/v1/persons/%00/identity', '/api/v1/households/%00', '/api/v1/persons/%ED%A0%80', '/api/v1/persons?name=%00'];
    const legit = Array.from({ length: 60 }, () => get(reader, `/api/v1/persons/${person.idNumber}`));
    const bad = Array.from({ length: 60 }, (_, i) => get(prober, probes[i % probes.length]!));
    const [legitRes, badRes] = await Promise.all([Promise.all(legit), Promise.all(bad)]);
    expect(legitRes.map((r) => r.statusCode)).toEqual(legitRes.map(() => 200));
    for (const r of badRes) expect(r.statusCode, r.body).toBeLessThan(500);

    // the refused probes are in the log too, their NULs written as visible escapes
    const logged = await tdb.db.selectFrom('access_log').select(['subject_ref', 'outcome']).where('subject_ref', 'like', '%\\\\u0000%').execute();
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.every((e) => e.outcome !== 'returned')).toBe(true);
    expect(await verifyAccessLog(tdb.db, { publicKeys: new Map([[signer.keyId, signer.publicKey]]) })).toMatchObject({ ok: true });
  });
});

function entry(i: number, overrides: Partial<AccessEntry> = {}): AccessEntry {
  return {
    at: clock.now(),
    actorId: `user:${i}`,
    accountId: null,
    role: 'registration_officer',
    authorityId: 'county-110105',
    purpose: `case:T-${i}`,
    action: 'person.read',
    subjectKind: 'person',
    subjectRef: `ref-${i}`,
    personIds: [],
    householdIds: [],
    fields: [],
    outcome: 'returned',
    requestId: `req-${i}`,
    ...overrides,
  };
}

describe('group commit isolation', () => {
  it('an entry the database refuses fails alone; the rest of its batch is committed and the chain stays intact', async () => {
    const writer = new AccessLogWriter(tdb.db, { signer, clock, checkpointEvery: 5 });
    // a subject kind the table's check constraint refuses: nothing in the writer can "fix" it
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => writer.append(i === 12 ? entry(i, { subjectKind: 'bogus' as 'person' }) : entry(i))));
    await writer.close();
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(results[12]!.status).toBe('rejected');
    const seqs = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(new Set(seqs).size).toBe(29);
    expect(await verifyAccessLog(tdb.db, { publicKeys: new Map([[signer.keyId, signer.publicKey]]) })).toMatchObject({ ok: true });
  });

  it('stores NUL and unpaired surrogates in any text field as escapes, hashed as stored', async () => {
    const writer = new AccessLogWriter(tdb.db, { signer: null, clock });
    const seq = await writer.append(entry(99, { subjectRef: 'a\u0000b\ud800', purpose: 'case:\u0000', requestId: '\udc00' }));
    await writer.close();
    const row = await tdb.db.selectFrom('access_log').select(['subject_ref', 'purpose', 'request_id']).where('seq', '=', seq).executeTakeFirstOrThrow();
    expect(row).toEqual({ subject_ref: 'a\\u0000b\\ud800', purpose: 'case:\\u0000', request_id: '\\udc00' });
    expect(await verifyAccessLog(tdb.db, { publicKeys: new Map([[signer.keyId, signer.publicKey]]) })).toMatchObject({ ok: true });
  });
});
