import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { assertCodes, invalid } from './codes.ts';
import {
  assertActive,
  assertHouseholdVersion,
  assertNoOpenTransfer,
  assertPersonVersion,
  householdNotFound,
  lockHousehold,
  lockPerson,
  membershipIn,
  personNotFound,
  updateHousehold,
  updatePerson,
} from './guards.ts';
import * as hq from './household.queries.ts';
import { lockReceivingHousehold, relationshipIssue, type WriteMeta } from './household.service.ts';
import { namePinyin } from './names.ts';
import { assertNewPerson, type NewPersonInput } from './particulars.ts';
import * as pq from './person.queries.ts';
import { HEAD_RELATIONSHIP, LEGAL_BASIS } from './registry.law.ts';
import { householdSummary, personSummary, type HouseholdSummary, type PersonSummary } from './views.ts';
import { runWrite } from './write.ts';

export interface AddMemberInput extends WriteMeta {
  householdNumber: string;
  /** Version of the household as the client read it. */
  expectedVersion: number;
  /** GB/T 4761 relationship to the head (02 makes the person head of a household without one). */
  relationship: string;
  /** A person in the register whose hukou is cancelled (returned from abroad or from service): restored here. */
  idNumber?: string | undefined;
  /** A person not yet in the register (e.g. naturalised, or never registered): registered here. */
  person?: NewPersonInput | undefined;
}

export interface AddMemberResult {
  person: PersonSummary;
  household: HouseholdSummary;
  registration: 'new' | 'restored';
}

/** A person with no current hukou becomes a member: restored (户口恢复) or newly registered. */
export async function addMember(ctx: ServiceContext, input: AddMemberInput): Promise<AddMemberResult> {
  if ((input.idNumber === undefined) === (input.person === undefined)) {
    throw invalid([{ field: 'idNumber', code: 'ONE_OF', message: 'Give either idNumber (a person in the register) or person (a person to register), not both or neither.' }]);
  }
  return runWrite(ctx, { operation: 'addMember', idempotencyKey: input.idempotencyKey, request: input }, async (trx) => {
    const today = chinaDate(ctx.clock.now());
    // The receiving household must be in the actor's area; it is checked first, so an officer who
    // cannot register anyone there learns nothing about the person.
    await assertHouseholdInJurisdiction(trx, input.householdNumber, ctx);
    const existing = input.idNumber !== undefined ? await restorable(trx, input.idNumber) : null;
    const household = await lockReceivingHousehold(trx, input.householdNumber, ctx.actor);
    assertHouseholdVersion(household, input.expectedVersion);
    const issue = await relationshipIssue(trx, household, input.relationship, 'relationship');
    await assertCodes(trx, [{ field: 'relationship', kind: 'relationship', code: input.relationship }], issue ? [issue] : []);
    if (existing) await assertNotMember(trx, existing, household, ctx);

    let person: pq.PersonRow;
    if (existing) {
      person = await updatePerson(trx, existing, existing.version, { status: 'active' });
    } else {
      const p = input.person!;
      const idNumber = await assertNewPerson(trx, p, today);
      if (await pq.idNumberTaken(trx, idNumber)) {
        throw new AppError('DUPLICATE_ID_NUMBER', `ID number ${idNumber} is already held (now or formerly) by a person in the register; look them up with GET /api/v1/persons/${idNumber}.`, {
          details: { idNumber },
        });
      }
      person = await pq.insertPerson(trx, {
        id_number: idNumber,
        name: p.name,
        name_pinyin: namePinyin(p.name),
        sex: p.sex,
        birth_date: p.birthDate,
        ethnicity: p.ethnicity,
        birthplace_code: p.birthplaceCode ?? null,
        native_place_code: p.nativePlaceCode ?? null,
        education: p.education ?? null,
        marital_status: p.maritalStatus ?? null,
        occupation: p.occupation ?? null,
        employer: p.employer ?? null,
      });
      await pq.insertIdNumber(trx, { id_number: idNumber, person_id: person.id, valid_from: today, reason: 'registration' });
    }
    await hq.openMembership(trx, { person_id: person.id, household_id: household.id, relationship: input.relationship, since: today });
    const updated = await updateHousehold(trx, household, input.expectedVersion, input.relationship === HEAD_RELATIONSHIP ? { head_person_id: person.id } : {});
    const registration = existing ? 'restored' : 'new';
    return {
      result: { person: personSummary(person), household: householdSummary(updated), registration },
      events: [
        {
          kind: 'registration',
          personId: person.id,
          householdId: household.id,
          occurredOn: today,
          authorityId: household.authority_id,
          legalBasis: existing ? LEGAL_BASIS.moveIn : LEGAL_BASIS.oneHukou,
          reason: input.reason,
          data: { registration, relationship: input.relationship, householdNumber: household.household_number, previousStatus: existing?.status ?? null },
        },
      ],
    };
  });
}

