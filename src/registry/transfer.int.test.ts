import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { fixedClock } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { changeHead } from './head.service.ts';
import { moveMember } from './move.service.ts';
import { registerDeath } from './person.service.ts';
import { getHousehold, getPerson } from './read.service.ts';
import { addAdult as addAdultTo, newFamily, testContext, TOWNSHIP, type Family } from '../../test/registry-fixtures.ts';
import {
  advanceTransfer,
  applyTransfer,
  approveTransfer,
  expireTransfers,
  getTransfer,
  moveInAtDestination,
  moveOutAtOrigin,
  rejectAtOrigin,
  rejectTransfer,
  runPendingSteps,
} from './transfer.service.ts';

let tdb: TestDatabase;
let ctx: ServiceContext;
/** The same register 31 days later: past every deadline set today. */
let later: ServiceContext;

beforeAll(async () => {
  tdb = await createTestDatabase();
  ctx = testContext(tdb.db);
  later = testContext(tdb.db, fixedClock('2024-07-16T04:00:00Z'));
});
afterAll(async () => {
  await tdb.close();
});

const personVersion = async (id: string) => (await getPerson(ctx, id)).person.version;
const householdVersion = async (n: string) => (await getHousehold(ctx, n)).version;

const addAdult = (family: Family, relationship: string, sex: '1' | '2' = '2', name = '孙丽') => addAdultTo(ctx, family, relationship, sex, name);

/** A Beijing family with a daughter applying to join a Shenzhen household as its head's spouse. */
async function application(relationship = '10') {
  const origin = await newFamily(ctx);
  const mover = await addAdult(origin, '30');
  const destination = await newFamily(ctx, { township: TOWNSHIP.shenzhenNanshan });
  const transfer = await applyTransfer(ctx, {
    idNumber: mover,
    expectedVersion: await personVersion(mover),
    destinationHouseholdNumber: destination.householdNumber,
    relationship,
    category: 'spouse',
  });
  return { origin, destination, mover, transfer };
}

