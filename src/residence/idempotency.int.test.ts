import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { ctxOn, newPerson, PLACE, refusal, station } from '../../test/persons.ts';
import type { Db } from '../platform/db/database.ts';
import { endorsePermit } from './endorsement.service.ts';
import { applyForPermit, closePermit, issuePermit } from './permit.service.ts';
import { endResidenceRegistration, registerResidence } from './registration.service.ts';

/** Client idempotency keys on the residence writes (src/platform/db/idempotency.ts). */

let tdb: TestDatabase;
let db: Db;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
});
afterAll(async () => {
  await tdb?.close();
});

const BEIJING = station(PLACE.beijingChaoyang);


async function rowCounts() {
  const n = async (t: 'residence_registration' | 'residence_permit' | 'residence_event' | 'residence_permit_endorsement' | 'idempotent_request') =>
    Number((await db.selectFrom(t).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  return {
    registrations: await n('residence_registration'),
    permits: await n('residence_permit'),
    events: await n('residence_event'),
    endorsements: await n('residence_permit_endorsement'),
    answers: await n('idempotent_request'),
  };
}


describe('idempotency keys on residence writes', () => {
  it('replays the first answer of a residence registration to a retry with the same key, writing nothing', async () => {
    const person = await newPerson(db, { birthDate: '1990-06-01' });
    const input = { idNumber: person.idNumber, authorityId: BEIJING, address: '建国路10号', idempotencyKey: 'res-register-1' };
    const first = await registerResidence(ctxOn(db, '2024-01-01'), input);
    const before = await rowCounts();
    // Without the key the retry would be RESIDENCE_ALREADY_REGISTERED.
    const retry = await registerResidence(ctxOn(db, '2024-01-01'), input);
    expect(retry).toEqual(first);
    expect(await rowCounts()).toEqual(before);
  });

  it('replays an endorsement (permit updated, endorsement and event appended) without endorsing twice', async () => {
    const person = await newPerson(db, { birthDate: '1990-06-02' });
    await registerResidence(ctxOn(db, '2022-01-01'), { idNumber: person.idNumber, authorityId: BEIJING, address: '建国路11号' });
    const permit = await applyForPermit(ctxOn(db, '2022-07-01'), { idNumber: person.idNumber, authorityId: BEIJING, basis: 'employment', basisEvidence: '劳动合同' });
    await issuePermit(ctxOn(db, '2022-07-10'), { permitId: permit.id, idempotencyKey: 'res-issue-1' });

    const first = await endorsePermit(ctxOn(db, '2023-06-20'), { permitId: permit.id, authorityId: BEIJING, idempotencyKey: 'res-endorse-1' });
    expect(first.endorsement).toMatchObject({ late: false, anniversary: '2023-07-10' });
    const before = await rowCounts();
    expect(await endorsePermit(ctxOn(db, '2023-06-20'), { permitId: permit.id, authorityId: BEIJING, idempotencyKey: 'res-endorse-1' })).toEqual(first);
    expect(await rowCounts()).toEqual(before);
    // A new key is a new request: the next window has not opened.
    expect((await refusal(endorsePermit(ctxOn(db, '2023-06-20'), { permitId: permit.id, authorityId: BEIJING, idempotencyKey: 'res-endorse-2' }))).code).toBe('ENDORSEMENT_NOT_DUE');
  });

  it('refuses a key reused for another request of the same operation (person B with person A\'s key), writing nothing', async () => {
    const a = await newPerson(db, { birthDate: '1990-06-04' });
    const b = await newPerson(db, { birthDate: '1990-06-05' });
    const first = await registerResidence(ctxOn(db, '2024-01-01'), { idNumber: a.idNumber, authorityId: BEIJING, address: '建国路13号', idempotencyKey: 'res-same-key' });
    const before = await rowCounts();
    const e = await refusal(registerResidence(ctxOn(db, '2024-01-01'), { idNumber: b.idNumber, authorityId: BEIJING, address: '建国路14号', idempotencyKey: 'res-same-key' }));
    expect(e.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(e.details).toEqual({ idempotencyKey: 'res-same-key', operation: 'registerResidence' });
    expect(await rowCounts()).toEqual(before);
    // the same request, its fields in another order, is a retry
    expect(await registerResidence(ctxOn(db, '2024-01-01'), { idempotencyKey: 'res-same-key', address: '建国路13号', authorityId: BEIJING, idNumber: a.idNumber })).toEqual(first);
  });

  it('refuses a key reused for another operation with 409 IDEMPOTENCY_KEY_REUSED, writing nothing', async () => {
    const person = await newPerson(db, { birthDate: '1990-06-03' });
    const reg = await registerResidence(ctxOn(db, '2023-01-01'), { idNumber: person.idNumber, authorityId: BEIJING, address: '建国路12号' });
    const permit = await applyForPermit(ctxOn(db, '2023-07-01'), { idNumber: person.idNumber, authorityId: BEIJING, basis: 'study', basisEvidence: '学籍', idempotencyKey: 'res-reused-1' });
    const before = await rowCounts();

    for (const attempt of [
      () => issuePermit(ctxOn(db, '2023-07-05'), { permitId: permit.id, idempotencyKey: 'res-reused-1' }),
      () => closePermit(ctxOn(db, '2023-07-05'), { permitId: permit.id, reason: '材料不全', as: 'rejected', idempotencyKey: 'res-reused-1' }),
      () => endResidenceRegistration(ctxOn(db, '2023-07-05'), { registrationId: reg.id, reason: '离开北京', idempotencyKey: 'res-reused-1' }),
    ]) {
      const e = await refusal(attempt());
      expect(e.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(e.details).toEqual({ idempotencyKey: 'res-reused-1', operation: 'applyForPermit' });
    }
    expect(await rowCounts()).toEqual(before);

    // Refusing and cancelling are different operations under one service.
    await closePermit(ctxOn(db, '2023-07-05'), { permitId: permit.id, reason: '材料不全', as: 'rejected', idempotencyKey: 'res-close-1' });
    expect((await refusal(closePermit(ctxOn(db, '2023-07-05'), { permitId: permit.id, reason: '材料不全', as: 'cancelled', idempotencyKey: 'res-close-1' }))).details).toEqual({
      idempotencyKey: 'res-close-1',
      operation: 'rejectPermit',
    });
  });

  it('never replays one actor’s answer to another actor sending the same key', async () => {
    const person = await newPerson(db, { birthDate: '1990-06-04' });
    const other = await newPerson(db, { birthDate: '1990-06-05' });
    const key = 'res-shared-key';
    const mine = await registerResidence(ctxOn(db, '2024-02-01', 'officer-a'), { idNumber: person.idNumber, authorityId: BEIJING, address: '朝阳路20号', idempotencyKey: key });

    // The same request from another officer is decided afresh: the person is registered already.
    const theirs = await refusal(registerResidence(ctxOn(db, '2024-02-01', 'officer-b'), { idNumber: person.idNumber, authorityId: BEIJING, address: '朝阳路20号', idempotencyKey: key }));
    expect(theirs.code).toBe('RESIDENCE_ALREADY_REGISTERED');
    const own = await registerResidence(ctxOn(db, '2024-02-01', 'officer-b'), { idNumber: other.idNumber, authorityId: BEIJING, address: '朝阳路21号', idempotencyKey: key });
    expect(own.id).not.toBe(mine.id);
    expect(own.address).toBe('朝阳路21号');
    expect(await registerResidence(ctxOn(db, '2024-02-02', 'officer-a'), { idNumber: person.idNumber, authorityId: BEIJING, address: '朝阳路20号', idempotencyKey: key })).toEqual(mine);
  });
});
