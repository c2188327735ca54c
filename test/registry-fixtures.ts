import { SYSTEM_ACTOR } from '../src/access/index.ts';
import { fixedClock, type Clock } from '../src/platform/clock.ts';
import type { ServiceContext } from '../src/platform/context.ts';
import type { Db } from '../src/platform/db/database.ts';
import { composeIdNumber } from '../src/idnumber/index.ts';
import { addMember, createHousehold, getHousehold, type HouseholdKind } from '../src/registry/index.ts';

/** Townships used by the register's tests (NBS 2023 codes present in data/divisions). */
export const TOWNSHIP = {
  /** 北京市朝阳区建外街道 */
  beijingChaoyang: '110105001',
  /** 北京市海淀区万寿路街道 — same province as Chaoyang */
  beijingHaidian: '110108001',
  /** 广东省深圳市南山区南头街道 — another province */
  shenzhenNanshan: '440305001',
} as const;

/** "Today" in the register's tests: 2024-06-15 noon in China. */
export const TODAY = '2024-06-15';

export function testContext(db: Db, clock: Clock = fixedClock(`${TODAY}T04:00:00Z`)): ServiceContext {
  return { db, clock, actor: { ...SYSTEM_ACTOR, id: 'test' } };
}

let nextSequence = 1;

/**
 * A fresh valid ID number for an adult not yet in the register: address code `addressCode`, a birth
 * date in 1970–1989 and a sequence code of the right parity, unique within this test process.
 */
export function adultIdNumber(sex: '1' | '2', addressCode = '110105'): { idNumber: string; birthDate: string } {
  const n = nextSequence++;
  const birthDate = `${1970 + (n % 20)}-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;
  const seq = (n % 499) * 2 + (sex === '1' ? 1 : 2);
  return { idNumber: composeIdNumber(addressCode, birthDate, seq), birthDate };
}

export interface Family {
  householdNumber: string;
  head: { idNumber: string; name: string };
}

/** A household with its head registered (as a person not yet in the register). */
export async function newFamily(
  ctx: ServiceContext,
  opts: { township?: string; name?: string; sex?: '1' | '2'; kind?: HouseholdKind } = {},
): Promise<Family> {
  const township = opts.township ?? TOWNSHIP.beijingChaoyang;
  const { household } = await createHousehold(ctx, { kind: opts.kind ?? 'family', townshipCode: township, address: `测试路${nextSequence}号` });
  const sex = opts.sex ?? '1';
  const id = adultIdNumber(sex, township.slice(0, 6));
  const name = opts.name ?? (sex === '1' ? '张建国' : '李秀英');
  await addMember(ctx, {
    householdNumber: household.householdNumber,
    expectedVersion: household.version,
    relationship: '02',
    person: { idNumber: id.idNumber, name, sex, birthDate: id.birthDate, ethnicity: '01' },
  });
  return { householdNumber: household.householdNumber, head: { idNumber: id.idNumber, name } };
}

/** Adds an adult not yet in the register to `family` with `relationship`; returns their ID number. */
export async function addAdult(ctx: ServiceContext, family: Family, relationship: string, sex: '1' | '2' = '2', name = '王芳'): Promise<string> {
  const id = adultIdNumber(sex);
  const { version } = await getHousehold(ctx, family.householdNumber);
  await addMember(ctx, {
    householdNumber: family.householdNumber,
    expectedVersion: version,
    relationship,
    person: { idNumber: id.idNumber, name, sex, birthDate: id.birthDate, ethnicity: '01' },
  });
  return id.idNumber;
}