/** The household exists in the actor's area (a find, not a lock: the lock order stays persons, then households). */
async function assertHouseholdInJurisdiction(db: Db, householdNumber: string, ctx: ServiceContext): Promise<void> {
  if (!(await hq.findHouseholdByNumber(db, householdNumber, ctx.actor))) throw householdNotFound(householdNumber);
}

/**
 * A person in the register who may be added: alive, with no current hukou. Found wherever they
 * were registered before: a hukou is restored where the person settles (returned from abroad or
 * from military service), which is the receiving household's authority.
 */
async function restorable(db: Db, idNumber: string): Promise<pq.PersonRow> {
  const person = await lockPerson(db, idNumber, null);
  if (person.status === 'deceased') assertActive(person, { foundAnywhere: true });
  await assertNoOpenTransfer(db, person, { foundAnywhere: true });
  return person;
}

async function assertNotMember(db: Db, person: pq.PersonRow, household: hq.HouseholdRow, ctx: ServiceContext): Promise<void> {
  const current = await hq.findCurrentMembership(db, person.id);
  if (!current) return;
  if (current.household_id === household.id) {
    throw new AppError('ALREADY_REGISTERED', `${person.id_number} is already a member of household ${household.household_number}.`, {
      details: { idNumber: person.id_number, householdNumber: household.household_number },
    });
  }
  // A current hukou outside the actor's area is not theirs to know of: the same 404 as a number
  // nobody holds, so restoring is no existence oracle for the register of other areas (issue #11).
  if (!(await pq.lockPersonByIdNumber(db, person.id_number, ctx.actor))) throw personNotFound(person.id_number);
  throw new AppError(
    'SECOND_HUKOU',
    `${person.id_number} already has a current hukou in another household; a person has one place of permanent registration (户口登记条例 Art. 6). Move them (…/members/{idNumber}/move) or transfer them instead.`,
    { details: { idNumber: person.id_number } },
  );
}

export type RemovalCause = 'emigrated' | 'enlisted' | 'other';

export interface RemoveMemberInput extends WriteMeta {
  householdNumber: string;
  idNumber: string;
  /** Version of the person as the client read it. */
  expectedVersion: number;
  /** Settled abroad (Art. 10), enlisted (Art. 11), or another cancellation (e.g. a duplicate registration). */
  cause: RemovalCause;
}

export interface RemoveMemberResult {
  person: PersonSummary;
  household: HouseholdSummary;
  householdNeedsNewHead: boolean;
}

const REMOVAL = {
  emigrated: { status: 'emigrated', legalBasis: LEGAL_BASIS.moveOut },
  enlisted: { status: 'cancelled', legalBasis: LEGAL_BASIS.enlistment },
  other: { status: 'cancelled', legalBasis: LEGAL_BASIS.oneHukou },
} as const;

/** Cancels a member's hukou (注销户口) without a destination: the person stays in the register. */
export async function removeMember(ctx: ServiceContext, input: RemoveMemberInput): Promise<RemoveMemberResult> {
  return runWrite(ctx, { operation: 'removeMember', idempotencyKey: input.idempotencyKey, request: input }, async (trx) => {
    const today = chinaDate(ctx.clock.now());
    const person = await lockPerson(trx, input.idNumber, ctx.actor);
    assertPersonVersion(person, input.expectedVersion);
    assertActive(person);
    const household = await lockHousehold(trx, input.householdNumber, ctx.actor);
    const membership = await membershipIn(trx, person, household);
    await assertNoOpenTransfer(trx, person);
    const removal = REMOVAL[input.cause];
    const updatedPerson = await updatePerson(trx, person, input.expectedVersion, { status: removal.status });
    await hq.closeMembership(trx, membership.id, today);
    const wasHead = household.head_person_id === person.id;
    const updated = await hq.updateHousehold(trx, household.id, wasHead ? { head_person_id: null } : {});
    return {
      result: { person: personSummary(updatedPerson), household: householdSummary(updated), householdNeedsNewHead: wasHead },
      events: [
        {
          kind: 'member_removed',
          personId: person.id,
          householdId: household.id,
          occurredOn: today,
          authorityId: household.authority_id,
          legalBasis: removal.legalBasis,
          reason: input.reason,
          data: { cause: input.cause, relationship: membership.relationship, wasHead },
        },
      ],
    };
  });
}
