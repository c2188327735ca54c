import { chinaDate } from '../platform/clock.ts';
import { addMonths } from '../platform/calendar.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { FieldIssue } from '../platform/errors.ts';
import { assertCodes } from './codes.ts';
import { assertHouseholdVersion, updateHousehold } from './guards.ts';
import * as hq from './household.queries.ts';
import { lockReceivingHousehold, relationshipIssue, type WriteMeta } from './household.service.ts';
import { allocateIdNumber, isAllocatableSex } from './id-allocation.ts';
import { namePinyin } from './names.ts';
import { dateIssue, particularsCodeChecks, TEXT_LIMITS } from './particulars.ts';
import { textIssue } from '../platform/text.ts';
import * as pq from './person.queries.ts';
import { BIRTH_REGISTRATION_MONTHS, HEAD_RELATIONSHIP, LEGAL_BASIS } from './registry.law.ts';
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
}

export interface RegisterBirthResult {
  person: PersonSummary;
  household: HouseholdSummary;
  /** The day registration was due: one month after birth (户口登记条例 Art. 7). */
  registrationDue: string;
  /** Registered after the due date: allowed, and recorded in the event. */
  lateRegistration: boolean;
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
    await assertCodes(trx, [...particularsCodeChecks(input), { field: 'relationship', kind: 'relationship', code: input.relationship }], issues);

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
    await hq.openMembership(trx, { person_id: person.id, household_id: household.id, relationship: input.relationship, since: today });
    const updated = await updateHousehold(trx, household, input.expectedVersion, input.relationship === HEAD_RELATIONSHIP ? { head_person_id: person.id } : {});
    const registrationDue = addMonths(input.birthDate, BIRTH_REGISTRATION_MONTHS);
    const lateRegistration = today > registrationDue;
    return {
      result: { person: personSummary(person), household: householdSummary(updated), registrationDue, lateRegistration },
      events: [
        {
          kind: 'birth',
          personId: person.id,
          householdId: household.id,
          occurredOn: input.birthDate,
          authorityId: household.authority_id,
          legalBasis: LEGAL_BASIS.birth,
          reason: input.reason,
          data: { idNumber, relationship: input.relationship, registeredOn: today, registrationDue, lateRegistration },
        },
      ],
    };
  });
}
