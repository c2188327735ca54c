import { chinaDate } from '../platform/clock.ts';
import { addMonths } from '../platform/calendar.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError, type FieldIssue } from '../platform/errors.ts';
import { normalizeIdNumber } from '../idnumber/index.ts';
import type { BirthRecordView } from './read.service.ts';
import { assertCodes } from './codes.ts';
import { assertHouseholdVersion, updateHousehold } from './guards.ts';
import * as hq from './household.queries.ts';
import { lockReceivingHousehold, relationshipIssue, type WriteMeta } from './household.service.ts';
import { allocateIdNumber, isAllocatableSex } from './id-allocation.ts';
import { namePinyin } from './names.ts';
import { dateIssue, particularsCodeChecks, TEXT_LIMITS } from './particulars.ts';
import { textIssue } from '../platform/text.ts';
import * as pq from './person.queries.ts';
import { BIRTH_CERTIFICATE_NUMBER, BIRTH_REGISTRATION_MONTHS, HEAD_RELATIONSHIP, LEGAL_BASIS } from './registry.law.ts';

/** GB/T 2261.1: a mother is registered female (2), a father male (1). */
const PARENT_SEX = { mother: '2', father: '1' } as const;

function certificateUsed(number: string): AppError {
  return new AppError('BIRTH_CERTIFICATE_USED', `Birth medical certificate ${number} has already registered a birth; one certificate registers one child. Check the number on the certificate.`, {
    details: { birthCertificateNumber: number },
  });
}
import { householdSummary, personSummary, type HouseholdSummary, type PersonSummary } from './views.ts';
import { runWrite } from './write.ts';

export interface RegisterBirthInput extends WriteMeta {
  householdNumber: string;
  /** Version of the household as the client read it. */
  expectedVersion: number;
  name: string;
  /** 1 male or 2 female: the ID number's sequence parity needs one of them (GB 11643 §5.4). */
  sex: string;
  birthDate: string;
  ethnicity: string;
  /** GB/T 4761 relationship to the head (e.g. 20 son, 30 daughter, 41 grandson). */
  relationship: string;
  birthplaceCode?: string | undefined;
  nativePlaceCode?: string | undefined;
  /** 出生医学证明编号 (one letter + nine digits); one certificate registers one birth. */
  birthCertificateNumber?: string | undefined;
  /** The parents: a registered one by ID number (linked), another by name. */
  mother?: BirthParentInput | undefined;
  father?: BirthParentInput | undefined;
}

export interface BirthParentInput {
  idNumber?: string | undefined;
  name?: string | undefined;
}

export interface RegisterBirthResult {
  person: PersonSummary;
  household: HouseholdSummary;
  /** The day registration was due: one month after birth (户口登记条例 Art. 7). */
  registrationDue: string;
  /** Registered after the due date: allowed, and recorded in the event. */
  lateRegistration: boolean;
  /** What was recorded of the birth: certificate number and parents. */
  birth: BirthRecordView;
}

interface ResolvedParent {
  role: 'mother' | 'father';
  name: string;
  person: { id: number; idNumber: string; householdId: number | null } | null;
}

/**
 * The parents as given: a parent named by ID number must be a registered person (by their current
 * or a former number) of the right sex, born before the child, and (if a name is given too) of that
 * name; one named by name only is recorded by name. Issues are collected, not thrown.
 */
async function resolveParents(db: Db, input: RegisterBirthInput, issues: FieldIssue[]): Promise<ResolvedParent[]> {
  const out: ResolvedParent[] = [];
  for (const role of ['mother', 'father'] as const) {
    const given = input[role];
    if (!given) continue;
    const field = role;
    if (given.name !== undefined) {
      const bad = textIssue(`${field}.name`, given.name, TEXT_LIMITS.name);
      if (bad) issues.push(bad);
    }
    if (given.idNumber === undefined) {
      if (given.name === undefined) issues.push({ field, code: 'PARENT_EMPTY', message: `Give the ${role}'s ID number (registered) or name (not registered).` });
      else out.push({ role, name: given.name, person: null });
      continue;
    }
    const number = normalizeIdNumber(given.idNumber);
    const found = await pq.findPersonByAnyIdNumber(db, number);
    if (!found) {
      issues.push({ field: `${field}.idNumber`, code: 'PARENT_NOT_REGISTERED', message: `No registered person holds ${number}; check the number on the ${role}'s ID card, or give the name of a parent who is not registered.` });
      continue;
    }
    if (found.sex !== PARENT_SEX[role]) {
      issues.push({ field: `${field}.idNumber`, code: 'PARENT_SEX', message: `The person holding ${number} is not registered as ${role === 'mother' ? 'female (2)' : 'male (1)'}; check which parent is which.` });
    }
    if (found.birth_date >= input.birthDate) {
      issues.push({ field: `${field}.idNumber`, code: 'PARENT_YOUNGER', message: `The person holding ${number} was not born before the child; check the number.` });
    }
    if (given.name !== undefined && given.name !== found.name) {
      issues.push({ field: `${field}.name`, code: 'PARENT_NAME_MISMATCH', message: `The name given does not match the name registered for ${number}; check the ID card (the registered name is recorded).` });
    }
    const membership = await hq.findCurrentMembership(db, found.id);
    out.push({ role, name: found.name, person: { id: found.id, idNumber: found.id_number, householdId: membership?.household_id ?? null } });
  }
  return out;
}

