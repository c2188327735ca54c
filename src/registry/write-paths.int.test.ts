import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { PLACE, station } from '../../test/persons.ts';
import { fixedClock } from '../platform/clock.ts';
import { registerResidence } from '../residence/index.ts';
import type { ServiceContext } from '../platform/context.ts';
import { registerBirth } from './birth.service.ts';
import { changeHead } from './head.service.ts';
import { createHousehold } from './household.service.ts';
import { addMember, removeMember } from './members.service.ts';
import { correctParticulars, registerDeath } from './person.service.ts';
import { getHousehold, getPerson } from './read.service.ts';
import { splitHousehold } from './split.service.ts';
import { adultIdNumber, newFamily, testContext, TOWNSHIP, type Family, addAdult as addAdultTo } from '../../test/registry-fixtures.ts';
import { applyTransfer, approveTransfer, expireTransfers, getTransfer, moveInAtDestination, moveOutAtOrigin, runPendingSteps } from './transfer.service.ts';
import { waitForLockWaiters } from '../../test/locks.ts';

let tdb: TestDatabase;
let ctx: ServiceContext;
let later: ServiceContext;

beforeAll(async () => {
  tdb = await createTestDatabase();
  ctx = testContext(tdb.db);
  later = testContext(tdb.db, fixedClock('2024-07-16T04:00:00Z'));
});
afterAll(async () => {
  await tdb.close();
});

const householdVersion = async (n: string) => (await getHousehold(ctx, n)).version;
const personVersion = async (id: string) => (await getPerson(ctx, id)).person.version;
const count = async (table: 'person' | 'registration_event' | 'membership') =>
  (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(tdb.db)).rows[0]!.n;

const addAdult = (family: Family, relationship: string, sex: '1' | '2' = '2', name = '王芳') => addAdultTo(ctx, family, relationship, sex, name);

describe('idempotency keys under concurrency and misuse', () => {
  it('the same key sent twice at once: one birth, both answers the same', async () => {
    const family = await newFamily(ctx);
    const input = {
      householdNumber: family.householdNumber,
      expectedVersion: await householdVersion(family.householdNumber),
      name: '张并',
      sex: '1',
      birthDate: '2024-06-05',
      ethnicity: '01',
      relationship: '20',
      idempotencyKey: `concurrent-${family.householdNumber}`,
    };
    const [a, b] = await Promise.all([registerBirth(ctx, input), registerBirth(ctx, input)]);
    expect(a).toEqual(b);
    expect((await getHousehold(ctx, family.householdNumber)).members).toHaveLength(2);
  });

  it('the same key with a different request is refused with IDEMPOTENCY_KEY_REUSED and writes nothing', async () => {
    const family = await newFamily(ctx);
    const first = {
      householdNumber: family.householdNumber,
      expectedVersion: await householdVersion(family.householdNumber),
      name: '张甲',
      sex: '1',
      birthDate: '2024-06-05',
      ethnicity: '01',
      relationship: '20',
      idempotencyKey: `twins-${family.householdNumber}`,
    };
    await registerBirth(ctx, first);
    const events = await count('registration_event');
    // a second child sent with the first one's key: not a retry of that request
    const refused = await registerBirth(ctx, { ...first, name: '张乙', sex: '2', relationship: '30' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { idempotencyKey: first.idempotencyKey, operation: 'registerBirth' } });
    expect(await count('registration_event')).toBe(events);
    // the retry of the first request is still answered from the stored answer
    expect((await registerBirth(ctx, first)).person.name).toBe('张甲');
  });
});

