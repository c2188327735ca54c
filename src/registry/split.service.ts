import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { AppError, type FieldIssue } from '../platform/errors.ts';
import { normalizeIdNumber } from '../idnumber/index.ts';
import { assertCodes, invalid, memberRelationshipIssue } from './codes.ts';
import { assertActive, assertHouseholdVersion, assertNoOpenTransfer, householdNotFound, provinceOf } from './guards.ts';
import * as hq from './household.queries.ts';
import { assertTownshipInJurisdiction, formatHouseholdNumber, legalBasisOfKind, resolveAddress, type WriteMeta } from './household.service.ts';
import * as pq from './person.queries.ts';
import { HEAD_RELATIONSHIP, LEGAL_BASIS } from './registry.law.ts';
import type { HouseholdKind } from './registry.tables.ts';
import { householdSummary, type HouseholdSummary } from './views.ts';
import type { EventDraft } from './write.ts';
import { runWrite } from './write.ts';

export interface SplitMember {
  idNumber: string;
  /** Relationship to the new head (ignored for the new head, who is 02). */
  relationship?: string | undefined;
}

export interface SplitHouseholdInput extends WriteMeta {
  householdNumber: string;
  /** Version of the household being split, as the client read it. */
  expectedVersion: number;
  /** Members who form the new household, the new head among them. */
  members: SplitMember[];
  newHeadIdNumber: string;
  townshipCode: string;
  address: string;
  kind?: HouseholdKind | undefined;
  authorityId?: string | undefined;
}

export interface SplitHouseholdResult {
  source: HouseholdSummary;
  household: HouseholdSummary;
  moved: string[];
  /** The head of the source household left with the split: it needs a new head (POST …/head). */
  sourceNeedsNewHead: boolean;
}

/** Splits a household (分户): the selected members form a new household at an address, with a new head. */
export async function splitHousehold(ctx: ServiceContext, input: SplitHouseholdInput): Promise<SplitHouseholdResult> {
  const entries = input.members.map((m) => ({ ...m, idNumber: normalizeIdNumber(m.idNumber) }));
  const headId = normalizeIdNumber(input.newHeadIdNumber);
  const issues: FieldIssue[] = [];
  if (!entries.some((m) => m.idNumber === headId)) issues.push({ field: 'newHeadIdNumber', code: 'HEAD_NOT_IN_MEMBERS', message: 'The new head must be one of the members who split off.' });
  if (new Set(entries.map((m) => m.idNumber)).size !== entries.length) issues.push({ field: 'members', code: 'DUPLICATE_MEMBER', message: 'A member is listed twice.' });
  entries.forEach((m, i) => {
    if (m.idNumber === headId) return;
    const field = `members.${i}.relationship`;
    if (m.relationship === undefined) issues.push({ field, code: 'REQUIRED', message: 'Give the relationship to the new head.' });
    else {
      const reserved = memberRelationshipIssue(field, m.relationship);
      if (reserved) issues.push(reserved);
    }
  });
  if (issues.length > 0) throw invalid(issues);

  return runWrite(ctx, { operation: 'splitHousehold', idempotencyKey: input.idempotencyKey, request: input }, async (trx) => {
    const today = chinaDate(ctx.clock.now());
    // lock order: persons before households
    const persons = await pq.lockPersonsByIdNumbers(trx, entries.map((m) => m.idNumber));
    const sourceRef = await hq.findHouseholdByNumber(trx, input.householdNumber, ctx.actor);
    if (!sourceRef) throw householdNotFound(input.householdNumber);
    const source = await hq.lockHouseholdById(trx, sourceRef.id);
    assertHouseholdVersion(source, input.expectedVersion);
    const memberships = await hq.findMemberships(trx, source.id, persons.map((p) => p.id));
    for (const m of entries) {
      const person = persons.find((p) => p.id_number === m.idNumber);
      if (!person || !memberships.some((ms) => ms.person_id === person.id)) {
        throw new AppError('NOT_A_MEMBER', `${m.idNumber} is not a current member of household ${source.household_number}; only its members can split off.`, {
          details: { idNumber: m.idNumber, householdNumber: source.household_number },
        });
      }
      assertActive(person);
      await assertNoOpenTransfer(trx, person);
    }
    if ((await hq.countMembers(trx, source.id)) === entries.length) {
      throw invalid([{ field: 'members', code: 'ALL_MEMBERS', message: `Every member of ${source.household_number} is listed: a split leaves at least one member behind. Move the household's members instead.` }]);
    }
    const { township, authorityId } = await resolveAddress(trx, input);
    assertTownshipInJurisdiction(ctx.actor, township);
    if (provinceOf(township.county_code) !== provinceOf(source.county_code)) {
      throw new AppError('INTERPROVINCIAL_MOVE', `Township ${township.code} is in another province; members settling there apply for an interprovincial transfer instead.`, {
        details: { fromCounty: source.county_code, toCounty: township.county_code },
      });
    }
    await assertCodes(
      trx,
      entries.flatMap((m, i) => (m.idNumber === headId ? [] : [{ field: `members.${i}.relationship`, kind: 'relationship' as const, code: m.relationship }])),
    );

    const kind = input.kind ?? 'family';
    const head = persons.find((p) => p.id_number === headId)!;
    const created = await hq.insertHousehold(trx, {
      household_number: formatHouseholdNumber(township.code, await hq.nextHouseholdSequence(trx)),
      kind,
      county_code: township.county_code,
      township_code: township.code,
      address: input.address,
      authority_id: authorityId,
      head_person_id: head.id,
    });
    const events: EventDraft[] = [
      {
        kind: 'household_created',
        personId: null,
        householdId: created.id,
        occurredOn: today,
        authorityId,
        legalBasis: legalBasisOfKind(kind),
        reason: input.reason,
        data: { householdNumber: created.household_number, kind, townshipCode: township.code, address: input.address, splitFrom: source.household_number },
      },
    ];
    for (const entry of entries) {
      const person = persons.find((p) => p.id_number === entry.idNumber)!;
      const old = memberships.find((ms) => ms.person_id === person.id)!;
      const relationship = entry.idNumber === headId ? HEAD_RELATIONSHIP : entry.relationship!;
      await hq.closeMembership(trx, old.id, today);
      await hq.openMembership(trx, { person_id: person.id, household_id: created.id, relationship, since: today });
      await pq.touchPerson(trx, person.id);
      events.push({
        kind: 'household_split',
        personId: person.id,
        householdId: source.id,
        occurredOn: today,
        authorityId: source.authority_id,
        legalBasis: LEGAL_BASIS.household,
        reason: input.reason,
        data: { from: source.household_number, to: created.household_number, previousRelationship: old.relationship, relationship },
      });
    }
    const sourceNeedsNewHead = persons.some((p) => p.id === source.head_person_id);
    const sourceAfter = await hq.updateHouseholdAtVersion(trx, source.id, input.expectedVersion, sourceNeedsNewHead ? { head_person_id: null } : {});
    return {
      result: { source: householdSummary(sourceAfter!), household: householdSummary(created), moved: entries.map((m) => m.idNumber), sourceNeedsNewHead },
      events,
    };
  });
}