/**
 * Registers a birth (出生登记) in the household of the infant's permanent residence: allocates the
 * ID number under the household's county address code, creates the person and their membership.
 */
export async function registerBirth(ctx: ServiceContext, input: RegisterBirthInput): Promise<RegisterBirthResult> {
  return runWrite(ctx, { operation: 'registerBirth', idempotencyKey: input.idempotencyKey, request: input }, async (trx) => {
    const today = chinaDate(ctx.clock.now());
    const household = await lockReceivingHousehold(trx, input.householdNumber, ctx.actor);
    assertHouseholdVersion(household, input.expectedVersion);
    const issues: FieldIssue[] = [];
    const name = textIssue('name', input.name, TEXT_LIMITS.name);
    if (name) issues.push(name);
    const date = dateIssue('birthDate', input.birthDate, today);
    if (date) issues.push(date);
    if (!isAllocatableSex(input.sex)) {
      issues.push({ field: 'sex', code: 'SEX_FOR_ID_NUMBER', message: 'A birth is registered as 1 (male) or 2 (female): the ID number encodes one of them.' });
    }
    const relationship = await relationshipIssue(trx, household, input.relationship, 'relationship');
    if (relationship) issues.push(relationship);
    const certificateNumber = input.birthCertificateNumber?.toUpperCase();
    if (certificateNumber !== undefined && !BIRTH_CERTIFICATE_NUMBER.test(certificateNumber)) {
      issues.push({ field: 'birthCertificateNumber', code: 'BIRTH_CERTIFICATE_FORMAT', message: 'A birth medical certificate number (出生医学证明编号) is one letter and nine digits, e.g. X320101001.' });
    }
    const parents = await resolveParents(trx, input, issues);
    await assertCodes(trx, [...particularsCodeChecks(input), { field: 'relationship', kind: 'relationship', code: input.relationship }], issues);
    // Art. 6/7: the child is registered at the parents' place — in a household of a parent named by
    // ID number (随父随母落户), when such a parent has a current household.
    const parentHouseholds = parents.flatMap((p) => (p.person?.householdId != null ? [p.person.householdId] : []));
    if (parentHouseholds.length > 0 && !parentHouseholds.includes(household.id)) {
      throw new AppError(
        'BIRTH_HOUSEHOLD_NOT_PARENTS',
        `Household ${household.household_number} is not the household of a parent named by ID number. Register the birth in the household of the mother or the father, at its police station.`,
        { details: { householdNumber: household.household_number } },
      );
    }
    if (certificateNumber !== undefined && (await pq.birthCertificateRegistered(trx, certificateNumber))) throw certificateUsed(certificateNumber);

    // GB 11643 §5.2: the address code is the county of the registering household.
    const idNumber = await allocateIdNumber(trx, { addressCode: household.county_code, birthDate: input.birthDate, sex: input.sex as '1' | '2' });
    const person = await pq.insertPerson(trx, {
      id_number: idNumber,
      name: input.name,
      name_pinyin: namePinyin(input.name),
      sex: input.sex,
      birth_date: input.birthDate,
      ethnicity: input.ethnicity,
      birthplace_code: input.birthplaceCode ?? null,
      native_place_code: input.nativePlaceCode ?? null,
      education: null,
      marital_status: null,
      occupation: null,
      employer: null,
    });
    await pq.insertIdNumber(trx, { id_number: idNumber, person_id: person.id, valid_from: today, reason: 'birth' });
    const mother = parents.find((p) => p.role === 'mother');
    const father = parents.find((p) => p.role === 'father');
    try {
      await pq.insertBirthRecord(trx, {
        person_id: person.id,
        certificate_number: certificateNumber ?? null,
        mother_person_id: mother?.person?.id ?? null,
        mother_name: mother?.name ?? null,
        father_person_id: father?.person?.id ?? null,
        father_name: father?.name ?? null,
      });
    } catch (e) {
      // a concurrent registration of the same certificate committed first
      if ((e as { constraint?: string }).constraint === 'birth_record_certificate_number_key') throw certificateUsed(certificateNumber!);
      throw e;
    }
    await hq.openMembership(trx, { person_id: person.id, household_id: household.id, relationship: input.relationship, since: today });
    const updated = await updateHousehold(trx, household, input.expectedVersion, input.relationship === HEAD_RELATIONSHIP ? { head_person_id: person.id } : {});
    const registrationDue = addMonths(input.birthDate, BIRTH_REGISTRATION_MONTHS);
    const lateRegistration = today > registrationDue;
    return {
      result: {
        person: personSummary(person),
        household: householdSummary(updated),
        registrationDue,
        lateRegistration,
        birth: {
          certificateNumber: certificateNumber ?? null,
          mother: mother ? { name: mother.name, idNumber: mother.person?.idNumber ?? null, linked: mother.person !== null } : null,
          father: father ? { name: father.name, idNumber: father.person?.idNumber ?? null, linked: father.person !== null } : null,
        },
      },
      events: [
        {
          kind: 'birth',
          personId: person.id,
          householdId: household.id,
          occurredOn: input.birthDate,
          authorityId: household.authority_id,
          legalBasis: LEGAL_BASIS.birth,
          reason: input.reason,
          data: {
            idNumber,
            relationship: input.relationship,
            registeredOn: today,
            registrationDue,
            lateRegistration,
            birthCertificateNumber: certificateNumber ?? null,
            motherIdNumber: mother?.person?.idNumber ?? null,
            fatherIdNumber: father?.person?.idNumber ?? null,
          },
        },
      ],
    };
  });
}
