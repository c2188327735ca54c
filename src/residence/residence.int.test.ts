import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { holdOpen, waitForLockWaiters } from '../../test/locks.ts';
import { ctxOn, newPerson, PLACE, refusal, registerDeathOf, station, type TestPerson } from '../../test/persons.ts';
import { addDays, addYears } from '../platform/calendar.ts';
import type { Db } from '../platform/db/database.ts';
import { createHousehold, moveMember, registerDeath } from '../registry/index.ts';
import { endorsePermit } from './endorsement.service.ts';
import { residenceFacts } from './facts.service.ts';
import { applyForPermit, closePermit, issuePermit } from './permit.service.ts';
import { endResidenceRegistration, registerResidence } from './registration.service.ts';

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
  const n = async (t: 'residence_registration' | 'residence_permit' | 'residence_event' | 'residence_permit_endorsement') =>
    Number((await db.selectFrom(t).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  return { registrations: await n('residence_registration'), permits: await n('residence_permit'), events: await n('residence_event'), endorsements: await n('residence_permit_endorsement') };
}

describe('residence registration (居住登记)', () => {
  it('is refused in the hukou city and accepted in another', async () => {
    const person = await newPerson(db, { birthDate: '1990-01-01' });
    expect((await refusal(registerResidence(ctxOn(db, '2024-01-01'), { idNumber: person.idNumber, authorityId: station(PLACE.guangzhouTianhe), address: '天河路1号' }))).code).toBe(
      'RESIDENCE_IN_HUKOU_CITY',
    );
    const reg = await registerResidence(ctxOn(db, '2024-01-01'), { idNumber: person.idNumber, authorityId: BEIJING, address: '建国路1号' });
    expect(reg).toMatchObject({ cityCode: '110000', authorityId: BEIJING, registeredOn: '2024-01-01', endedOn: null });
    expect((await refusal(registerResidence(ctxOn(db, '2024-02-01'), { idNumber: person.idNumber, authorityId: BEIJING, address: '建国路2号' }))).code).toBe('RESIDENCE_ALREADY_REGISTERED');
  });

  it('moving to a new city ends the old registration and cancels its permit in the same transaction', async () => {
    const person = await newPerson(db, { birthDate: '1990-02-02' });
    const first = await registerResidence(ctxOn(db, '2022-01-01'), { idNumber: person.idNumber, authorityId: BEIJING, address: '建国路3号' });
    const permit = await applyForPermit(ctxOn(db, '2022-07-01'), { idNumber: person.idNumber, authorityId: BEIJING, basis: 'residence_lease', basisEvidence: '租赁合同 2022-001' });
    await issuePermit(ctxOn(db, '2022-07-05'), { permitId: permit.id });
    const second = await registerResidence(ctxOn(db, '2023-03-01'), { idNumber: person.idNumber, authorityId: station(PLACE.shenzhenNanshan), address: '南山大道1号' });
    expect(second.cityCode).toBe('440300');
    const old = await db.selectFrom('residence_registration').select(['ended_on']).where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(old.ended_on).toBe('2023-03-01');
    expect((await refusal(endorsePermit(ctxOn(db, '2023-06-10'), { permitId: permit.id, authorityId: BEIJING }))).code).toBe('PERMIT_CANCELLED');
  });
});

describe('free text of residence writes (the CLI has no schema)', () => {
  it('refuses an address or reason of spaces only, or too long, per field, writing nothing', async () => {
    const person = await newPerson(db, { birthDate: '1990-03-03' });
    const before = await rowCounts();
    const blank = await refusal(registerResidence(ctxOn(db, '2024-01-01'), { idNumber: person.idNumber, authorityId: BEIJING, address: '\u3000 ' }));
    expect([blank.code, blank.details]).toEqual(['VALIDATION_FAILED', [expect.objectContaining({ field: 'address', code: 'BLANK' })]]);
    const long = await refusal(registerResidence(ctxOn(db, '2024-01-01'), { idNumber: person.idNumber, authorityId: BEIJING, address: '路'.repeat(201) }));
    expect([long.code, long.details]).toEqual(['VALIDATION_FAILED', [expect.objectContaining({ field: 'address', code: 'TOO_LONG' })]]);
    expect(await rowCounts()).toEqual(before);
    const reg = await registerResidence(ctxOn(db, '2024-01-01'), { idNumber: person.idNumber, authorityId: BEIJING, address: '建国路20号' });
    expect((await refusal(endResidenceRegistration(ctxOn(db, '2024-02-01'), { registrationId: reg.id, reason: '   ' }))).code).toBe('VALIDATION_FAILED');
    expect((await db.selectFrom('residence_registration').select('ended_on').where('id', '=', reg.id).executeTakeFirstOrThrow()).ended_on).toBeNull();
  });
});

describe('residence permit application (居住证暂行条例 Arts. 2, 9)', () => {
  let person: TestPerson;
  beforeAll(async () => {
    person = await newPerson(db, { birthDate: '1991-03-03' });
    await registerResidence(ctxOn(db, '2024-01-31'), { idNumber: person.idNumber, authorityId: BEIJING, address: '朝阳路1号' });
  });

  it('is refused before 6 months of residence, naming the first eligible day, writing nothing', async () => {
    const before = await rowCounts();
    const e = await refusal(applyForPermit(ctxOn(db, '2024-07-30'), { idNumber: person.idNumber, authorityId: BEIJING, basis: 'employment', basisEvidence: '劳动合同' }));
    expect(e.code).toBe('RESIDENCE_TOO_SHORT');
    expect(e.details).toMatchObject({ registeredOn: '2024-01-31', eligibleFrom: '2024-07-31' });
    expect(await rowCounts()).toEqual(before);
  });

  it('is refused without a basis or without its evidence', async () => {
    const before = await rowCounts();
    const none = await refusal(applyForPermit(ctxOn(db, '2024-08-01'), { idNumber: person.idNumber, authorityId: BEIJING }));
    expect(none.code).toBe('PERMIT_BASIS_REQUIRED');
    expect((none.details as { field: string }[]).map((d) => d.field)).toEqual(['basis', 'basisEvidence']);
    expect((await refusal(applyForPermit(ctxOn(db, '2024-08-01'), { idNumber: person.idNumber, authorityId: BEIJING, basis: 'study', basisEvidence: '  ' }))).code).toBe(
      'PERMIT_BASIS_REQUIRED',
    );
    expect(await rowCounts()).toEqual(before);
  });

  it('is refused in a city without a registration', async () => {
    expect((await refusal(applyForPermit(ctxOn(db, '2024-08-01'), { idNumber: person.idNumber, authorityId: station(PLACE.shenzhenNanshan), basis: 'study', basisEvidence: '学籍' }))).code).toBe(
      'NO_RESIDENCE_REGISTRATION',
    );
  });

  it('is accepted from the day 6 months are reached, issued within 15 days; a second one is refused', async () => {
    const permit = await applyForPermit(ctxOn(db, '2024-07-31'), { idNumber: person.idNumber, authorityId: BEIJING, basis: 'residence_owned', basisEvidence: '不动产权证书' });
    expect(permit).toMatchObject({ status: 'applied', dueOn: '2024-08-15', issuingAuthorityId: 'county-110105', residenceCountedFrom: '2024-01-31' });
    expect((await refusal(applyForPermit(ctxOn(db, '2024-08-01'), { idNumber: person.idNumber, authorityId: BEIJING, basis: 'study', basisEvidence: '学籍' }))).code).toBe('PERMIT_EXISTS');
    expect((await refusal(endorsePermit(ctxOn(db, '2024-08-02'), { permitId: permit.id, authorityId: BEIJING }))).code).toBe('PERMIT_NOT_ISSUED');
    const issued = await issuePermit(ctxOn(db, '2024-08-10'), { permitId: permit.id });
    expect(issued).toMatchObject({ status: 'valid', issuedOn: '2024-08-10', endorsement: { status: 'not_due', anniversary: '2025-08-10', windowOpensOn: '2025-07-10' } });
  });

  it.each([
    ['2023-08-31', '2024-02-28', '2024-02-29'],
    ['2023-08-29', '2024-02-28', '2024-02-29'],
    ['2024-08-31', '2025-02-27', '2025-02-28'],
    ['2024-02-29', '2024-08-28', '2024-08-29'],
    ['2023-12-31', '2024-06-29', '2024-06-30'],
  ])('registered %s: refused on %s, accepted on %s (6 months by Civil Code Art. 202: month ends, 29 February)', async (registeredOn, dayBefore, eligibleFrom) => {
    const p = await newPerson(db, { birthDate: '1991-05-05' });
    await registerResidence(ctxOn(db, registeredOn), { idNumber: p.idNumber, authorityId: BEIJING, address: '朝阳路2号' });
    const input = { idNumber: p.idNumber, authorityId: BEIJING, basis: 'study' as const, basisEvidence: '学籍' };
    expect((await refusal(applyForPermit(ctxOn(db, dayBefore), input))).details).toMatchObject({ eligibleFrom });
    expect(await applyForPermit(ctxOn(db, eligibleFrom), input)).toMatchObject({ status: 'applied', appliedOn: eligibleFrom });
  });

  it('allows 30 days in a remote area', async () => {
    await db.updateTable('authority').set({ remote: true }).where('id', '=', 'county-652722').execute();
    const p = await newPerson(db, { birthDate: '1991-04-04' });
    await registerResidence(ctxOn(db, '2024-01-01'), { idNumber: p.idNumber, authorityId: station(PLACE.xinjiangJinghe), address: '精河镇1号' });
    const permit = await applyForPermit(ctxOn(db, '2024-07-01'), { idNumber: p.idNumber, authorityId: station(PLACE.xinjiangJinghe), basis: 'employment', basisEvidence: '劳动合同' });
    expect(permit.dueOn).toBe('2024-07-31');
  });
});

describe('annual endorsement (签注, Art. 10) and the residence facts', () => {
  let person: TestPerson;
  let permitId: string;
  const BEIJING_HAIDIAN = 'station-110108001';
  beforeAll(async () => {
    person = await newPerson(db, { birthDate: '1988-05-05' });
    await registerResidence(ctxOn(db, '2020-01-10'), { idNumber: person.idNumber, authorityId: BEIJING, address: '朝阳路9号' });
    const permit = await applyForPermit(ctxOn(db, '2020-08-01'), { idNumber: person.idNumber, authorityId: BEIJING, basis: 'employment', basisEvidence: '劳动合同' });
    permitId = permit.id;
    await issuePermit(ctxOn(db, '2020-08-05'), { permitId });
  });

  it('is refused before the window opens, writing nothing', async () => {
    const before = await rowCounts();
    const e = await refusal(endorsePermit(ctxOn(db, '2021-07-04'), { permitId, authorityId: BEIJING }));
    expect(e.code).toBe('ENDORSEMENT_NOT_DUE');
    expect(e.details).toMatchObject({ windowOpensOn: '2021-07-05', anniversary: '2021-08-05' });
    expect(await rowCounts()).toEqual(before);
  });

  it('on time in the month before the anniversary, at any station of the residence city', async () => {
    const r = await endorsePermit(ctxOn(db, '2021-07-20'), { permitId, authorityId: BEIJING_HAIDIAN });
    expect(r.endorsement).toMatchObject({ late: false, anniversary: '2021-08-05', endorsedOn: '2021-07-20' });
    expect(r.permit).toMatchObject({ status: 'valid', residenceCountedFrom: '2020-01-10', endorsement: { status: 'not_due', anniversary: '2022-08-05' } });
    expect(await residenceFacts(db, person.idNumber, '2022-01-10')).toMatchObject({ residenceYears: 2, continuousResidence: true, residenceCountedFrom: '2020-01-10' });
  });

  it('a missed endorsement suspends the permit; the late one restores it and restarts the count of residence years', async () => {
    const lapsed = await residenceFacts(db, person.idNumber, '2022-09-01');
    expect(lapsed).toMatchObject({
      permit: { status: 'suspended' },
      continuousResidence: false,
      residenceYears: 2,
      endorsement: { status: 'overdue', anniversary: '2022-08-05', lastOnTimeDay: '2022-08-04' },
    });

    const late = await endorsePermit(ctxOn(db, '2022-10-01'), { permitId, authorityId: BEIJING });
    expect(late.endorsement).toMatchObject({ late: true, anniversary: '2022-08-05' });
    expect(late.permit).toMatchObject({ status: 'valid', residenceCountedFrom: '2022-10-01', endorsement: { anniversary: '2023-10-01' } });

    expect(await residenceFacts(db, person.idNumber, '2022-10-01')).toMatchObject({ residenceYears: 0, continuousResidence: true, residenceCountedFrom: '2022-10-01' });
    expect(await residenceFacts(db, person.idNumber, '2023-09-30')).toMatchObject({ residenceYears: 0, endorsement: { status: 'due' } });
    // Unendorsed, the next anniversary suspends it again, the count frozen at the day before…
    expect(await residenceFacts(db, person.idNumber, '2023-10-01')).toMatchObject({ residenceYears: 0, continuousResidence: false });
    // … endorsed on time, the first full year since the late endorsement counts.
    await endorsePermit(ctxOn(db, '2023-09-20'), { permitId, authorityId: BEIJING });
    expect(await residenceFacts(db, person.idNumber, '2023-10-01')).toMatchObject({ residenceYears: 1, continuousResidence: true, endorsement: { anniversary: '2024-10-01' } });
  });

  it.each([
    ['2024-02-29', '2025-01-28', '2025-02-27', '2025-02-28', '2026-02-28'],
    ['2024-03-31', '2025-02-28', '2025-03-30', '2025-03-31', '2026-03-31'],
  ])('issued %s: window opens %s, on time on %s, late on %s (next anniversary %s)', async (issuedOn, opensOn, lastOnTimeDay, dayAfter, next) => {
    const permitIssuedOn = async () => {
      const p = await newPerson(db, { birthDate: '1988-06-06' });
      await registerResidence(ctxOn(db, '2023-01-01'), { idNumber: p.idNumber, authorityId: BEIJING, address: '朝阳路10号' });
      const permit = await applyForPermit(ctxOn(db, issuedOn), { idNumber: p.idNumber, authorityId: BEIJING, basis: 'employment', basisEvidence: '劳动合同' });
      await issuePermit(ctxOn(db, issuedOn), { permitId: permit.id });
      return { idNumber: p.idNumber, permitId: permit.id };
    };
    const onTime = await permitIssuedOn();
    expect((await refusal(endorsePermit(ctxOn(db, addDays(opensOn, -1)), { permitId: onTime.permitId, authorityId: BEIJING }))).details).toMatchObject({ windowOpensOn: opensOn });
    const r = await endorsePermit(ctxOn(db, lastOnTimeDay), { permitId: onTime.permitId, authorityId: BEIJING });
    expect(r.endorsement).toMatchObject({ late: false });
    expect(r.permit).toMatchObject({ residenceCountedFrom: '2023-01-01', endorsement: { anniversary: next } });

    const late = await permitIssuedOn();
    expect(await residenceFacts(db, late.idNumber, dayAfter)).toMatchObject({ permit: { status: 'suspended' }, continuousResidence: false });
    const l = await endorsePermit(ctxOn(db, dayAfter), { permitId: late.permitId, authorityId: BEIJING });
    expect(l.endorsement).toMatchObject({ late: true });
    expect(l.permit).toMatchObject({ status: 'valid', residenceCountedFrom: dayAfter, endorsement: { anniversary: addYears(dayAfter, 1) } });
  });

  it('refuses endorsement by an authority of another city, and of a cancelled permit', async () => {
    const e = await refusal(endorsePermit(ctxOn(db, '2024-09-15'), { permitId, authorityId: station(PLACE.shenzhenNanshan) }));
    expect(e.code).toBe('INVALID_CODE');
    await closePermit(ctxOn(db, '2024-09-16'), { permitId, reason: 'settled in Beijing', as: 'cancelled' });
    const before = await rowCounts();
    expect((await refusal(endorsePermit(ctxOn(db, '2024-09-17'), { permitId, authorityId: BEIJING }))).code).toBe('PERMIT_CANCELLED');
    expect(await rowCounts()).toEqual(before);
  });
});

describe('a change in the register overtakes a residence registration (居住证暂行条例 Art. 2)', () => {
  const version = async (idNumber: string) => (await db.selectFrom('person').select('version').where('id_number', '=', idNumber).executeTakeFirstOrThrow()).version;
  const registrationOf = (id: string) => db.selectFrom('residence_registration').select(['ended_on', 'end_reason']).where('id', '=', id).executeTakeFirstOrThrow();
  const householdAt = async (township: string, date: string) =>
    (await createHousehold(ctxOn(db, date), { kind: 'family', townshipCode: township, address: `迁入路${township}号` })).household.householdNumber;

  it('a registered death ends the registration and cancels its permit in the same transaction, so no endorsement is due any more', async () => {
    const person = await newPerson(db, { birthDate: '1970-05-05' });
    const reg = await registerResidence(ctxOn(db, '2022-01-01'), { idNumber: person.idNumber, authorityId: BEIJING, address: '光华路1号' });
    const permit = await applyForPermit(ctxOn(db, '2022-07-01'), { idNumber: person.idNumber, authorityId: BEIJING, basis: 'employment', basisEvidence: '劳动合同 2022-7' });
    await issuePermit(ctxOn(db, '2022-07-05'), { permitId: permit.id });

    await registerDeath(ctxOn(db, '2024-03-02', 'officer-death'), { idNumber: person.idNumber, expectedVersion: await version(person.idNumber), deathDate: '2024-03-01' });

    expect(await registrationOf(reg.id)).toEqual({ ended_on: '2024-03-02', end_reason: 'the register records the person as deceased' });
    const closed = await db.selectFrom('residence_permit').select(['status', 'decided_on']).where('id', '=', permit.id).executeTakeFirstOrThrow();
    expect(closed).toEqual({ status: 'cancelled', decided_on: '2024-03-02' });
    const events = await db.selectFrom('residence_event').select(['kind', 'actor_id']).where('registration_id', '=', reg.id).orderBy('id').execute();
    expect(events.slice(-2)).toEqual([
      { kind: 'registration_ended', actor_id: 'officer-death' },
      { kind: 'permit_cancelled', actor_id: 'officer-death' },
    ]);
    expect((await refusal(endorsePermit(ctxOn(db, '2024-06-10'), { permitId: permit.id, authorityId: BEIJING }))).code).toBe('PERMIT_CANCELLED');
  });

  it('moving the hukou into the residence city ends the registration; a move to another city leaves it open', async () => {
    const person = await newPerson(db, { birthDate: '1985-06-06' });
    const reg = await registerResidence(ctxOn(db, '2023-01-01'), { idNumber: person.idNumber, authorityId: station(PLACE.shenzhenNanshan), address: '南山大道9号' });

    // within Guangzhou: the hukou city stays Guangzhou, the Shenzhen registration stays open
    const tianhe = await householdAt(PLACE.guangzhouTianhe, '2023-05-01');
    await moveMember(ctxOn(db, '2023-05-01'), {
      idNumber: person.idNumber, expectedVersion: await version(person.idNumber), fromHouseholdNumber: person.householdNumber, destinationHouseholdNumber: tianhe, relationship: '02',
    });
    expect(await registrationOf(reg.id)).toEqual({ ended_on: null, end_reason: null });

    // into Shenzhen, where they live: residence registration there has no object any more
    const nanshan = await householdAt(PLACE.shenzhenNanshan, '2024-02-01');
    await moveMember(ctxOn(db, '2024-02-01'), {
      idNumber: person.idNumber, expectedVersion: await version(person.idNumber), fromHouseholdNumber: tianhe, destinationHouseholdNumber: nanshan, relationship: '02',
    });
    expect(await registrationOf(reg.id)).toEqual({ ended_on: '2024-02-01', end_reason: 'the hukou is now in the residence city' });
    // and they may not register residence in their own hukou city again
    expect((await refusal(registerResidence(ctxOn(db, '2024-03-01'), { idNumber: person.idNumber, authorityId: station(PLACE.shenzhenNanshan), address: '南山大道10号' }))).code).toBe(
      'RESIDENCE_IN_HUKOU_CITY',
    );
  });

  describe('racing a residence write for the same person', () => {
    const openRegistrations = async (idNumber: string) =>
      db
        .selectFrom('residence_registration as r')
        .innerJoin('person as p', 'p.id', 'r.person_id')
        .select(['r.id', 'r.city_code'])
        .where('p.id_number', '=', idNumber)
        .where('r.ended_on', 'is', null)
        .execute();

    it('a death registered while a move to another city is being registered ends the new registration too', async () => {
      const person = await newPerson(db, { birthDate: '1975-07-07' });
      await registerResidence(ctxOn(db, '2023-01-01'), { idNumber: person.idNumber, authorityId: BEIJING, address: '光华路2号' });

      // The move to Shenzhen is caught mid-flight: its answer is about to be stored (another
      // transaction holds the same key), its registration written but not committed.
      const blocker = await holdOpen(db, (trx) =>
        trx.insertInto('idempotent_request').values({ actor_id: 'officer-move', key: 'race-move-1', operation: 'registerResidence', response: '{}' }).execute(),
      );
      const moving = registerResidence(ctxOn(db, '2024-05-02', 'officer-move'), {
        idNumber: person.idNumber, authorityId: station(PLACE.shenzhenNanshan), address: '南山大道3号', idempotencyKey: 'race-move-1',
      });
      moving.catch(() => undefined);
      await waitForLockWaiters(db, 1);
      const dying = registerDeathOf(db, person.idNumber, '2024-05-01', '2024-05-02');
      dying.catch(() => undefined);
      await waitForLockWaiters(db, 2);
      await blocker.rollback();
      await moving;
      await dying;

      expect(await openRegistrations(person.idNumber)).toEqual([]);
    });

    it('a move to another city waiting while a death is registered is refused, and the death ends the registration (no deadlock)', async () => {
      const person = await newPerson(db, { birthDate: '1977-09-09' });
      const reg = await registerResidence(ctxOn(db, '2023-01-01'), { idNumber: person.idNumber, authorityId: BEIJING, address: '光华路3号' });
      const { id: householdId } = await db.selectFrom('household').select('id').where('household_number', '=', person.householdNumber).executeTakeFirstOrThrow();

      // The death is caught mid-flight: the person row is locked and updated, the household still to close.
      const blocker = await holdOpen(db, (trx) => trx.selectFrom('household').select('id').where('id', '=', householdId).forUpdate().execute());
      const dying = registerDeathOf(db, person.idNumber, '2024-06-01', '2024-06-02');
      dying.catch(() => undefined);
      await waitForLockWaiters(db, 1);
      const moving = registerResidence(ctxOn(db, '2024-06-02', 'officer-move'), { idNumber: person.idNumber, authorityId: station(PLACE.shenzhenNanshan), address: '南山大道4号' });
      moving.catch(() => undefined);
      await waitForLockWaiters(db, 2);
      await blocker.release();
      await dying;

      expect((await refusal(moving)).code).toBe('PERSON_DECEASED');
      expect(await openRegistrations(person.idNumber)).toEqual([]);
      expect(await registrationOf(reg.id)).toEqual({ ended_on: '2024-06-02', end_reason: 'the register records the person as deceased' });
    });

    it('a registration waiting while a death is registered is refused: no open registration for the dead', async () => {
      const person = await newPerson(db, { birthDate: '1976-08-08' });
      const { id: householdId } = await db.selectFrom('household').select('id').where('household_number', '=', person.householdNumber).executeTakeFirstOrThrow();

      // The death is caught mid-flight: the person row is updated, the household still to close.
      const blocker = await holdOpen(db, (trx) => trx.selectFrom('household').select('id').where('id', '=', householdId).forUpdate().execute());
      const dying = registerDeathOf(db, person.idNumber, '2024-06-01', '2024-06-02');
      dying.catch(() => undefined);
      await waitForLockWaiters(db, 1);
      const registering = registerResidence(ctxOn(db, '2024-06-02', 'officer-move'), { idNumber: person.idNumber, authorityId: BEIJING, address: '光华路4号' });
      registering.catch(() => undefined);
      await waitForLockWaiters(db, 2);
      await blocker.release();
      await dying;

      expect((await refusal(registering)).code).toBe('PERSON_DECEASED');
      expect(await openRegistrations(person.idNumber)).toEqual([]);
    });
  });
});
