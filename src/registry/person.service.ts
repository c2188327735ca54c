import type { Updateable } from 'kysely';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { FieldIssue } from '../platform/errors.ts';
import { assertCodes, invalid } from './codes.ts';
import { addMonths } from '../platform/calendar.ts';
import { assertNoOpenTransfer, assertActive, assertPersonVersion, lockPerson, updatePerson } from './guards.ts';
import * as hq from './household.queries.ts';
import type { WriteMeta } from './household.service.ts';
import { allocateIdNumber, isAllocatableSex } from './id-allocation.ts';
import { namePinyin } from './names.ts';
import { dateIssue, particularsCodeChecks, type ParticularsInput, TEXT_LIMITS } from './particulars.ts';
import { textIssue } from '../platform/text.ts';
import * as pq from './person.queries.ts';
import { LEGAL_BASIS } from './registry.law.ts';
import type { PersonTable } from './registry.tables.ts';
import { householdSummary, personRecord, personSummary, type HouseholdSummary, type PersonRecord, type PersonSummary } from './views.ts';
import type { EventDraft } from './write.ts';
import { runWrite } from './write.ts';

export interface RegisterDeathInput extends WriteMeta {
  idNumber: string;
  /** Version of the person as the client read it. */
  expectedVersion: number;
  deathDate: string;
}

export interface RegisterDeathResult {
  person: PersonSummary;
  household: HouseholdSummary | null;
  /** The deceased was head of household: the household needs a new head (POST /households/{number}/head). */
  householdNeedsNewHead: boolean;
  /** Registered more than a month after the death (户口登记条例 Art. 8). */
  lateRegistration: boolean;
}

/**
 * Registers a death (死亡登记, 户口登记条例 Art. 8): the person becomes deceased and their hukou is
 * cancelled (membership closed); the record and its history stay.
 */
export async function registerDeath(ctx: ServiceContext, input: RegisterDeathInput): Promise<RegisterDeathResult> {
  return runWrite(ctx, { operation: 'registerDeath', idempotencyKey: input.idempotencyKey, request: input }, async (trx) => {
    const today = chinaDate(ctx.clock.now());
    // Registered at the hukou place (户口登记条例 Art. 8): the person's hukou must be in the actor's area.
    const person = await lockPerson(trx, input.idNumber, ctx.actor);
    assertPersonVersion(person, input.expectedVersion);
    if (person.status === 'deceased') assertActive(person);
    const issue = dateIssue('deathDate', input.deathDate, today, { date: person.birth_date, what: 'the birth date' });
    if (issue) throw invalid([issue]);
    await assertNoOpenTransfer(trx, person);

    const membership = await hq.findCurrentMembership(trx, person.id);
    const updatedPerson = await updatePerson(trx, person, input.expectedVersion, { status: 'deceased', death_date: input.deathDate });
    let household: hq.HouseholdRow | null = null;
    let wasHead = false;
    if (membership) {
      const locked = await hq.lockHouseholdById(trx, membership.household_id);
      await hq.closeMembership(trx, membership.id, input.deathDate < membership.since ? membership.since : input.deathDate);
      wasHead = locked.head_person_id === person.id;
      household = await hq.updateHousehold(trx, locked.id, wasHead ? { head_person_id: null } : {});
    }
    const lateRegistration = today > addMonths(input.deathDate, 1);
    return {
      result: {
        person: personSummary(updatedPerson),
        household: household ? householdSummary(household) : null,
        householdNeedsNewHead: wasHead,
        lateRegistration,
      },
      events: [
        {
          kind: 'death',
          personId: person.id,
          householdId: household?.id ?? null,
          occurredOn: input.deathDate,
          authorityId: household?.authority_id ?? ctx.actor.authorityId,
          legalBasis: LEGAL_BASIS.death,
          reason: input.reason,
          data: { registeredOn: today, lateRegistration, wasHead, relationship: membership?.relationship ?? null },
        },
      ],
    };
  });
}

export interface CorrectParticularsInput extends WriteMeta {
  idNumber: string;
  /** Version of the person as the client read it. */
  expectedVersion: number;
  /** The corrected values; fields left out stay as they are. */
  changes: Partial<ParticularsInput>;
  /** Why (the supporting evidence checked, 户口登记条例 Art. 17). */
  reason: string;
}

export interface CorrectParticularsResult {
  person: PersonRecord;
  changed: string[];
  /** Set when a birth-date or sex correction issued a new ID number. */
  previousIdNumber: string | null;
}

const COLUMN_OF: Record<keyof ParticularsInput, keyof PersonTable> = {
  name: 'name',
  sex: 'sex',
  birthDate: 'birth_date',
  ethnicity: 'ethnicity',
  birthplaceCode: 'birthplace_code',
  nativePlaceCode: 'native_place_code',
  education: 'education',
  maritalStatus: 'marital_status',
  occupation: 'occupation',
  employer: 'employer',
};

