import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { AppError, type FieldIssue } from '../platform/errors.ts';
import { normalizeIdNumber } from '../idnumber/index.ts';
import { assertCodes, memberRelationshipIssue } from './codes.ts';
import { assertHouseholdVersion, lockHousehold, updateHousehold } from './guards.ts';
import * as hq from './household.queries.ts';
import type { WriteMeta } from './household.service.ts';
import * as pq from './person.queries.ts';
import { HEAD_RELATIONSHIP, LEGAL_BASIS } from './registry.law.ts';
import { householdSummary, type HouseholdSummary } from './views.ts';
import type { EventDraft } from './write.ts';
import { runWrite } from './write.ts';

export interface RelationshipChange {
  idNumber: string;
  /** GB/T 4761 relationship to the new head. */
  relationship: string;
}

export interface ChangeHeadInput extends WriteMeta {
  householdNumber: string;
  /** Version of the household as the client read it. */
  expectedVersion: number;
  newHeadIdNumber: string;
  /** New relationships to the new head; required for the former head if they remain a member. */
  relationships?: RelationshipChange[] | undefined;
}

export interface ChangeHeadResult {
  household: HouseholdSummary;
  head: { idNumber: string; name: string };
  relationshipsChanged: number;
}

function notAMember(idNumber: string, householdNumber: string): AppError {
  return new AppError('NOT_A_MEMBER', `${idNumber} is not a current member of household ${householdNumber}; only members can be head or have a relationship to the head.`, {
    details: { idNumber, householdNumber },
  });
}

/** Changes the head of household (户主变更, 户口登记条例 Art. 5 and 17) and, with it, relationships to the head. */
export async function changeHead(ctx: ServiceContext, input: ChangeHeadInput): Promise<ChangeHeadResult> {
  return runWrite(ctx, { operation: 'changeHead', idempotencyKey: input.idempotencyKey, request: input }, async (trx) => {
    const today = chinaDate(ctx.clock.now());
    const newHeadId = normalizeIdNumber(input.newHeadIdNumber);
    const changes = (input.relationships ?? []).map((c) => ({ ...c, idNumber: normalizeIdNumber(c.idNumber) }));
    // Lock order: persons before households. The events and the new head reference these persons,
    // which takes a key-share lock on their rows: taken after the household's lock, it waited on a
    // death or move of one of them that was itself waiting for the household — a deadlock.
    await pq.lockPersonsByIdNumbers(trx, [newHeadId, ...changes.map((c) => c.idNumber)]);
    const household = await lockHousehold(trx, input.householdNumber, ctx.actor);
    assertHouseholdVersion(household, input.expectedVersion);
    const members = await hq.listMembers(trx, household.id);
    const byIdNumber = new Map(members.map((m) => [m.id_number, m]));
    const newHead = byIdNumber.get(newHeadId);
    if (!newHead) throw notAMember(newHeadId, household.household_number);
    if (household.head_person_id === newHead.id) {
      throw new AppError('HEAD_CONFLICT', `${newHeadId} is already the head of household ${household.household_number}; to change others' relationships, name a different head or correct them.`, {
        details: { idNumber: newHeadId },
      });
    }

    const issues: FieldIssue[] = [];
    changes.forEach((c, i) => {
      const field = `relationships.${i}.relationship`;
      if (c.idNumber === newHeadId) issues.push({ field: `relationships.${i}.idNumber`, code: 'NEW_HEAD', message: 'The new head is 02 (户主) by definition; leave them out of relationships.' });
      else if (changes.findIndex((o) => o.idNumber === c.idNumber) < i) {
        issues.push({ field: `relationships.${i}.idNumber`, code: 'DUPLICATE_MEMBER', message: 'This member is listed twice; give each member one relationship.' });
      }
      const reserved = memberRelationshipIssue(field, c.relationship);
      if (reserved) issues.push(reserved);
    });
    const oldHead = members.find((m) => m.id === household.head_person_id);
    if (oldHead && !changes.some((c) => c.idNumber === oldHead.id_number)) {
      issues.push({ field: 'relationships', code: 'FORMER_HEAD_RELATIONSHIP', message: `The former head ${oldHead.id_number} stays a member: give their relationship to the new head.` });
    }
    await assertCodes(trx, changes.map((c, i) => ({ field: `relationships.${i}.relationship`, kind: 'relationship' as const, code: c.relationship })), issues);
    for (const c of changes) if (!byIdNumber.has(c.idNumber)) throw notAMember(c.idNumber, household.household_number);

    await hq.setRelationship(trx, newHead.membership_id, HEAD_RELATIONSHIP);
    const events: EventDraft[] = [
      {
        kind: 'head_change',
        personId: newHead.id,
        householdId: household.id,
        occurredOn: today,
        authorityId: household.authority_id,
        legalBasis: LEGAL_BASIS.household,
        reason: input.reason,
        data: { formerHead: oldHead?.id_number ?? null, newHead: newHeadId, previousRelationship: newHead.relationship },
      },
    ];
    for (const c of changes) {
      const member = byIdNumber.get(c.idNumber)!;
      if (member.relationship === c.relationship) continue;
      await hq.setRelationship(trx, member.membership_id, c.relationship);
      events.push({
        kind: 'relationship_change',
        personId: member.id,
        householdId: household.id,
        occurredOn: today,
        authorityId: household.authority_id,
        legalBasis: LEGAL_BASIS.correction,
        reason: input.reason,
        data: { from: member.relationship, to: c.relationship, newHead: newHeadId },
      });
    }
    const updated = await updateHousehold(trx, household, input.expectedVersion, { head_person_id: newHead.id });
    return {
      result: { household: householdSummary(updated), head: { idNumber: newHeadId, name: newHead.name }, relationshipsChanged: events.length - 1 },
      events,
    };
  });
}
