import type { Actor } from '../access/index.ts';
import { fixedClock, chinaDate, type Clock } from '../platform/clock.ts';
import { addDays, addMonths, addYears } from '../platform/calendar.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { composeIdNumber } from '../idnumber/index.ts';
import { addMember, createHousehold, getHousehold, getPerson, registerBirth } from '../registry/index.ts';
import { applyForPermit, endorsePermit, issuePermit, registerResidence } from '../residence/index.ts';
import { applyForCard, confirmApplication, deliverCard } from '../idcards/index.ts';

/**
 * The named demo people README's examples use, beside the random demo population: a family whose
 * hukou is in Chengdu (四川 成都 锦江区 锦官驿街道) and whose mother, 李梅, lives and works in Shenzhen
 * (广东 深圳 南山区 南头街道) with a residence registration, an issued residence permit endorsed this
 * year and a resident ID card; and a baby registered by birth naming both parents. Every record is
 * written through the owning modules' services, dated in the past by their clocks, so the trails
 * read like a real history. The demo accounts (src/access/demo-accounts.ts) include officers at
 * both places.
 */
export const DEMO_PEOPLE = {
  hukouTownship: '510104017',
  hukouStation: 'station-510104017',
  residenceTownship: '440305001',
  residenceStation: 'station-440305001',
  /** 李梅: hukou in Chengdu, lives in Shenzhen; the demo citizen account is linked to her. */
  mother: { idNumber: composeIdNumber('510104', '19900315', 882), name: '李梅', birthDate: '1990-03-15' },
  /** 王建川: head of the household. */
  father: { idNumber: composeIdNumber('510104', '19880512', 881), name: '王建川', birthDate: '1988-05-12' },
  childName: '王小满',
  birthCertificate: 'O510104321',
} as const;

const DEMO_ACTOR: Actor = { id: 'system:demo', role: 'system', authorityId: 'mps' };

export interface DemoPeople {
  householdNumber: string;
  motherIdNumber: string;
  fatherIdNumber: string;
  childIdNumber: string;
}

/** Creates the demo people once (idempotent: nothing happens when 李梅 is already registered). */
export async function seedDemoPeople(db: Db, today: string = chinaDate(new Date())): Promise<DemoPeople> {
  const at = (date: string): ServiceContext => ({ db, actor: DEMO_ACTOR, clock: clockOn(date) });
  const now = at(today);
  const existing = await getPerson(now, DEMO_PEOPLE.mother.idNumber).catch(() => null);
  if (existing?.household) {
    const child = existing.household.members.find((m) => m.name === DEMO_PEOPLE.childName);
    return { householdNumber: existing.household.householdNumber, motherIdNumber: DEMO_PEOPLE.mother.idNumber, fatherIdNumber: DEMO_PEOPLE.father.idNumber, childIdNumber: child?.idNumber ?? '' };
  }
  const { mother, father } = DEMO_PEOPLE;
  // three years ago: the household in Chengdu, its head and his wife
  const start = addYears(today, -3);
  const { household } = await createHousehold(at(start), { kind: 'family', townshipCode: DEMO_PEOPLE.hukouTownship, address: '水井街12号2单元301', reason: 'demo family' });
  const head = await addMember(at(start), {
    householdNumber: household.householdNumber,
    expectedVersion: household.version,
    relationship: '02',
    person: { idNumber: father.idNumber, name: father.name, sex: '1', birthDate: father.birthDate, ethnicity: '01' },
  });
  const wife = await addMember(at(start), {
    householdNumber: household.householdNumber,
    expectedVersion: head.household.version,
    relationship: '10',
    person: { idNumber: mother.idNumber, name: mother.name, sex: '2', birthDate: mother.birthDate, ethnicity: '01' },
  });
  // her resident ID card, applied for at the hukou place (at 33: valid 20 years, Art. 5)
  const cardDay = addDays(start, 7);
  const application = await applyForCard(at(cardDay), { idNumber: mother.idNumber, kind: 'first', authorityId: DEMO_PEOPLE.hukouStation });
  await confirmApplication(at(addDays(cardDay, 10)), { applicationId: application.id });
  await deliverCard(at(addDays(cardDay, 20)), { applicationId: application.id });
  // two years ago she moved to Shenzhen for work: residence registration, then the permit after 6 months
  const moved = addYears(today, -2);
  await registerResidence(at(moved), { idNumber: mother.idNumber, authorityId: DEMO_PEOPLE.residenceStation, address: '南头街道 南新路1088号 3栋1502' });
  const applied = addDays(addMonths(moved, 6), 3);
  const permit = await applyForPermit(at(applied), { idNumber: mother.idNumber, authorityId: DEMO_PEOPLE.residenceStation, basis: 'employment', basisEvidence: '劳动合同（深圳市南山区某科技公司）' });
  const issued = await issuePermit(at(addDays(applied, 5)), { permitId: permit.id });
  // endorsed within the month before its first anniversary (居住证暂行条例 Art. 10)
  const anniversary = addYears(issued.issuedOn ?? addDays(applied, 5), 1);
  if (anniversary <= today) await endorsePermit(at(addDays(anniversary, -10)), { permitId: permit.id, authorityId: DEMO_PEOPLE.residenceStation });
  // their baby, born three weeks ago, registered in the family's household naming both parents
  const born = addDays(today, -21);
  const birth = await registerBirth(at(addDays(born, 9)), {
    householdNumber: household.householdNumber,
    expectedVersion: wife.household.version,
    name: DEMO_PEOPLE.childName,
    sex: '2',
    birthDate: born,
    ethnicity: '01',
    relationship: '30',
    birthplaceCode: '440305',
    birthCertificateNumber: DEMO_PEOPLE.birthCertificate,
    mother: { idNumber: mother.idNumber },
    father: { idNumber: father.idNumber },
  });
  await getHousehold(now, household.householdNumber);
  return { householdNumber: household.householdNumber, motherIdNumber: mother.idNumber, fatherIdNumber: father.idNumber, childIdNumber: birth.person.idNumber };
}

/** A clock standing at noon (China time) of `date`. */
function clockOn(date: string): Clock {
  return fixedClock(`${date}T04:00:00Z`);
}