/**
 * Corrects registered particulars (变更更正, 户口登记条例 Art. 17–18). A new name keeps the old one
 * among former names; a corrected birth date or sex issues a new ID number under the original
 * address code and keeps the old number in the person's history (GB 11643 encodes both).
 */
export async function correctParticulars(ctx: ServiceContext, input: CorrectParticularsInput): Promise<CorrectParticularsResult> {
  return runWrite(ctx, { operation: 'correctParticulars', idempotencyKey: input.idempotencyKey, request: input }, async (trx) => {
    const today = chinaDate(ctx.clock.now());
    const person = await lockPerson(trx, input.idNumber, ctx.actor);
    assertPersonVersion(person, input.expectedVersion);
    const current = personRecord(person) as unknown as Record<string, unknown>;
    const fields = (Object.keys(input.changes) as (keyof ParticularsInput)[]).filter(
      (f) => input.changes[f] !== undefined && (input.changes[f] ?? null) !== (current[f] ?? null),
    );
    const issues: FieldIssue[] = [];
    if (fields.length === 0) issues.push({ field: 'changes', code: 'NO_CHANGE', message: 'Every given value equals the registered one: nothing to correct.' });
    const c = input.changes;
    const name = textIssue('changes.name', c.name, TEXT_LIMITS.name);
    if (name) issues.push(name);
    const reissue = fields.includes('sex') || fields.includes('birthDate');
    const newSex = c.sex ?? person.sex;
    const newBirthDate = c.birthDate ?? person.birth_date;
    if (fields.includes('birthDate')) {
      const date = dateIssue('changes.birthDate', newBirthDate, today);
      if (date) issues.push(date);
    }
    if (reissue && !isAllocatableSex(newSex)) {
      issues.push({ field: 'changes.sex', code: 'SEX_FOR_ID_NUMBER', message: 'A new ID number needs sex 1 (male) or 2 (female).' });
    }
    if (reissue && person.status === 'deceased') {
      issues.push({ field: 'changes', code: 'DECEASED_NUMBER', message: 'The ID number of a deceased person is not reissued; correct the record without changing sex or birth date.' });
    }
    await assertCodes(trx, particularsCodeChecks(Object.fromEntries(fields.map((f) => [f, c[f]])), 'changes.'), issues);

    const update: Updateable<PersonTable> = {};
    for (const f of fields) (update as Record<string, unknown>)[COLUMN_OF[f]] = c[f] ?? null;
    if (fields.includes('name')) {
      update.name_pinyin = namePinyin(c.name!);
      update.former_names = person.former_names.includes(person.name) ? person.former_names : [...person.former_names, person.name];
    }
    const events: EventDraft[] = [];
    const household = await hq.findCurrentMembership(trx, person.id).then((m) => (m ? hq.findHouseholdById(trx, m.household_id) : null));
    const authorityId = household?.authority_id ?? ctx.actor.authorityId;
    let previousIdNumber: string | null = null;
    if (reissue) {
      // GB 11643 §5.2: the address code is the one first assigned, never re-derived from the current address.
      const idNumber = await allocateIdNumber(trx, { addressCode: person.id_number.slice(0, 6), birthDate: newBirthDate, sex: newSex as '1' | '2' });
      update.id_number = idNumber;
      previousIdNumber = person.id_number;
      await pq.closeIdNumber(trx, person.id_number, today);
      await pq.insertIdNumber(trx, { id_number: idNumber, person_id: person.id, valid_from: today, reason: `correction of ${fields.filter((f) => f === 'sex' || f === 'birthDate').join(' and ')}` });
    }
    const updated = await updatePerson(trx, person, input.expectedVersion, update);
    events.push({
      kind: 'correction',
      personId: person.id,
      householdId: household?.id ?? null,
      occurredOn: today,
      authorityId,
      legalBasis: fields.includes('name') ? `${LEGAL_BASIS.correction}；${LEGAL_BASIS.nameChange}` : LEGAL_BASIS.correction,
      reason: input.reason,
      data: { changes: Object.fromEntries(fields.map((f) => [f, { from: current[f] ?? null, to: c[f] ?? null }])) },
    });
    if (previousIdNumber) {
      events.push({
        kind: 'id_number_change',
        personId: person.id,
        householdId: household?.id ?? null,
        occurredOn: today,
        authorityId,
        legalBasis: LEGAL_BASIS.idNumberChange,
        reason: input.reason,
        data: { from: previousIdNumber, to: updated.id_number },
      });
    }
    return { result: { person: personRecord(updated), changed: fields, previousIdNumber }, events };
  });
}