describe('concurrent officers', () => {
  it('two concurrent registrations of one new ID number: one wins, the other 409 DUPLICATE_ID_NUMBER', async () => {
    const [x, y] = [await newFamily(ctx), await newFamily(ctx)];
    const id = adultIdNumber('1');
    const results = await Promise.allSettled(
      [x, y].map(async (f) =>
        addMember(ctx, {
          householdNumber: f.householdNumber,
          expectedVersion: await householdVersion(f.householdNumber),
          relationship: '80',
          person: { idNumber: id.idNumber, name: '赵双', sex: '1', birthDate: id.birthDate, ethnicity: '01' },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'DUPLICATE_ID_NUMBER' });
  });

  it('naming a head while that person\'s death is registered: no deadlock, never a dead head', async () => {
    const family = await newFamily(ctx);
    const son = await addAdult(family, '20', '1', '张子');
    const hv = await householdVersion(family.householdNumber);
    const pv = await personVersion(son);
    // Interleave deterministically: the head change locks the son, then the household, and waits on
    // the son's membership row (held here); the death waits for the son. Before the fix the head
    // change took the household first and needed the son last, while the death held the son and
    // waited for the household: a deadlock.
    let release!: () => void;
    let held!: () => void;
    const holding = new Promise<void>((r) => (held = r));
    const blocker = tdb.db.transaction().execute(async (trx) => {
      await sql`select m.id from membership m join person p on p.id = m.person_id where p.id_number = ${son} and m.until is null for update of m`.execute(trx);
      held();
      await new Promise<void>((r) => (release = r));
    });
    await holding;
    const head = changeHead(ctx, { householdNumber: family.householdNumber, expectedVersion: hv, newHeadIdNumber: son, relationships: [{ idNumber: family.head.idNumber, relationship: '51' }] });
    await waitForLockWaiters(tdb.db, 1);
    const death = registerDeath(ctx, { idNumber: son, expectedVersion: pv, deathDate: '2024-06-14' });
    await waitForLockWaiters(tdb.db, 2);
    release();
    await blocker;
    const [h, d] = await Promise.allSettled([head, death]);
    expect(h.status === 'rejected' ? h.reason : null).toBeNull();
    expect(d.status === 'rejected' ? d.reason : null).toBeNull();
    const booklet = await getHousehold(ctx, family.householdNumber);
    expect((await getPerson(ctx, son)).person.status).toBe('deceased');
    expect(booklet.head).toBeNull();
    expect(booklet.members.map((m) => m.idNumber)).toEqual([family.head.idNumber]);
  });

  it('concurrent splits of the same members: one wins, the other 409', async () => {
    const family = await newFamily(ctx);
    const son = await addAdult(family, '20', '1', '张分');
    const v = await householdVersion(family.householdNumber);
    const split = () =>
      splitHousehold(ctx, { householdNumber: family.householdNumber, expectedVersion: v, members: [{ idNumber: son }], newHeadIdNumber: son, townshipCode: TOWNSHIP.beijingChaoyang, address: '分户路1号' });
    const results = await Promise.allSettled([split(), split()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'VERSION_CONFLICT' });
  });
});

describe('head rules at the edges', () => {
  it('splitting off with the head leaves the source without a head; removing the last member leaves an empty household', async () => {
    const family = await newFamily(ctx);
    const wife = await addAdult(family, '10');
    const r = await splitHousehold(ctx, {
      householdNumber: family.householdNumber,
      expectedVersion: await householdVersion(family.householdNumber),
      members: [{ idNumber: family.head.idNumber }],
      newHeadIdNumber: family.head.idNumber,
      townshipCode: TOWNSHIP.beijingChaoyang,
      address: '分户路2号',
    });
    expect(r.sourceNeedsNewHead).toBe(true);
    expect((await getHousehold(ctx, family.householdNumber)).head).toBeNull();
    const removed = await removeMember(ctx, { householdNumber: family.householdNumber, idNumber: wife, expectedVersion: await personVersion(wife), cause: 'emigrated' });
    expect(removed.householdNeedsNewHead).toBe(false);
    expect((await getHousehold(ctx, family.householdNumber)).members).toEqual([]);
  });

  it('changing the head with one member listed twice in relationships is 422, nothing written', async () => {
    const family = await newFamily(ctx);
    const wife = await addAdult(family, '10');
    const son = await addAdult(family, '20', '1', '张三');
    const events = await count('registration_event');
    await expect(
      changeHead(ctx, {
        householdNumber: family.householdNumber,
        expectedVersion: await householdVersion(family.householdNumber),
        newHeadIdNumber: wife,
        relationships: [
          { idNumber: family.head.idNumber, relationship: '10' },
          { idNumber: son, relationship: '20' },
          { idNumber: son, relationship: '22' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_CODE', details: [expect.objectContaining({ field: 'relationships.2.idNumber', code: 'DUPLICATE_MEMBER' })] });
    expect(await count('registration_event')).toBe(events);
  });
});

describe('corrections that reissue the number more than once', () => {
  it('a second birth-date correction, and one back to the first date, never reuse a number', async () => {
    const family = await newFamily(ctx);
    const birth = await registerBirth(ctx, {
      householdNumber: family.householdNumber,
      expectedVersion: await householdVersion(family.householdNumber),
      name: '张三改',
      sex: '1',
      birthDate: '2024-06-10',
      ethnicity: '01',
      relationship: '20',
    });
    const first = birth.person.idNumber;
    const r1 = await correctParticulars(ctx, { idNumber: first, expectedVersion: birth.person.version, changes: { birthDate: '2024-06-09' }, reason: '出生医学证明' });
    const r2 = await correctParticulars(ctx, { idNumber: r1.person.idNumber, expectedVersion: r1.person.version, changes: { birthDate: '2024-06-10' }, reason: '出生医学证明（更正）' });
    expect(r2.previousIdNumber).toBe(r1.person.idNumber);
    expect(new Set([first, r1.person.idNumber, r2.person.idNumber]).size).toBe(3);
    expect(r2.person.idNumber.slice(0, 6)).toBe(first.slice(0, 6));
    const view = await getPerson(ctx, first);
    expect(view.person.idNumber).toBe(r2.person.idNumber);
    expect(view.idNumbers.filter((n) => n.validTo === null).map((n) => n.idNumber)).toEqual([r2.person.idNumber]);
    // the old numbers cannot be corrected any more: only the current one names the person for a change
    await expect(correctParticulars(ctx, { idNumber: first, expectedVersion: r2.person.version, changes: { name: '张四' }, reason: 'x' })).rejects.toMatchObject({ code: 'PERSON_NOT_FOUND' });
  });
});

describe('transfer compensation and races', () => {
  async function headLeaving() {
    const origin = await newFamily(ctx);
    const son = await addAdult(origin, '20', '1', '张留');
    const destination = await newFamily(ctx, { township: TOWNSHIP.shenzhenNanshan });
    const transfer = await applyTransfer(ctx, {
      idNumber: origin.head.idNumber,
      destinationHouseholdNumber: destination.householdNumber,
      relationship: '51',
      category: 'parents_join_children',
    });
    await approveTransfer(ctx, { transferId: transfer.id });
    await moveOutAtOrigin(ctx, { transferId: transfer.id });
    return { origin, son, destination, transfer };
  }

  it('an expired transfer of a head whose household named a new head meanwhile: one head, the returning person is not a second 02', async () => {
    const { origin, son, transfer } = await headLeaving();
    await changeHead(ctx, { householdNumber: origin.householdNumber, expectedVersion: await householdVersion(origin.householdNumber), newHeadIdNumber: son });
    expect((await expireTransfers(later)).expired).toContain(transfer.id);
    const booklet = await getHousehold(ctx, origin.householdNumber);
    expect(booklet.head?.idNumber).toBe(son);
    expect(booklet.members.filter((m) => m.relationship === '02').map((m) => m.idNumber)).toEqual([son]);
    expect(booklet.members.map((m) => m.idNumber).sort()).toEqual([origin.head.idNumber, son].sort());
    const expired = await getTransfer(ctx, transfer.id);
    expect(expired.events.at(-1)).toMatchObject({ data: expect.objectContaining({ originMembershipRestored: true, originNeedsRelationship: true }) });
  });

  it('expiry racing the move-in: exactly one of them happens', async () => {
    const { origin, destination, transfer } = await headLeaving();
    // the last day is 2024-07-15 (China time), ending at 16:00Z: a move-in a minute before, an expiry run a minute after
    const justBefore = testContext(tdb.db, fixedClock('2024-07-15T15:59:00Z'));
    const justAfter = testContext(tdb.db, fixedClock('2024-07-15T16:01:00Z'));
    const [moveIn, expiry] = await Promise.allSettled([moveInAtDestination(justBefore, { transferId: transfer.id }), expireTransfers(justAfter)]);
    const state = (await getTransfer(ctx, transfer.id)).state;
    const moved = moveIn.status === 'fulfilled' && moveIn.value.performed;
    const expiredIt = expiry.status === 'fulfilled' && expiry.value.expired.includes(transfer.id);
    expect(moved !== expiredIt).toBe(true);
    expect(state).toBe(moved ? 'destination_moved_in' : 'expired');
    const view = await getPerson(ctx, origin.head.idNumber);
    expect(view.household?.householdNumber).toBe(moved ? destination.householdNumber : origin.householdNumber);
    const open = await sql<{ n: number }>`select count(*)::int as n from membership m join person p on p.id = m.person_id where p.id_number = ${origin.head.idNumber} and m.until is null`.execute(tdb.db);
    expect(open.rows[0]!.n).toBe(1);
  });

  it('two approvals sent at once: one move-out and one move-in', async () => {
    const origin = await newFamily(ctx);
    const daughter = await addAdult(origin, '30');
    const destination = await newFamily(ctx, { township: TOWNSHIP.shenzhenNanshan });
    const transfer = await applyTransfer(ctx, { idNumber: daughter, destinationHouseholdNumber: destination.householdNumber, relationship: '10', category: 'spouse' });
    await Promise.all([
      approveTransfer(ctx, { transferId: transfer.id }).then(() => runPendingSteps(ctx, transfer.id)),
      approveTransfer(ctx, { transferId: transfer.id }).then(() => runPendingSteps(ctx, transfer.id)),
    ]);
    const t = await getTransfer(ctx, transfer.id);
    expect(t.state).toBe('destination_moved_in');
    expect(t.events.filter((e) => e.kind === 'transfer_in').map((e) => e.data.step)).toEqual(['applied', 'destination_approved', 'origin_moved_out', 'destination_moved_in']);
  });
});

describe('a split that moves the hukou into the residence city', () => {
  it('ends the residence registration there, as a move would (居住证暂行条例 Art. 2)', async () => {
    // hukou in Guangzhou, living (registered residence) in Shenzhen; the household splits and this member's new household is in Shenzhen
    const family = await newFamily(ctx, { township: PLACE.guangzhouLiwan });
    const id = adultIdNumber('1', '440103');
    await addMember(ctx, {
      householdNumber: family.householdNumber,
      expectedVersion: await householdVersion(family.householdNumber),
      relationship: '20',
      person: { idNumber: id.idNumber, name: '陈深', sex: '1', birthDate: id.birthDate, ethnicity: '01' },
    });
    const reg = await registerResidence(ctx, { idNumber: id.idNumber, authorityId: station(PLACE.shenzhenNanshan), address: '南山大道1号' });
    await splitHousehold(ctx, {
      householdNumber: family.householdNumber,
      expectedVersion: await householdVersion(family.householdNumber),
      members: [{ idNumber: id.idNumber }],
      newHeadIdNumber: id.idNumber,
      townshipCode: PLACE.shenzhenNanshan,
      address: '南山大道1号',
    });
    const row = await tdb.db.selectFrom('residence_registration').select(['ended_on', 'end_reason']).where('id', '=', reg.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ ended_on: expect.any(String), end_reason: 'the hukou is now in the residence city' });
  });
});

describe('names and addresses of spaces only, or too long', () => {
  it('are refused with 422 INVALID_CODE (BLANK) on births, new members, corrections, households and splits, writing nothing', async () => {
    const family = await newFamily(ctx);
    const son = await addAdult(family, '20', '1', '张实');
    const events = await count('registration_event');
    const hv = await householdVersion(family.householdNumber);
    const blank = { code: 'INVALID_CODE', details: expect.arrayContaining([expect.objectContaining({ code: 'BLANK' })]) };
    await expect(
      registerBirth(ctx, { householdNumber: family.householdNumber, expectedVersion: hv, name: '  ', sex: '1', birthDate: '2024-06-01', ethnicity: '01', relationship: '20' }),
    ).rejects.toMatchObject({ ...blank, details: [expect.objectContaining({ field: 'name', code: 'BLANK' })] });
    const id = adultIdNumber('2');
    await expect(
      addMember(ctx, { householdNumber: family.householdNumber, expectedVersion: hv, relationship: '30', person: { idNumber: id.idNumber, name: '\u3000', sex: '2', birthDate: id.birthDate, ethnicity: '01' } }),
    ).rejects.toMatchObject({ ...blank, details: [expect.objectContaining({ field: 'person.name', code: 'BLANK' })] });
    await expect(correctParticulars(ctx, { idNumber: son, expectedVersion: await personVersion(son), changes: { name: ' ' }, reason: '改名' })).rejects.toMatchObject({
      ...blank,
      details: [expect.objectContaining({ field: 'changes.name', code: 'BLANK' })],
    });
    await expect(createHousehold(ctx, { kind: 'family', townshipCode: TOWNSHIP.beijingChaoyang, address: '   ' })).rejects.toMatchObject({
      ...blank,
      details: [expect.objectContaining({ field: 'address', code: 'BLANK' })],
    });
    await expect(
      splitHousehold(ctx, { householdNumber: family.householdNumber, expectedVersion: hv, members: [{ idNumber: son }], newHeadIdNumber: son, townshipCode: TOWNSHIP.beijingChaoyang, address: ' ' }),
    ).rejects.toMatchObject({ ...blank, details: [expect.objectContaining({ field: 'address', code: 'BLANK' })] });
    expect(await count('registration_event')).toBe(events);
  });

  it('a name too long for the register (the CLI has no schema) is 422 TOO_LONG naming the field, not a database error', async () => {
    const family = await newFamily(ctx);
    await expect(
      registerBirth(ctx, {
        householdNumber: family.householdNumber,
        expectedVersion: await householdVersion(family.householdNumber),
        name: '张'.repeat(61),
        sex: '1',
        birthDate: '2024-06-01',
        ethnicity: '01',
        relationship: '20',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_CODE', details: [expect.objectContaining({ field: 'name', code: 'TOO_LONG' })] });
    await expect(createHousehold(ctx, { kind: 'family', townshipCode: TOWNSHIP.beijingChaoyang, address: '路'.repeat(201) })).rejects.toMatchObject({
      code: 'INVALID_CODE',
      details: [expect.objectContaining({ field: 'address', code: 'TOO_LONG' })],
    });
  });
});
