import { areaContains, jurisdictionOf, type Actor } from '../access/index.ts';
import type { ServiceContext } from '../platform/context.ts';
import { chinaDate } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError, type FieldIssue } from '../platform/errors.ts';
import { assertCodes, invalid, memberRelationshipIssue } from './codes.ts';
import { assertHouseholdOpen, assertHouseholdVersion, lockHousehold } from './guards.ts';
import * as hq from './household.queries.ts';
import { TEXT_LIMITS } from './particulars.ts';
import { textIssue } from '../platform/text.ts';
import { HEAD_RELATIONSHIP, LEGAL_BASIS } from './registry.law.ts';
import type { HouseholdKind } from './registry.tables.ts';
import { householdSummary, type HouseholdSummary } from './views.ts';
import { runWrite } from './write.ts';

export interface WriteMeta {
  reason?: string | undefined;
  idempotencyKey?: string | undefined;
}

export interface CreateHouseholdInput extends WriteMeta {
  kind: HouseholdKind;
  /** NBS 9-digit township code of the address. */
  townshipCode: string;
  /** Street address within the township. */
  address: string;
  /** Registration authority; defaults to the township's police station `station-<township code>`. */
  authorityId?: string | undefined;
}

/** `<township code><6-digit sequence>`: readable, unique (one national sequence), never reused. */
export function formatHouseholdNumber(townshipCode: string, seq: number): string {
  return `${townshipCode}${String(seq).padStart(6, '0')}`;
}

/** The township of an address and its registration authority (the township's police station by default). */
export async function resolveAddress(
  db: Db,
  input: { townshipCode: string; address?: string | undefined; authorityId?: string | undefined },
  fields = { township: 'townshipCode', authority: 'authorityId', address: 'address' },
) {
  const issues: FieldIssue[] = [];
  const address = textIssue(fields.address, input.address, TEXT_LIMITS.address);
  if (address) issues.push(address);
  const township = await hq.findTownship(db, input.townshipCode);
  if (!township) await assertCodes(db, [{ field: fields.township, kind: 'township', code: input.townshipCode }], issues);
  const authorityId = input.authorityId ?? `station-${input.townshipCode}`;
  const authority = await hq.findAuthority(db, authorityId);
  if (!authority) {
    issues.push({ field: fields.authority, code: 'UNKNOWN_AUTHORITY', message: `No registration authority has id "${authorityId}".` });
  } else if (authority.division_code !== township!.county_code || !['police_station', 'county_bureau'].includes(authority.kind)) {
    issues.push({
      field: fields.authority,
      code: 'AUTHORITY_NOT_COMPETENT',
      message: `"${authorityId}" does not register households in county ${township!.county_code}; use a police station or the bureau of that county.`,
    });
  }
  if (issues.length > 0) throw invalid(issues);
  return { township: township!, authorityId };
}

/**
 * A registration officer opens households only in their own area (户口登记条例 Art. 3: the police
 * station registers its township). Townships are public reference data, so saying so discloses
 * nothing: 422 INVALID_CODE on the township, like an unknown one.
 */
export function assertTownshipInJurisdiction(actor: Actor, township: { code: string; county_code: string }, field = 'townshipCode'): void {
  const j = jurisdictionOf(actor);
  if (j.kind === 'area' && areaContains(j.area, { countyCode: township.county_code, townshipCode: township.code })) return;
  throw invalid([{ field, code: 'OUTSIDE_JURISDICTION', message: `Township ${township.code} is outside the area of your authority ${actor.authorityId}.` }]);
}

export function legalBasisOfKind(kind: HouseholdKind): string {
  return kind === 'public_collective' ? LEGAL_BASIS.publicCollectiveHousehold : LEGAL_BASIS.household;
}

