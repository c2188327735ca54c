import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import type { Db } from '../platform/db/database.ts';
import type { AppError } from '../platform/errors.ts';
import { lockPersonFor } from '../residence/index.ts';
import { applyForCard, CARD_LOCK } from './apply.service.ts';
import { confirmApplication, deliverCard, rejectApplication } from './decide.service.ts';
import { reportCardLost } from './loss.service.ts';
import { ctxOn, newPerson, PLACE, refusal, station } from '../../test/persons.ts';
import { holdOpen, waitForLockWaiters } from '../../test/locks.ts';

/** Client idempotency keys on the ID card writes (src/platform/db/idempotency.ts). */

let tdb: TestDatabase;
let db: Db;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
});
afterAll(async () => {
  await tdb?.close();
});

const LIWAN = station(PLACE.guangzhouLiwan);


async function writes(idNumber: string) {
  const p = await db.selectFrom('person').select('id').where('id_number', '=', idNumber).executeTakeFirstOrThrow();
  const count = async (table: 'id_card_application' | 'id_card' | 'id_card_event') =>
    Number((await db.selectFrom(table).select(sql<number>`count(*)`.as('n')).where('person_id', '=', p.id).executeTakeFirstOrThrow()).n);
  const answers = Number((await db.selectFrom('idempotent_request').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  return { applications: await count('id_card_application'), cards: await count('id_card'), events: await count('id_card_event'), answers };
}

describe('idempotency keys on ID card writes', () => {
  it('replays the first answer of an application to a retry with the same key, writing nothing', async () => {
    const person = await newPerson(db, { birthDate: '2000-01-15' });
    const input = { idNumber: person.idNumber, kind: 'first' as const, authorityId: LIWAN, idempotencyKey: 'card-apply-1' };
    const first = await applyForCard(ctxOn(db, '2024-03-01'), input);
    const before = await writes(person.idNumber);
    expect(before).toMatchObject({ applications: 1, events: 1 });

    // Without the key the retry would be APPLICATION_IN_PROGRESS; with it, the first answer, even a day later.
    const retry = await applyForCard(ctxOn(db, '2024-03-02'), input);
    expect(retry).toEqual(first);
    expect(await writes(person.idNumber)).toEqual(before);
    const stored = await db.selectFrom('idempotent_request').select(['actor_id', 'operation', 'response']).where('key', '=', 'card-apply-1').execute();
    expect(stored).toEqual([{ actor_id: 'test-officer', operation: 'applyForCard', response: first }]);
    await expect(db.deleteFrom('idempotent_request').where('key', '=', 'card-apply-1').execute(), 'answers are append-only').rejects.toThrow(/append-only/);
  });

  it('replays a confirmation (card made, events appended) without making a second card', async () => {
    const person = await newPerson(db, { birthDate: '2001-02-02' });
    const app = await applyForCard(ctxOn(db, '2024-04-01'), { idNumber: person.idNumber, kind: 'first', authorityId: LIWAN });
    const first = await confirmApplication(ctxOn(db, '2024-04-05'), { applicationId: app.id, idempotencyKey: 'card-confirm-1' });
    const before = await writes(person.idNumber);
    expect(before).toMatchObject({ cards: 1, events: 3 });
    expect(await confirmApplication(ctxOn(db, '2024-04-05'), { applicationId: app.id, idempotencyKey: 'card-confirm-1' })).toEqual(first);
    expect(await writes(person.idNumber)).toEqual(before);
    // A new key is a new request for a step already done: the application and card as they are, nothing written.
    const again = await confirmApplication(ctxOn(db, '2024-04-05'), { applicationId: app.id, idempotencyKey: 'card-confirm-2' });
    expect(again).toMatchObject({ application: { state: 'confirmed', cardId: first.card.id }, card: { id: first.card.id } });
    expect(await writes(person.idNumber)).toEqual({ ...before, answers: before.answers + 1 }); // only the new key's answer is kept
  });

  it('refuses a key reused for another operation with 409 IDEMPOTENCY_KEY_REUSED, writing nothing', async () => {
    const person = await newPerson(db, { birthDate: '1999-03-03' });
    const app = await applyForCard(ctxOn(db, '2024-05-01'), { idNumber: person.idNumber, kind: 'first', authorityId: LIWAN, idempotencyKey: 'card-reused-1' });
    await confirmApplication(ctxOn(db, '2024-05-02'), { applicationId: app.id });
    await deliverCard(ctxOn(db, '2024-05-03'), { applicationId: app.id });
    const before = await writes(person.idNumber);

    const e = await refusal(reportCardLost(ctxOn(db, '2024-06-01'), { idNumber: person.idNumber, authorityId: LIWAN, idempotencyKey: 'card-reused-1' }));
    expect(e.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(e.userMessage).toContain('use a new key');
    expect(e.details).toEqual({ idempotencyKey: 'card-reused-1', operation: 'applyForCard' });
    expect(await writes(person.idNumber)).toEqual(before);

    const lost = await reportCardLost(ctxOn(db, '2024-06-01'), { idNumber: person.idNumber, authorityId: LIWAN, idempotencyKey: 'card-lost-1' });
    expect(lost.card.status).toBe('reported_lost');
  });

  it('never replays one actor’s answer to another actor sending the same key', async () => {
    const person = await newPerson(db, { birthDate: '1998-04-04' });
    const other = await newPerson(db, { birthDate: '1998-04-05' });
    const key = 'card-shared-key';
    const mine = await applyForCard(ctxOn(db, '2024-07-01', 'officer-a'), { idNumber: person.idNumber, kind: 'first', authorityId: LIWAN, idempotencyKey: key });

    // The same request from another officer is decided afresh: the person's application is open.
    const theirs = await refusal(applyForCard(ctxOn(db, '2024-07-01', 'officer-b'), { idNumber: person.idNumber, kind: 'first', authorityId: LIWAN, idempotencyKey: key }));
    expect(theirs.code).toBe('APPLICATION_IN_PROGRESS');
    // Their own request with that key is theirs, and their retry gets their answer.
    const own = await applyForCard(ctxOn(db, '2024-07-01', 'officer-b'), { idNumber: other.idNumber, kind: 'first', authorityId: LIWAN, idempotencyKey: key });
    expect(own.id).not.toBe(mine.id);
    expect(own.idNumber).toBe(other.idNumber);
    expect(await applyForCard(ctxOn(db, '2024-07-02', 'officer-b'), { idNumber: other.idNumber, kind: 'first', authorityId: LIWAN, idempotencyKey: key })).toEqual(own);
    expect(await applyForCard(ctxOn(db, '2024-07-02', 'officer-a'), { idNumber: person.idNumber, kind: 'first', authorityId: LIWAN, idempotencyKey: key })).toEqual(mine);
  });

  it('stores no answer for a refused request: the retry with the same key is decided afresh', async () => {
    const person = await newPerson(db, { birthDate: '1997-05-05' });
    const input = { idNumber: person.idNumber, authorityId: LIWAN, idempotencyKey: 'card-refused-1' };
    expect((await refusal(reportCardLost(ctxOn(db, '2024-08-01'), input))).code).toBe('NO_VALID_CARD');
    expect(await db.selectFrom('idempotent_request').select('key').where('key', '=', 'card-refused-1').execute()).toEqual([]);

    const app = await applyForCard(ctxOn(db, '2024-08-01'), { idNumber: person.idNumber, kind: 'first', authorityId: LIWAN });
    await confirmApplication(ctxOn(db, '2024-08-02'), { applicationId: app.id });
    await deliverCard(ctxOn(db, '2024-08-02'), { applicationId: app.id });
    expect((await reportCardLost(ctxOn(db, '2024-08-03'), input)).card.status).toBe('reported_lost');
  });

  it('answers two concurrent requests with the same key once: the second waits and replays', async () => {
    const person = await newPerson(db, { birthDate: '1996-06-06' });
    const { id: personId } = await db.selectFrom('person').select('id').where('id_number', '=', person.idNumber).executeTakeFirstOrThrow();
    const input = { idNumber: person.idNumber, kind: 'first' as const, authorityId: LIWAN, idempotencyKey: 'card-concurrent-1' };

    // Another transaction holds the person's card lock until both requests are waiting for a lock,
    // so neither can have committed when the other looks for a prior answer.
    const blocker = await holdOpen(db, (trx) => lockPersonFor(trx, CARD_LOCK, personId));
    const requests = Promise.allSettled([applyForCard(ctxOn(db, '2024-09-01'), input), applyForCard(ctxOn(db, '2024-09-01'), input)]);
    await waitForLockWaiters(db, 2, { advisoryOnly: true });
    await blocker.release();

    const [a, b] = await requests;
    expect([a, b].map((r) => (r.status === 'fulfilled' ? 'answered' : (r.reason as AppError).code))).toEqual(['answered', 'answered']);
    if (a.status === 'fulfilled' && b.status === 'fulfilled') expect(b.value).toEqual(a.value);
    expect(await writes(person.idNumber)).toMatchObject({ applications: 1, events: 1 });
  });

  it('two concurrent requests with one key for different operations: one is answered, the other is IDEMPOTENCY_KEY_REUSED', async () => {
    const person = await newPerson(db, { birthDate: '1996-07-07' });
    const { id: personId } = await db.selectFrom('person').select('id').where('id_number', '=', person.idNumber).executeTakeFirstOrThrow();
    const app = await applyForCard(ctxOn(db, '2024-09-01'), { idNumber: person.idNumber, kind: 'first', authorityId: LIWAN });

    const blocker = await holdOpen(db, (trx) => lockPersonFor(trx, CARD_LOCK, personId));
    const requests = Promise.allSettled([
      confirmApplication(ctxOn(db, '2024-09-02'), { applicationId: app.id, idempotencyKey: 'card-concurrent-2' }),
      rejectApplication(ctxOn(db, '2024-09-02'), { applicationId: app.id, reason: 'documents wrong', idempotencyKey: 'card-concurrent-2' }),
    ]);
    await waitForLockWaiters(db, 2, { advisoryOnly: true });
    await blocker.release();

    const outcomes = (await requests).map((r) => (r.status === 'fulfilled' ? 'answered' : (r.reason as AppError).code));
    expect(outcomes.sort()).toEqual(['IDEMPOTENCY_KEY_REUSED', 'answered']);
    const state = await db.selectFrom('id_card_application').select('state').where('id', '=', app.id).executeTakeFirstOrThrow();
    expect(['confirmed', 'rejected']).toContain(state.state);
    expect(await db.selectFrom('idempotent_request').select('key').where('key', '=', 'card-concurrent-2').execute()).toHaveLength(1);
  });
});