describe('interprovincial transfer at the destination', () => {
  it('runs applied → destination_approved → origin_moved_out → destination_moved_in, with a trail at both ends', async () => {
    const { origin, destination, mover, transfer } = await application();
    expect(transfer).toMatchObject({ state: 'applied', nextStep: 'destination_decision', dueOn: '2024-07-15' });
    expect(transfer.origin).toMatchObject({ householdNumber: origin.householdNumber, authorityId: 'station-110105001' });
    expect(transfer.destination).toMatchObject({ householdNumber: destination.householdNumber, authorityId: 'station-440305001' });

    expect((await approveTransfer(ctx, { transferId: transfer.id })).transfer.state).toBe('destination_approved');
    const out = await moveOutAtOrigin(ctx, { transferId: transfer.id });
    expect(out.transfer.state).toBe('origin_moved_out');
    const inTransit = await getPerson(ctx, mover);
    expect(inTransit.person.status).toBe('active');
    expect(inTransit.household).toBeNull();

    const done = await moveInAtDestination(ctx, { transferId: transfer.id });
    expect(done.transfer).toMatchObject({ state: 'destination_moved_in', nextStep: null });
    const view = await getPerson(ctx, mover);
    expect(view.household).toMatchObject({ householdNumber: destination.householdNumber, relationship: '10' });
    expect(view.transfers).toEqual([expect.objectContaining({ id: transfer.id, state: 'destination_moved_in' })]);

    const trail = done.transfer.events.map((e) => [e.data.step, e.kind, e.householdNumber, e.authorityId, e.applicationId]);
    expect(trail).toEqual(
      ['applied', 'destination_approved', 'origin_moved_out', 'destination_moved_in'].flatMap((step) => [
        [step, 'transfer_out', origin.householdNumber, 'station-110105001', transfer.id],
        [step, 'transfer_in', destination.householdNumber, 'station-440305001', transfer.id],
      ]),
    );
    expect(view.timeline.filter((e) => e.applicationId === transfer.id)).toHaveLength(8);
    expect((await getHousehold(ctx, origin.householdNumber)).members.map((m) => m.idNumber)).not.toContain(mover);
  });

  it('makes every step idempotent: repeating a done step changes nothing and answers the same', async () => {
    const { transfer } = await application();
    await approveTransfer(ctx, { transferId: transfer.id });
    const again = await approveTransfer(ctx, { transferId: transfer.id });
    expect(again.performed).toBe(false);
    await moveOutAtOrigin(ctx, { transferId: transfer.id });
    const first = await moveInAtDestination(ctx, { transferId: transfer.id });
    const second = await moveInAtDestination(ctx, { transferId: transfer.id });
    const third = await moveOutAtOrigin(ctx, { transferId: transfer.id });
    expect(first.performed).toBe(true);
    expect(second).toEqual({ transfer: first.transfer, performed: false, personId: first.personId });
    expect(third).toEqual({ transfer: first.transfer, performed: false, personId: first.personId });
    expect((await advanceTransfer(ctx, transfer.id)).performed).toBeNull();
  });

  it('completes on retry after being interrupted between steps', async () => {
    const { destination, mover, transfer } = await application();
    await approveTransfer(ctx, { transferId: transfer.id });
    // the worker ran the move-out, then stopped before the move-in
    expect((await advanceTransfer(ctx, transfer.id)).performed).toBe('origin_move_out');
    expect((await getTransfer(ctx, transfer.id)).nextStep).toBe('destination_move_in');
    // the retry picks up where it stopped
    const retried = await advanceTransfer(ctx, transfer.id);
    expect(retried).toMatchObject({ performed: 'destination_move_in', transfer: { state: 'destination_moved_in' } });
    expect((await getPerson(ctx, mover)).household?.householdNumber).toBe(destination.householdNumber);
  });

  it('runPendingSteps drives an approved transfer to completion', async () => {
    const { transfer } = await application();
    await approveTransfer(ctx, { transferId: transfer.id });
    const r = await runPendingSteps(ctx, transfer.id);
    expect(r).toMatchObject({ stepError: null, transfer: { state: 'destination_moved_in' } });
  });

  it('compensates when the move-in fails and the deadline passes: the origin membership is restored', async () => {
    // the mover is to become head of a household whose head died; before the move-in another member is made head
    const origin = await newFamily(ctx);
    const mover = origin.head.idNumber;
    const child = await addAdult(origin, '30');
    const destination = await newFamily(ctx, { township: TOWNSHIP.shenzhenNanshan });
    const widow = await addAdult(destination, '10');
    await registerDeath(ctx, { idNumber: destination.head.idNumber, expectedVersion: await personVersion(destination.head.idNumber), deathDate: '2024-06-01' });
    const transfer = await applyTransfer(ctx, {
      idNumber: mover,
      expectedVersion: await personVersion(mover),
      destinationHouseholdNumber: destination.householdNumber,
      relationship: '02',
      category: 'job_transfer',
    });
    await approveTransfer(ctx, { transferId: transfer.id });
    await moveOutAtOrigin(ctx, { transferId: transfer.id });
    expect((await getHousehold(ctx, origin.householdNumber)).head).toBeNull();
    await changeHead(ctx, { householdNumber: destination.householdNumber, expectedVersion: await householdVersion(destination.householdNumber), newHeadIdNumber: widow });

    const settled = await runPendingSteps(ctx, transfer.id);
    expect(settled).toMatchObject({ transfer: { state: 'origin_moved_out' }, stepError: { code: 'HEAD_CONFLICT' } });
    await expect(moveInAtDestination(ctx, { transferId: transfer.id })).rejects.toMatchObject({ code: 'HEAD_CONFLICT' });

    const r = await expireTransfers(later);
    expect(r.expired).toContain(transfer.id);
    const expired = await getTransfer(ctx, transfer.id);
    expect(expired).toMatchObject({ state: 'expired', nextStep: null });
    expect(expired.events.at(-1)).toMatchObject({ kind: 'transfer_in', data: expect.objectContaining({ step: 'expired', originMembershipRestored: true }) });
    const view = await getPerson(ctx, mover);
    expect(view.household).toMatchObject({ householdNumber: origin.householdNumber, relationship: '02' });
    expect((await getHousehold(ctx, origin.householdNumber)).head?.idNumber).toBe(mover);
    expect((await getHousehold(ctx, origin.householdNumber)).members.map((m) => m.idNumber).sort()).toEqual([mover, child].sort());
    // compensated once: a second run finds nothing, a late step is refused
    expect((await expireTransfers(later)).expired).not.toContain(transfer.id);
    await expect(moveInAtDestination(later, { transferId: transfer.id })).rejects.toMatchObject({ code: 'TRANSFER_STATE' });
  });

  it('ends compensated when the origin refuses: the origin membership was never closed', async () => {
    const { origin, mover, transfer } = await application();
    await approveTransfer(ctx, { transferId: transfer.id });
    const r = await rejectAtOrigin(ctx, { transferId: transfer.id, reason: '案件未结' });
    expect(r.transfer).toMatchObject({ state: 'compensated', decisionReason: '案件未结' });
    expect((await rejectAtOrigin(ctx, { transferId: transfer.id, reason: '案件未结' })).performed).toBe(false);
    expect((await getPerson(ctx, mover)).household?.householdNumber).toBe(origin.householdNumber);
    await expect(moveOutAtOrigin(ctx, { transferId: transfer.id })).rejects.toMatchObject({ code: 'TRANSFER_STATE' });
  });

  it('ends rejected when the destination refuses', async () => {
    const { origin, mover, transfer } = await application();
    const r = await rejectTransfer(ctx, { transferId: transfer.id, reason: '不符合落户条件' });
    expect(r.transfer.state).toBe('rejected');
    await expect(approveTransfer(ctx, { transferId: transfer.id })).rejects.toMatchObject({ code: 'TRANSFER_STATE' });
    expect((await getPerson(ctx, mover)).household?.householdNumber).toBe(origin.householdNumber);
  });

  it('expires an application never decided, and advanceTransfer expires an overdue one', async () => {
    const a = await application();
    const b = await application();
    await approveTransfer(ctx, { transferId: b.transfer.id });
    expect((await advanceTransfer(later, b.transfer.id)).performed).toBe('expire');
    const r = await expireTransfers(later);
    expect(r.expired).toContain(a.transfer.id);
    expect((await getTransfer(ctx, a.transfer.id)).state).toBe('expired');
    expect((await getTransfer(ctx, b.transfer.id)).state).toBe('expired');
    expect((await getPerson(ctx, a.mover)).household?.householdNumber).toBe(a.origin.householdNumber);
  });

  it('refuses a transfer within one province, a second open transfer, and moves while one is open', async () => {
    const { origin, mover, destination } = await application();
    const sameProvince = await newFamily(ctx, { township: TOWNSHIP.beijingHaidian });
    await expect(
      applyTransfer(ctx, { idNumber: origin.head.idNumber, expectedVersion: await personVersion(origin.head.idNumber), destinationHouseholdNumber: sameProvince.householdNumber, relationship: '80', category: 'other' }),
    ).rejects.toMatchObject({ code: 'TRANSFER_NOT_INTERPROVINCIAL' });
    await expect(
      applyTransfer(ctx, { idNumber: mover, expectedVersion: await personVersion(mover), destinationHouseholdNumber: destination.householdNumber, relationship: '10', category: 'spouse' }),
    ).rejects.toMatchObject({ code: 'TRANSFER_IN_PROGRESS' });
    await expect(
      moveMember(ctx, { fromHouseholdNumber: origin.householdNumber, idNumber: mover, expectedVersion: await personVersion(mover), destinationHouseholdNumber: sameProvince.householdNumber, relationship: '80' }),
    ).rejects.toMatchObject({ code: 'TRANSFER_IN_PROGRESS' });
  });

  it('replays an application sent twice with the same idempotency key', async () => {
    const origin = await newFamily(ctx);
    const destination = await newFamily(ctx, { township: TOWNSHIP.shenzhenNanshan });
    const input = {
      idNumber: origin.head.idNumber,
      expectedVersion: await personVersion(origin.head.idNumber),
      destinationHouseholdNumber: destination.householdNumber,
      relationship: '80',
      category: 'job_transfer' as const,
      idempotencyKey: `apply-${origin.head.idNumber}`,
    };
    const [first, second] = [await applyTransfer(ctx, input), await applyTransfer(ctx, input)];
    expect(second.id).toBe(first.id);
    expect(second.events).toHaveLength(2);
  });

  it('the database accepts a person in transit only while the transfer is origin_moved_out', async () => {
    const { mover, transfer } = await application();
    await approveTransfer(ctx, { transferId: transfer.id });
    await moveOutAtOrigin(ctx, { transferId: transfer.id });
    await expect(sql`update transfer set state = 'compensated' where id = ${transfer.id}`.execute(tdb.db)).rejects.toMatchObject({
      code: '23514',
      constraint: 'person_has_one_hukou',
    });
    expect((await getPerson(ctx, mover)).person.status).toBe('active');
  });
});