/** Opens a new household (立户) at a township address, with a fresh household number and no members yet. */
export async function createHousehold(ctx: ServiceContext, input: CreateHouseholdInput): Promise<{ household: HouseholdSummary }> {
  return runWrite(ctx, { operation: 'createHousehold', idempotencyKey: input.idempotencyKey, request: input }, async (trx) => {
    const { township, authorityId } = await resolveAddress(trx, input);
    assertTownshipInJurisdiction(ctx.actor, township);
    const household = await hq.insertHousehold(trx, {
      household_number: formatHouseholdNumber(township.code, await hq.nextHouseholdSequence(trx)),
      kind: input.kind,
      county_code: township.county_code,
      township_code: township.code,
      address: input.address,
      authority_id: authorityId,
      head_person_id: null,
    });
    return {
      result: { household: householdSummary(household) },
      events: [
        {
          kind: 'household_created',
          personId: null,
          householdId: household.id,
          occurredOn: chinaDate(ctx.clock.now()),
          authorityId,
          legalBasis: legalBasisOfKind(input.kind),
          reason: input.reason,
          data: { householdNumber: household.household_number, kind: input.kind, townshipCode: township.code, address: input.address },
        },
      ],
    };
  });
}

/**
 * Where a new member's relationship fits the household: 02 (户主) only while it has no head, and
 * the first member of an empty family household is its head (户口登记条例 Art. 5).
 */
export async function relationshipIssue(db: Db, household: hq.HouseholdRow, relationship: string, field: string): Promise<FieldIssue | null> {
  if (relationship === HEAD_RELATIONSHIP) {
    return household.head_person_id === null
      ? null
      : { field, code: 'HEAD_TAKEN', message: `Household ${household.household_number} already has a head; give the relationship to that head, or change the head first.` };
  }
  const reserved = memberRelationshipIssue(field, relationship);
  if (reserved) return reserved;
  if (household.kind === 'family' && household.head_person_id === null && (await hq.countMembers(db, household.id)) === 0) {
    return { field, code: 'HEAD_FIRST', message: `Household ${household.household_number} has no members yet: its first member is its head (relationship 02).` };
  }
  return null;
}

/** An open household in the actor's jurisdiction to receive a member, locked. */
export async function lockReceivingHousehold(db: Db, householdNumber: string, actor: Actor): Promise<hq.HouseholdRow> {
  const household = await lockHousehold(db, householdNumber, actor);
  assertHouseholdOpen(household);
  return household;
}

export interface CloseHouseholdInput extends WriteMeta {
  householdNumber: string;
  expectedVersion: number;
}

/**
 * Closes an empty household (销户): its number is retired and it takes no members again. Refused
 * while anyone is a member or an open transfer is to move in (HOUSEHOLD_NOT_EMPTY). Closing a
 * closed household is a step already done: the household as it is, nothing written.
 */
export async function closeHousehold(ctx: ServiceContext, input: CloseHouseholdInput): Promise<{ household: HouseholdSummary }> {
  return runWrite(ctx, { operation: 'closeHousehold', idempotencyKey: input.idempotencyKey, request: input }, async (trx) => {
    const household = await lockHousehold(trx, input.householdNumber, ctx.actor);
    if (household.status === 'closed') return { result: { household: householdSummary(household) }, events: [] };
    assertHouseholdVersion(household, input.expectedVersion);
    const members = await hq.countMembers(trx, household.id);
    const incoming = await hq.countOpenTransfersInto(trx, household.id);
    if (members > 0 || incoming > 0) {
      throw new AppError(
        'HOUSEHOLD_NOT_EMPTY',
        `Household ${household.household_number} has ${members} member(s)${incoming ? ` and ${incoming} open transfer(s) into it` : ''}: move them out (or finish the transfers) first; only an empty household is closed.`,
        { details: { householdNumber: household.household_number, members, openTransfersIn: incoming } },
      );
    }
    // the row is locked and its version checked above, so the update finds it
    const closed = (await hq.updateHouseholdAtVersion(trx, household.id, input.expectedVersion, { status: 'closed' }))!;
    return {
      result: { household: householdSummary(closed) },
      events: [
        {
          kind: 'household_closed',
          personId: null,
          householdId: household.id,
          occurredOn: chinaDate(ctx.clock.now()),
          authorityId: household.authority_id,
          legalBasis: LEGAL_BASIS.household,
          reason: input.reason,
          data: { householdNumber: household.household_number },
        },
      ],
    };
  });
}
