import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { AppError } from '../platform/errors.ts';
import { ERROR_CATALOGUE } from '../app/error-catalogue.ts';
import { registerBirth } from './birth.service.ts';
import { changeHead } from './head.service.ts';
import { createHousehold } from './household.service.ts';
import { addMember, removeMember } from './members.service.ts';
import { moveMember } from './move.service.ts';
import { getHousehold, getPerson } from './read.service.ts';
import { splitHousehold } from './split.service.ts';
import { adultIdNumber, newFamily, testContext, TODAY, TOWNSHIP, type Family, addAdult as addAdultTo } from '../../test/registry-fixtures.ts';

let tdb: TestDatabase;
let ctx: ServiceContext;

beforeAll(async () => {
  tdb = await createTestDatabase();
  ctx = testContext(tdb.db);
});
afterAll(async () => {
  await tdb.close();
});

const householdVersion = async (n: string) => (await getHousehold(ctx, n)).version;
const personVersion = async (id: string) => (await getPerson(ctx, id)).person.version;

const addAdult = (family: Family, relationship: string, sex: '1' | '2' = '2', name = '王芳') => addAdultTo(ctx, family, relationship, sex, name);

describe('addMember', () => {
  it('registers a person not yet in the register and records a registration event', async () => {
    const family = await newFamily(ctx);
    const spouse = await addAdult(family, '10');
    const booklet = await getHousehold(ctx, family.householdNumber);
    expect(booklet.head).toEqual(family.head);
    expect(booklet.members.map((m) => [m.idNumber, m.relationship, m.relationshipName])).toEqual([
      [family.head.idNumber, '02', '户主'],
      [spouse, '10', '配偶'],
    ]);
    const view = await getPerson(ctx, spouse);
    expect(view.timeline[0]).toMatchObject({ kind: 'registration', data: expect.objectContaining({ registration: 'new' }) });
  });

  it('makes the first member of an empty family household its head, and refuses anyone else first', async () => {
    const { household } = await createHousehold(ctx, { kind: 'family', townshipCode: TOWNSHIP.beijingChaoyang, address: '空户' });
    const id = adultIdNumber('1');
    await expect(
      addMember(ctx, { householdNumber: household.householdNumber, expectedVersion: 1, relationship: '20', person: { idNumber: id.idNumber, name: '赵', sex: '1', birthDate: id.birthDate, ethnicity: '01' } }),
    ).rejects.toMatchObject({ code: 'INVALID_CODE', details: [expect.objectContaining({ field: 'relationship', code: 'HEAD_FIRST' })] });
  });

  it('refuses a second head (02) while the household has one', async () => {
    const family = await newFamily(ctx);
    await expect(addAdult(family, '02')).rejects.toMatchObject({ code: 'INVALID_CODE', details: [expect.objectContaining({ code: 'HEAD_TAKEN' })] });
  });

  it('refuses a person who already has a current hukou: 409 SECOND_HUKOU', async () => {
    const a = await newFamily(ctx);
    const b = await newFamily(ctx);
    await expect(
      addMember(ctx, { householdNumber: b.householdNumber, expectedVersion: await householdVersion(b.householdNumber), relationship: '80', idNumber: a.head.idNumber }),
    ).rejects.toMatchObject({ code: 'SECOND_HUKOU' });
    await expect(
      addMember(ctx, { householdNumber: a.householdNumber, expectedVersion: await householdVersion(a.householdNumber), relationship: '80', idNumber: a.head.idNumber }),
    ).rejects.toMatchObject({ code: 'ALREADY_REGISTERED' });
  });

  it('refuses an ID number already in the register: 409 DUPLICATE_ID_NUMBER', async () => {
    const a = await newFamily(ctx);
    const b = await newFamily(ctx);
    const head = (await getPerson(ctx, a.head.idNumber)).person;
    await expect(
      addMember(ctx, {
        householdNumber: b.householdNumber,
        expectedVersion: await householdVersion(b.householdNumber),
        relationship: '80',
        person: { idNumber: head.idNumber, name: '冒名', sex: head.sex, birthDate: head.birthDate, ethnicity: '01' },
      }),
    ).rejects.toMatchObject({ code: 'DUPLICATE_ID_NUMBER' });
  });

  it('refuses an ID number that does not match the birth date and sex given', async () => {
    const family = await newFamily(ctx);
    const id = adultIdNumber('1');
    await expect(
      addMember(ctx, {
        householdNumber: family.householdNumber,
        expectedVersion: await householdVersion(family.householdNumber),
        relationship: '80',
        person: { idNumber: id.idNumber, name: '错', sex: '2', birthDate: '1999-01-01', ethnicity: '01' },
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_CODE',
      details: expect.arrayContaining([
        expect.objectContaining({ field: 'person.birthDate', code: 'ID_NUMBER_MISMATCH' }),
        expect.objectContaining({ field: 'person.sex', code: 'ID_NUMBER_MISMATCH' }),
      ]),
    });
  });

  it('restores the hukou of a person whose hukou was cancelled', async () => {
    const family = await newFamily(ctx);
    const son = await addAdult(family, '20', '1', '张军');
    const removed = await removeMember(ctx, { householdNumber: family.householdNumber, idNumber: son, expectedVersion: await personVersion(son), cause: 'enlisted' });
    expect(removed).toMatchObject({ person: { status: 'cancelled' }, householdNeedsNewHead: false });
    expect((await getPerson(ctx, son)).household).toBeNull();

    const other = await newFamily(ctx, { township: TOWNSHIP.beijingHaidian });
    const r = await addMember(ctx, { householdNumber: other.householdNumber, expectedVersion: await householdVersion(other.householdNumber), relationship: '93', idNumber: son });
    expect(r).toMatchObject({ registration: 'restored', person: { status: 'active' } });
    const view = await getPerson(ctx, son);
    expect(view.household?.householdNumber).toBe(other.householdNumber);
    expect(view.timeline.map((e) => e.kind)).toEqual(['registration', 'member_removed', 'registration']);
  });
});

describe('removeMember', () => {
  it('cancels the hukou of a member who settled abroad; a head leaving flags the household', async () => {
    const family = await newFamily(ctx);
    await addAdult(family, '10');
    const r = await removeMember(ctx, {
      householdNumber: family.householdNumber,
      idNumber: family.head.idNumber,
      expectedVersion: await personVersion(family.head.idNumber),
      cause: 'emigrated',
    });
    expect(r).toMatchObject({ person: { status: 'emigrated' }, householdNeedsNewHead: true });
    expect((await getHousehold(ctx, family.householdNumber)).head).toBeNull();
  });

  it('refuses a person who is not a member of that household: 409 NOT_A_MEMBER', async () => {
    const a = await newFamily(ctx);
    const b = await newFamily(ctx);
    await expect(
      removeMember(ctx, { householdNumber: b.householdNumber, idNumber: a.head.idNumber, expectedVersion: await personVersion(a.head.idNumber), cause: 'other' }),
    ).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
  });
});

describe('moveMember', () => {
  it('moves a member within the province: closes one membership, opens the next, events at both ends', async () => {
    const from = await newFamily(ctx);
    const child = await addAdult(from, '30', '2', '张丽');
    const to = await newFamily(ctx, { township: TOWNSHIP.beijingHaidian });
    const r = await moveMember(ctx, {
      fromHouseholdNumber: from.householdNumber,
      idNumber: child,
      expectedVersion: await personVersion(child),
      destinationHouseholdNumber: to.householdNumber,
      relationship: '38',
    });
    expect(r).toMatchObject({ from: { householdNumber: from.householdNumber }, to: { householdNumber: to.householdNumber }, fromNeedsNewHead: false });
    const view = await getPerson(ctx, child);
    expect(view.household).toMatchObject({ householdNumber: to.householdNumber, relationship: '38', since: TODAY });
    expect(view.timeline.slice(0, 2).map((e) => [e.kind, e.householdNumber])).toEqual([
      ['move_in', to.householdNumber],
      ['move_out', from.householdNumber],
    ]);
    expect((await getHousehold(ctx, from.householdNumber)).members.map((m) => m.idNumber)).toEqual([from.head.idNumber]);
  });

  it('refuses a destination in another province: 409 INTERPROVINCIAL_MOVE', async () => {
    const from = await newFamily(ctx);
    const to = await newFamily(ctx, { township: TOWNSHIP.shenzhenNanshan });
    await expect(
      moveMember(ctx, {
        fromHouseholdNumber: from.householdNumber,
        idNumber: from.head.idNumber,
        expectedVersion: await personVersion(from.head.idNumber),
        destinationHouseholdNumber: to.householdNumber,
        relationship: '80',
      }),
    ).rejects.toMatchObject({ code: 'INTERPROVINCIAL_MOVE' });
  });

  it('refuses a stale person version: 409 VERSION_CONFLICT', async () => {
    const from = await newFamily(ctx);
    const to = await newFamily(ctx);
    await expect(
      moveMember(ctx, { fromHouseholdNumber: from.householdNumber, idNumber: from.head.idNumber, expectedVersion: 99, destinationHouseholdNumber: to.householdNumber, relationship: '80' }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
  });

  it('refuses to move a deceased person: 409 PERSON_DECEASED', async () => {
    const from = await newFamily(ctx);
    const to = await newFamily(ctx);
    const { registerDeath } = await import('./person.service.ts');
    await registerDeath(ctx, { idNumber: from.head.idNumber, expectedVersion: await personVersion(from.head.idNumber), deathDate: '2024-06-10' });
    await expect(
      moveMember(ctx, {
        fromHouseholdNumber: from.householdNumber,
        idNumber: from.head.idNumber,
        expectedVersion: await personVersion(from.head.idNumber),
        destinationHouseholdNumber: to.householdNumber,
        relationship: '80',
      }),
    ).rejects.toMatchObject({ code: 'PERSON_DECEASED' });
  });

  it('of two concurrent moves of one person, exactly one wins; the other gets 409', async () => {
    const from = await newFamily(ctx);
    const mover = await addAdult(from, '20', '1', '张跑');
    const a = await newFamily(ctx);
    const b = await newFamily(ctx, { township: TOWNSHIP.beijingHaidian });
    const v = await personVersion(mover);
    const results = await Promise.allSettled(
      [a, b].map((to) => moveMember(ctx, { fromHouseholdNumber: from.householdNumber, idNumber: mover, expectedVersion: v, destinationHouseholdNumber: to.householdNumber, relationship: '80' })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toMatchObject({ code: 'VERSION_CONFLICT' });
    expect(ERROR_CATALOGUE[(lost[0]!.reason as AppError).code].status).toBe(409);
    const view = await getPerson(ctx, mover);
    expect([a.householdNumber, b.householdNumber]).toContain(view.household?.householdNumber);
    expect(view.timeline.filter((e) => e.kind === 'move_in')).toHaveLength(1);
  });
});

describe('changeHead', () => {
  it('makes a member head and updates the former head\'s and others\' relationships in one operation', async () => {
    const family = await newFamily(ctx);
    const wife = await addAdult(family, '10', '2', '李梅');
    const son = await addAdult(family, '20', '1', '张强');
    const r = await changeHead(ctx, {
      householdNumber: family.householdNumber,
      expectedVersion: await householdVersion(family.householdNumber),
      newHeadIdNumber: son,
      relationships: [
        { idNumber: family.head.idNumber, relationship: '51' },
        { idNumber: wife, relationship: '52' },
      ],
    });
    expect(r).toMatchObject({ head: { idNumber: son, name: '张强' }, relationshipsChanged: 2 });
    const booklet = await getHousehold(ctx, family.householdNumber);
    expect(booklet.head?.idNumber).toBe(son);
    expect(Object.fromEntries(booklet.members.map((m) => [m.idNumber, m.relationship]))).toEqual({ [son]: '02', [family.head.idNumber]: '51', [wife]: '52' });
  });

  it('requires the former head\'s new relationship', async () => {
    const family = await newFamily(ctx);
    const wife = await addAdult(family, '10');
    await expect(
      changeHead(ctx, { householdNumber: family.householdNumber, expectedVersion: await householdVersion(family.householdNumber), newHeadIdNumber: wife }),
    ).rejects.toMatchObject({ code: 'INVALID_CODE', details: [expect.objectContaining({ code: 'FORMER_HEAD_RELATIONSHIP' })] });
  });

  it('refuses a head who is not a member: 409 NOT_A_MEMBER', async () => {
    const a = await newFamily(ctx);
    const b = await newFamily(ctx);
    await expect(
      changeHead(ctx, {
        householdNumber: a.householdNumber,
        expectedVersion: await householdVersion(a.householdNumber),
        newHeadIdNumber: b.head.idNumber,
        relationships: [{ idNumber: a.head.idNumber, relationship: '10' }],
      }),
    ).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
  });
});

describe('splitHousehold', () => {
  it('moves the selected members into a new household with a new head', async () => {
    const family = await newFamily(ctx);
    const son = await addAdult(family, '20', '1', '张大');
    const daughterInLaw = await addAdult(family, '38', '2', '刘媳');
    const r = await splitHousehold(ctx, {
      householdNumber: family.householdNumber,
      expectedVersion: await householdVersion(family.householdNumber),
      members: [{ idNumber: son }, { idNumber: daughterInLaw, relationship: '10' }],
      newHeadIdNumber: son,
      townshipCode: TOWNSHIP.beijingHaidian,
      address: '万寿路2号',
    });
    expect(r).toMatchObject({ sourceNeedsNewHead: false, moved: [son, daughterInLaw] });
    const created = await getHousehold(ctx, r.household.householdNumber);
    expect(created.head?.idNumber).toBe(son);
    expect(created.members.map((m) => [m.idNumber, m.relationship])).toEqual([
      [son, '02'],
      [daughterInLaw, '10'],
    ]);
    expect((await getHousehold(ctx, family.householdNumber)).members.map((m) => m.idNumber)).toEqual([family.head.idNumber]);
    expect((await getPerson(ctx, son)).timeline[0]).toMatchObject({ kind: 'household_split', data: expect.objectContaining({ to: r.household.householdNumber }) });
  });

  it('refuses a non-member and a split that leaves nobody behind', async () => {
    const family = await newFamily(ctx);
    const other = await newFamily(ctx);
    const base = { householdNumber: family.householdNumber, townshipCode: TOWNSHIP.beijingChaoyang, address: '分户路' };
    await expect(
      splitHousehold(ctx, { ...base, expectedVersion: await householdVersion(family.householdNumber), members: [{ idNumber: other.head.idNumber }], newHeadIdNumber: other.head.idNumber }),
    ).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
    await expect(
      splitHousehold(ctx, { ...base, expectedVersion: await householdVersion(family.householdNumber), members: [{ idNumber: family.head.idNumber }], newHeadIdNumber: family.head.idNumber }),
    ).rejects.toMatchObject({ code: 'INVALID_CODE', details: [expect.objectContaining({ code: 'ALL_MEMBERS' })] });
  });
});

describe('a household needing a birth after its head died', () => {
  it('still takes a birth; the booklet shows no head until one is named', async () => {
    const family = await newFamily(ctx);
    const wife = await addAdult(family, '10');
    const { registerDeath } = await import('./person.service.ts');
    const death = await registerDeath(ctx, { idNumber: family.head.idNumber, expectedVersion: await personVersion(family.head.idNumber), deathDate: '2024-06-01' });
    expect(death).toMatchObject({ householdNeedsNewHead: true, person: { status: 'deceased' } });
    const birth = await registerBirth(ctx, {
      householdNumber: family.householdNumber,
      expectedVersion: await householdVersion(family.householdNumber),
      name: '张遗',
      sex: '1',
      birthDate: '2024-06-05',
      ethnicity: '01',
      relationship: '20',
    });
    const booklet = await getHousehold(ctx, family.householdNumber);
    expect(booklet.head).toBeNull();
    expect(booklet.members.map((m) => m.idNumber).sort()).toEqual([wife, birth.person.idNumber].sort());
  });
});
