import { expect } from 'vitest';
import { SYSTEM_ACTOR } from '../src/access/index.ts';
import { composeIdNumber } from '../src/idnumber/index.ts';
import { fixedClock, type Clock } from '../src/platform/clock.ts';
import type { ServiceContext } from '../src/platform/context.ts';
import type { Db } from '../src/platform/db/database.ts';
import { AppError } from '../src/platform/errors.ts';
import { addMember, correctParticulars, createHousehold, registerDeath } from '../src/registry/index.ts';

/**
 * Test persons for the ID card, residence and notification tests, registered through the
 * register's own services (a household at a township, the person as its head).
 */

/** Townships (NBS 2023) and their police stations used by these tests. */
export const PLACE = {
  /** 广东省广州市荔湾区沙面街道: the usual hukou place. */
  guangzhouLiwan: '440103001',
  /** 广东省广州市天河区五山街道: same city as Liwan. */
  guangzhouTianhe: '440106001',
  /** 广东省深圳市南山区南头街道: same province, another prefecture. */
  shenzhenNanshan: '440305001',
  /** 北京市朝阳区建外街道: another province. */
  beijingChaoyang: '110105001',
  /** 新疆博尔塔拉州精河县精河镇: flagged remote by the tests that need it. */
  xinjiangJinghe: '652722100',
} as const;

export const station = (township: string) => `station-${township}`;

/** A context acting as a test officer on `date` (noon, China time). */
/** A service context on `date` (04:00 UTC), acting as the test officer or as `actorId`. */
export function ctxOn(db: Db, date: string, actorId = 'test-officer'): ServiceContext {
  return { db, clock: clockOn(date), actor: { ...SYSTEM_ACTOR, id: actorId } };
}

/** The AppError `promise` rejects with (fails the test when it resolves or throws something else). */
export async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

export function clockOn(date: string): Clock {
  return fixedClock(`${date}T04:00:00Z`);
}

let sequence = 0;

export interface TestPerson {
  idNumber: string;
  name: string;
  birthDate: string;
  householdNumber: string;
}

/**
 * A person born on `birthDate`, registered on `registeredOn` (default: the later of the birth date
 * and 2000-01-01) as head of a new household at `township`. ID numbers carry the Chaoyang address
 * code 110105 (in force since 1980) and a sequence unique in this test process.
 */
export async function newPerson(db: Db, opts: { birthDate: string; township?: string; name?: string; registeredOn?: string }): Promise<TestPerson> {
  const registeredOn = opts.registeredOn ?? (opts.birthDate > '2000-01-01' ? opts.birthDate : '2000-01-01');
  const ctx = ctxOn(db, registeredOn);
  const { household } = await createHousehold(ctx, { kind: 'family', townshipCode: opts.township ?? PLACE.guangzhouLiwan, address: `测试路${++sequence}号` });
  const seq = ((process.pid + sequence * 7) % 499) * 2 + 1;
  const idNumber = composeIdNumber('110105', opts.birthDate, seq);
  const name = opts.name ?? '王建华';
  await addMember(ctx, {
    householdNumber: household.householdNumber,
    expectedVersion: household.version,
    relationship: '02',
    person: { idNumber, name, sex: '1', birthDate: opts.birthDate, ethnicity: '01' },
  });
  return { idNumber, name, birthDate: opts.birthDate, householdNumber: household.householdNumber };
}

/** Registers a change of name (户口登记条例 Art. 18) through the register. */
export async function changeName(db: Db, person: TestPerson, name: string, on: string): Promise<void> {
  const version = await db.selectFrom('person').select('version').where('id_number', '=', person.idNumber).executeTakeFirstOrThrow();
  await correctParticulars(ctxOn(db, on), { idNumber: person.idNumber, expectedVersion: version.version, changes: { name }, reason: 'test: change of name' });
}

/** Registers a death through the register (户口登记条例 Art. 8). */
export async function registerDeathOf(db: Db, idNumber: string, deathDate: string, on: string): Promise<void> {
  const { version } = await db.selectFrom('person').select('version').where('id_number', '=', idNumber).executeTakeFirstOrThrow();
  await registerDeath(ctxOn(db, on), { idNumber, expectedVersion: version, deathDate });
}

/** Corrects the birth date through the register, which issues a new ID number (GB 11643); returns it. */
export async function correctBirthDate(db: Db, idNumber: string, birthDate: string, on: string): Promise<string> {
  const { version } = await db.selectFrom('person').select('version').where('id_number', '=', idNumber).executeTakeFirstOrThrow();
  const corrected = await correctParticulars(ctxOn(db, on), { idNumber, expectedVersion: version, changes: { birthDate }, reason: 'test: birth date corrected' });
  return corrected.person.idNumber;
}
