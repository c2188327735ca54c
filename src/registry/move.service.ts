import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { assertCodes } from './codes.ts';
import {
  assertActive,
  assertHouseholdOpen,
  assertNoOpenTransfer,
  assertPersonVersion,
  householdNotFound,
  lockPerson,
  membershipIn,
  provinceOf,
  updatePerson,
} from './guards.ts';
import * as hq from './household.queries.ts';
import { relationshipIssue, type WriteMeta } from './household.service.ts';
import { HEAD_RELATIONSHIP, LEGAL_BASIS } from './registry.law.ts';
import { householdSummary, personSummary, type HouseholdSummary, type PersonSummary } from './views.ts';
import { runWrite } from './write.ts';

export interface MoveMemberInput extends WriteMeta {
  /** The household the person leaves (they must be a current member). */
  fromHouseholdNumber: string;
  idNumber: string;
  /** Version of the person as the client read it. */
  expectedVersion: number;
  destinationHouseholdNumber: string;
  /** GB/T 4761 relationship to the destination head (02 when they become its head). */
  relationship: string;
}

export interface MoveMemberResult {
  person: PersonSummary;
  from: HouseholdSummary;
  to: HouseholdSummary;
  /** The person was head of the household they left: it needs a new head (POST …/head). */
  fromNeedsNewHead: boolean;
}

/**
 * Moves a member to another household in the same province: move-out (户口登记条例 Art. 10) and
 * move-in (Art. 13) in one transaction. Across provinces, the destination handles a transfer instead.
 */
export async function moveMember(ctx: ServiceContext, input: MoveMemberInput): Promise<MoveMemberResult> {
  return runWrite(ctx, { operation: 'moveMember', idempotencyKey: input.idempotencyKey, request: input }, async (trx) => {
    const today = chinaDate(ctx.clock.now());
    // Both households must be in the actor's area: the officer registers the move-out and the
    // move-in (户口登记条例 Arts. 10, 13). A move beyond their area is done by the authority above.
    const person = await lockPerson(trx, input.idNumber, ctx.actor);
    assertPersonVersion(person, input.expectedVersion);
    assertActive(person);
    const fromRef = await hq.findHouseholdByNumber(trx, input.fromHouseholdNumber, ctx.actor);
    const toRef = await hq.findHouseholdByNumber(trx, input.destinationHouseholdNumber, ctx.actor);
    if (!fromRef) throw householdNotFound(input.fromHouseholdNumber);
    if (!toRef) throw householdNotFound(input.destinationHouseholdNumber);
    const locked = await hq.lockHouseholdsById(trx, [...new Set([fromRef.id, toRef.id])]);
    const from = locked.find((h) => h.id === fromRef.id)!;
    const to = locked.find((h) => h.id === toRef.id)!;
    const membership = await membershipIn(trx, person, from);
    await assertNoOpenTransfer(trx, person);
    if (from.id === to.id) {
      throw new AppError('SAME_HOUSEHOLD', `${person.id_number} is already a member of household ${to.household_number}; to change their relationship, change the head or correct the record.`, {
        details: { householdNumber: to.household_number },
      });
    }
    assertHouseholdOpen(to);
    if (provinceOf(from.county_code) !== provinceOf(to.county_code)) {
      throw new AppError(
        'INTERPROVINCIAL_MOVE',
        `Household ${to.household_number} is in another province (${to.county_code}); a move across provinces is an interprovincial transfer handled at the destination: POST /api/v1/transfers.`,
        { details: { fromCounty: from.county_code, toCounty: to.county_code } },
      );
    }
    const issue = await relationshipIssue(trx, to, input.relationship, 'relationship');
    await assertCodes(trx, [{ field: 'relationship', kind: 'relationship', code: input.relationship }], issue ? [issue] : []);

    const moved = await updatePerson(trx, person, input.expectedVersion, {});
    await hq.closeMembership(trx, membership.id, today);
    await hq.openMembership(trx, { person_id: person.id, household_id: to.id, relationship: input.relationship, since: today });
    const wasHead = from.head_person_id === person.id;
    const fromAfter = await hq.updateHousehold(trx, from.id, wasHead ? { head_person_id: null } : {});
    const toAfter = await hq.updateHousehold(trx, to.id, input.relationship === HEAD_RELATIONSHIP ? { head_person_id: person.id } : {});
    const data = { from: from.household_number, to: to.household_number, previousRelationship: membership.relationship, relationship: input.relationship };
    return {
      result: { person: personSummary(moved), from: householdSummary(fromAfter), to: householdSummary(toAfter), fromNeedsNewHead: wasHead },
      events: [
        { kind: 'move_out', personId: person.id, householdId: from.id, occurredOn: today, authorityId: from.authority_id, legalBasis: LEGAL_BASIS.moveOut, reason: input.reason, data },
        { kind: 'move_in', personId: person.id, householdId: to.id, occurredOn: today, authorityId: to.authority_id, legalBasis: LEGAL_BASIS.moveIn, reason: input.reason, data },
      ],
    };
  });
}
