import { areaContains, jurisdictionOf, notAmongVisible, type Actor } from '../access/index.ts';
import { addDays } from '../platform/calendar.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { WorkItem } from '../platform/work-item.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError, isAppError } from '../platform/errors.ts';
import { assertCodes } from './codes.ts';
import * as eq from './event.queries.ts';
import { assertActive, assertHouseholdOpen, assertNoOpenTransfer, assertPersonVersion, householdNotFound, lockPerson, provinceOf } from './guards.ts';
import * as hq from './household.queries.ts';
import { relationshipIssue, type WriteMeta } from './household.service.ts';
import * as pq from './person.queries.ts';
import { HEAD_RELATIONSHIP, LEGAL_BASIS, OTHER_RELATIONSHIP, TRANSFER_DEADLINE_DAYS } from './registry.law.ts';
import type { TransferCategory, TransferState } from './registry.tables.ts';
import * as tq from './transfer.queries.ts';
import { eventView, type EventView } from './views.ts';
import { runWrite, type EventDraft } from './write.ts';

/**
 * Interprovincial transfer handled entirely at the destination (迁入地"一站式"办理, hukou-domain §7.4):
 *
 *   applyTransfer → approveTransfer (destination decides) → moveOutAtOrigin → moveInAtDestination
 *
 * Each step is its own transaction and idempotent: repeating a step that is done changes nothing and
 * answers the same. `advanceTransfer` runs whichever step is next (what a worker or a retry calls);
 * a rejection at the origin or a missed deadline compensates: the origin membership is reopened (or
 * was never closed). Every step writes a transfer_out event at the origin household and a
 * transfer_in event at the destination household, with the transfer id as application_id.
 */

export type TransferStep = 'destination_decision' | 'origin_move_out' | 'destination_move_in';

const NEXT_STEP: Record<TransferState, TransferStep | null> = {
  applied: 'destination_decision',
  destination_approved: 'origin_move_out',
  origin_moved_out: 'destination_move_in',
  destination_moved_in: null,
  rejected: null,
  compensated: null,
  expired: null,
};

export interface TransferView {
  id: string;
  state: TransferState;
  nextStep: TransferStep | null;
  category: TransferCategory;
  person: { idNumber: string; name: string };
  origin: { householdNumber: string; authorityId: string; authorityName: string };
  destination: { householdNumber: string; authorityId: string; authorityName: string };
  relationship: string;
  reason: string | null;
  decisionReason: string | null;
  appliedOn: string;
  /** The last day (China time) to complete the transfer; past it, it is compensated as expired. */
  dueOn: string;
  approvedAt: string | null;
  movedOutAt: string | null;
  movedInAt: string | null;
  closedAt: string | null;
  version: number;
  /** The trail at both ends, in order. */
  events: EventView[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function transferNotFound(id: string): AppError {
  return new AppError('TRANSFER_NOT_FOUND', `${notAmongVisible(`Transfer ${id}:`)} Transfers of a person are listed on their record (GET /api/v1/persons/{idNumber}) and in your work queue (GET /api/v1/queue).`, { details: { transferId: id } });
}

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

/** A transfer as both ends see it, with its trail of events. */
export async function getTransfer(ctx: ServiceContext, id: string): Promise<TransferView> {
  return (await readTransfer(ctx, id)).transfer;
}

/**
 * A transfer with its trail, and whose it is (the internal person id, for the access log). Both
 * ends see it (origin or destination household in the actor's area) and so does the person
 * concerned; anyone else gets TRANSFER_NOT_FOUND, as for an id that does not exist.
 */
export async function readTransfer(ctx: ServiceContext, id: string): Promise<{ transfer: TransferView; personId: number }> {
  if (!UUID.test(id)) throw transferNotFound(id);
  const t = await tq.findTransferView(ctx.db, ctx.actor, id);
  if (!t) throw transferNotFound(id);
  const events = await eq.listApplicationEvents(ctx.db, id);
  const transfer: TransferView = {
    id: t.id,
    state: t.state,
    nextStep: NEXT_STEP[t.state],
    category: t.category,
    person: { idNumber: t.id_number, name: t.name },
    origin: { householdNumber: t.origin_household_number, authorityId: t.origin_authority_id, authorityName: t.origin_authority_name },
    destination: { householdNumber: t.destination_household_number, authorityId: t.destination_authority_id, authorityName: t.destination_authority_name },
    relationship: t.relationship,
    reason: t.reason,
    decisionReason: t.decision_reason,
    appliedOn: t.applied_on,
    dueOn: dueDateOf(t.deadline),
    approvedAt: iso(t.approved_at),
    movedOutAt: iso(t.moved_out_at),
    movedInAt: iso(t.moved_in_at),
    closedAt: iso(t.closed_at),
    version: t.version,
    events: events.map(eventView),
  };
  return { transfer, personId: t.person_id };
}

/** Whether a household lies in the actor's area (the operator and system: everywhere). */
function inArea(actor: Actor, h: { county_code: string; township_code: string | null }): boolean {
  const j = jurisdictionOf(actor);
  return j.kind === 'area' && areaContains(j.area, { countyCode: h.county_code, townshipCode: h.township_code });
}

/** Which end performs a step: the destination decides and moves in, the origin moves out or refuses, either compensates. */
type End = 'origin' | 'destination' | 'either';

/**
 * The actor must see the transfer (else TRANSFER_NOT_FOUND) and act for the end that performs the
 * step (else FORBIDDEN: the transfer is visible to them, so nothing is disclosed by saying whose
 * step it is).
 */
function assertEnd(actor: Actor, t: tq.TransferRow, ends: { origin: hq.HouseholdRow; destination: hq.HouseholdRow }, end: End, name: string): void {
  const atOrigin = inArea(actor, ends.origin);
  const atDestination = inArea(actor, ends.destination);
  if (!atOrigin && !atDestination) throw transferNotFound(t.id);
  if (end === 'either' || (end === 'origin' ? atOrigin : atDestination)) return;
  const authority = end === 'origin' ? t.origin_authority_id : t.destination_authority_id;
  throw new AppError('FORBIDDEN', `The ${name} of transfer ${t.id} is done by the ${end} authority (${authority}) or automatically; you act for ${actor.authorityId}.`, {
    details: { transferId: t.id, step: name, by: end, authorityId: authority },
  });
}

export interface ApplyTransferInput extends WriteMeta {
  idNumber: string;
  /**
   * Version of the person as the client read it, checked when given. The destination usually
   * cannot read the person before applying (their hukou is elsewhere, and the application that
   * would make them visible does not exist yet); applying changes nothing on the person.
   */
  expectedVersion?: number | undefined;
  destinationHouseholdNumber: string;
  /** GB/T 4761 relationship to the destination head. */
  relationship: string;
  /** The 2021 categories (job transfer, study, graduates, spouse, parents joining children) or other. */
  category: TransferCategory;
}

/** Step 0, at the destination: the application. Nothing moves yet. */
export async function applyTransfer(ctx: ServiceContext, input: ApplyTransferInput): Promise<TransferView> {
  const { transferId } = await runWrite(ctx, { operation: 'applyTransfer', idempotencyKey: input.idempotencyKey, request: input }, async (trx) => {
    const now = ctx.clock.now();
    // The destination applies (迁入地一站式办理): its household must be in the actor's area, and is
    // checked first, so nothing about the person is said to an officer who cannot apply at all.
    const destinationRef = await hq.findHouseholdByNumber(trx, input.destinationHouseholdNumber, ctx.actor);
    if (!destinationRef) throw householdNotFound(input.destinationHouseholdNumber);
    // The person presents themselves at the destination: found by ID number wherever their hukou is.
    const person = await lockPerson(trx, input.idNumber, null);
    if (input.expectedVersion !== undefined) assertPersonVersion(person, input.expectedVersion);
    assertActive(person, { foundAnywhere: true });
    await assertNoOpenTransfer(trx, person, { foundAnywhere: true });
    const membership = await hq.findCurrentMembership(trx, person.id);
    if (!membership) throw new AppError('TRANSFER_STATE', `${person.id_number} has no current hukou to transfer.`, { details: { idNumber: person.id_number } });
    const originRef = await hq.findHouseholdById(trx, membership.household_id);
    const [first, second] = await hq.lockHouseholdsById(trx, [originRef.id, destinationRef.id]);
    const destination = first!.id === destinationRef.id ? first! : second!;
    const origin = first!.id === originRef.id ? first! : second!;
    assertHouseholdOpen(destination);
    if (provinceOf(origin.county_code) === provinceOf(destination.county_code)) {
      // The origin household may lie outside the actor's area: the refusal does not say where it is.
      throw new AppError(
        'TRANSFER_NOT_INTERPROVINCIAL',
        `The hukou of ${person.id_number} is in the same province as household ${destination.household_number}: the member is moved instead, by an authority whose area holds both households (POST /api/v1/households/{number}/members/{idNumber}/move).`,
        { details: { destinationCounty: destination.county_code } },
      );
    }
    const issue = await relationshipIssue(trx, destination, input.relationship, 'relationship');
    await assertCodes(trx, [{ field: 'relationship', kind: 'relationship', code: input.relationship }], issue ? [issue] : []);
    const t = await tq.insertTransfer(trx, {
      person_id: person.id,
      origin_household_id: origin.id,
      destination_household_id: destination.id,
      origin_authority_id: origin.authority_id,
      destination_authority_id: destination.authority_id,
      relationship: input.relationship,
      category: input.category,
      reason: input.reason ?? null,
      decision_reason: null,
      applied_on: chinaDate(now),
      // Due by the end of the last day, China time: the API shows the date (`dueOn`), the row the instant it ends.
      deadline: endOfChinaDay(addDays(chinaDate(now), TRANSFER_DEADLINE_DAYS)),
      origin_membership_id: null,
      destination_membership_id: null,
      applied_by: ctx.actor.id,
      approved_at: null,
      moved_out_at: null,
      moved_in_at: null,
      closed_at: null,
    });
    return { result: { transferId: t.id }, events: bothEnds(t, origin, destination, 'applied', chinaDate(now), input.reason, { category: input.category }) };
  });
  return getTransfer(ctx, transferId);
}

/** The pair of events one step writes: transfer_out at the origin household, transfer_in at the destination. */
function bothEnds(
  t: tq.TransferRow,
  origin: hq.HouseholdRow,
  destination: hq.HouseholdRow,
  step: TransferState,
  occurredOn: string,
  reason: string | null | undefined,
  extra: Record<string, unknown> = {},
): EventDraft[] {
  const data = { step, transferId: t.id, from: origin.household_number, to: destination.household_number, ...extra };
  const common = { personId: t.person_id, occurredOn, legalBasis: LEGAL_BASIS.transfer, reason, applicationId: t.id, data };
  return [
    { ...common, kind: 'transfer_out', householdId: origin.id, authorityId: t.origin_authority_id },
    { ...common, kind: 'transfer_in', householdId: destination.id, authorityId: t.destination_authority_id },
  ];
}

/** What a step answers: the transfer as the actor sees it, whether the step ran, and whose it is (the internal person id, for the access log). */
export interface StepAnswer {
  transfer: TransferView;
  performed: boolean;
  personId: number;
}

interface StepOutcome {
  changes?: Parameters<typeof tq.updateTransfer>[2];
  events?: EventDraft[];
}

/**
 * Runs one saga step in its own transaction with the transfer row locked. `done` lists the states
 * in which the step has already happened (then it is a no-op); `from` the state it runs from.
 */
async function step(
  ctx: ServiceContext,
  id: string,
  name: string,
  spec: { from: TransferState[]; done: TransferState[]; end: End },
  work: (trx: Db, t: tq.TransferRow, ends: { person: pq.PersonRow; origin: hq.HouseholdRow; destination: hq.HouseholdRow }) => Promise<StepOutcome>,
): Promise<StepAnswer> {
  if (!UUID.test(id)) throw transferNotFound(id);
  const { performed } = await runWrite(ctx, { operation: `transfer.${name}`, request: { transferId: id } }, async (trx) => {
    const t = await tq.lockTransfer(trx, id);
    if (!t) throw transferNotFound(id);
    // who may take the step, before anything about its state is said (the households are locked below, in order)
    const places = { origin: await hq.findHouseholdById(trx, t.origin_household_id), destination: await hq.findHouseholdById(trx, t.destination_household_id) };
    assertEnd(ctx.actor, t, places, spec.end, name);
    if (spec.done.includes(t.state)) return { result: { performed: false }, events: [] };
    if (!spec.from.includes(t.state)) {
      throw new AppError('TRANSFER_STATE', `Transfer ${id} is ${t.state}; ${name} runs only when it is ${spec.from.join(' or ')}.`, {
        details: { transferId: id, state: t.state, step: name },
      });
    }
    // lock order: transfer, person, households
    const person = (await pq.lockPersonById(trx, t.person_id))!;
    const [a, b] = await hq.lockHouseholdsById(trx, [t.origin_household_id, t.destination_household_id]);
    const origin = a!.id === t.origin_household_id ? a! : b!;
    const destination = a!.id === t.destination_household_id ? a! : b!;
    const outcome = await work(trx, t, { person, origin, destination });
    if (outcome.changes) await tq.updateTransfer(trx, id, outcome.changes);
    return { result: { performed: true }, events: outcome.events ?? [] };
  });
  return { ...(await readTransfer(ctx, id)), performed };
}

function assertNotOverdue(ctx: ServiceContext, t: tq.TransferRow, name: string): void {
  if (ctx.clock.now() > new Date(t.deadline)) {
    throw new AppError('TRANSFER_STATE', `Transfer ${t.id} passed its last day (${dueDateOf(t.deadline)}); ${name} is no longer possible — it is compensated as expired.`, {
      details: { transferId: t.id, state: t.state, dueOn: dueDateOf(t.deadline) },
    });
  }
}

/** Step 1, at the destination: approve (the settlement conditions are met). */
export async function approveTransfer(ctx: ServiceContext, input: { transferId: string; reason?: string | undefined }) {
  return step(ctx, input.transferId, 'approve', { from: ['applied'], done: ['destination_approved', 'origin_moved_out', 'destination_moved_in'], end: 'destination' }, async (_trx, t, ends) => {
    assertNotOverdue(ctx, t, 'approval');
    return {
      changes: { state: 'destination_approved', approved_at: ctx.clock.now(), decision_reason: input.reason ?? null },
      events: bothEnds(t, ends.origin, ends.destination, 'destination_approved', chinaDate(ctx.clock.now()), input.reason),
    };
  });
}

/** Step 1, at the destination: reject. Nothing had moved, so nothing is compensated. */
export async function rejectTransfer(ctx: ServiceContext, input: { transferId: string; reason: string }) {
  return step(ctx, input.transferId, 'reject', { from: ['applied'], done: ['rejected'], end: 'destination' }, async (_trx, t, ends) => ({
    changes: { state: 'rejected', decision_reason: input.reason, closed_at: ctx.clock.now() },
    events: bothEnds(t, ends.origin, ends.destination, 'rejected', chinaDate(ctx.clock.now()), input.reason),
  }));
}

/** Step 2, at the origin (online, no visit): move out. The hukou is in transit until the move-in. */
export async function moveOutAtOrigin(ctx: ServiceContext, input: { transferId: string }) {
  return step(ctx, input.transferId, 'moveOut', { from: ['destination_approved'], done: ['origin_moved_out', 'destination_moved_in'], end: 'origin' }, async (trx, t, ends) => {
    assertNotOverdue(ctx, t, 'the move-out');
    const today = chinaDate(ctx.clock.now());
    assertActive(ends.person);
    const membership = await hq.findCurrentMembership(trx, t.person_id);
    if (!membership || membership.household_id !== t.origin_household_id) {
      throw new AppError('TRANSFER_STATE', `The person is no longer registered in origin household ${ends.origin.household_number}; the transfer cannot move them out.`, {
        details: { transferId: t.id, state: t.state },
      });
    }
    await hq.closeMembership(trx, membership.id, today);
    await pq.touchPerson(trx, t.person_id);
    const wasHead = ends.origin.head_person_id === t.person_id;
    await hq.updateHousehold(trx, ends.origin.id, wasHead ? { head_person_id: null } : {});
    return {
      changes: { state: 'origin_moved_out', moved_out_at: ctx.clock.now(), origin_membership_id: membership.id },
      events: bothEnds(t, ends.origin, ends.destination, 'origin_moved_out', today, null, { previousRelationship: membership.relationship, originNeedsNewHead: wasHead }),
    };
  });
}

/** Step 2, at the origin: refuse the move-out. The origin membership was never closed. */
export async function rejectAtOrigin(ctx: ServiceContext, input: { transferId: string; reason: string }) {
  return step(ctx, input.transferId, 'rejectAtOrigin', { from: ['destination_approved'], done: ['compensated'], end: 'origin' }, async (_trx, t, ends) => ({
    changes: { state: 'compensated', decision_reason: input.reason, closed_at: ctx.clock.now() },
    events: bothEnds(t, ends.origin, ends.destination, 'compensated', chinaDate(ctx.clock.now()), input.reason, { by: 'origin' }),
  }));
}

/** Step 3, at the destination: move in. The transfer is complete. */
export async function moveInAtDestination(ctx: ServiceContext, input: { transferId: string }) {
  return step(ctx, input.transferId, 'moveIn', { from: ['origin_moved_out'], done: ['destination_moved_in'], end: 'destination' }, async (trx, t, ends) => {
    assertNotOverdue(ctx, t, 'the move-in');
    const today = chinaDate(ctx.clock.now());
    assertHouseholdOpen(ends.destination);
    if (t.relationship === HEAD_RELATIONSHIP && ends.destination.head_person_id !== null) {
      throw new AppError('HEAD_CONFLICT', `Household ${ends.destination.household_number} got a head since the application; the person cannot move in as head (02).`, {
        details: { transferId: t.id },
      });
    }
    const membership = await hq.openMembership(trx, { person_id: t.person_id, household_id: t.destination_household_id, relationship: t.relationship, since: today });
    await pq.touchPerson(trx, t.person_id);
    await hq.updateHousehold(trx, ends.destination.id, t.relationship === HEAD_RELATIONSHIP ? { head_person_id: t.person_id } : {});
    return {
      changes: { state: 'destination_moved_in', moved_in_at: ctx.clock.now(), closed_at: ctx.clock.now(), destination_membership_id: membership.id },
      events: bothEnds(t, ends.origin, ends.destination, 'destination_moved_in', today, null, { relationship: t.relationship }),
    };
  });
}

/** Compensation for a missed deadline: reopens the origin membership if it was closed, and ends as expired. */
async function expireTransfer(ctx: ServiceContext, id: string) {
  return step(ctx, id, 'expire', { from: tq.OPEN_TRANSFER_STATES.slice(), done: ['expired'], end: 'either' }, async (trx, t, ends) => {
    const today = chinaDate(ctx.clock.now());
    let restored = false;
    let needsRelationship = false;
    if (t.state === 'origin_moved_out' && t.origin_membership_id !== null) {
      await hq.reopenMembership(trx, t.origin_membership_id);
      await pq.touchPerson(trx, t.person_id);
      const origin = ends.origin;
      const membership = (await hq.findCurrentMembership(trx, t.person_id))!;
      const wasHead = membership.relationship === HEAD_RELATIONSHIP;
      // The origin named a new head while the person was away: 02 is that head's alone (户口登记条例
      // Art. 5), so the former head returns as 80 (其他) until the household states the relationship.
      needsRelationship = wasHead && origin.head_person_id !== null && origin.head_person_id !== t.person_id;
      if (needsRelationship) await hq.setRelationship(trx, membership.id, OTHER_RELATIONSHIP);
      await hq.updateHousehold(trx, origin.id, wasHead && origin.head_person_id === null ? { head_person_id: t.person_id } : {});
      restored = true;
    }
    const reason = `last day ${dueDateOf(t.deadline)} passed in state ${t.state}`;
    const extra = { previousState: t.state, originMembershipRestored: restored, ...(needsRelationship ? { originNeedsRelationship: true, restoredRelationship: OTHER_RELATIONSHIP } : {}) };
    return {
      changes: { state: 'expired', decision_reason: reason, closed_at: ctx.clock.now() },
      events: bothEnds(t, ends.origin, ends.destination, 'expired', today, reason, extra),
    };
  });
}

/**
 * Runs the next pending step of a transfer: the origin move-out after approval, then the
 * destination move-in; an overdue open transfer is compensated as expired. A transfer waiting for
 * the destination's decision, or already final, is returned unchanged (`performed: null`).
 */
export async function advanceTransfer(ctx: ServiceContext, id: string): Promise<{ transfer: TransferView; performed: TransferStep | 'expire' | null; personId: number }> {
  const { transfer: current, personId } = await readTransfer(ctx, id);
  const next = current.nextStep;
  if (next === null) return { transfer: current, performed: null, personId };
  if (chinaDate(ctx.clock.now()) > current.dueOn) {
    const r = await expireTransfer(ctx, id);
    return { transfer: r.transfer, performed: r.performed ? 'expire' : null, personId };
  }
  if (next === 'destination_decision') return { transfer: current, performed: null, personId };
  const r = next === 'origin_move_out' ? await moveOutAtOrigin(ctx, { transferId: id }) : await moveInAtDestination(ctx, { transferId: id });
  return { transfer: r.transfer, performed: r.performed ? next : null, personId };
}

/**
 * Advances a transfer until it waits or is final. A failing step stops the run and is reported
 * (the steps before it stay committed; a retry or `expireTransfers` takes it from there).
 */
export async function runPendingSteps(ctx: ServiceContext, id: string): Promise<{ transfer: TransferView; stepError: { code: string; message: string } | null }> {
  for (;;) {
    try {
      const { transfer, performed } = await advanceTransfer(ctx, id);
      if (performed === null || transfer.nextStep === null) return { transfer, stepError: null };
    } catch (e) {
      if (!isAppError(e)) throw e;
      return { transfer: await getTransfer(ctx, id), stepError: { code: e.code, message: e.userMessage } };
    }
  }
}

/**
 * Compensates every open transfer whose deadline passed before `now` with an end in the actor's
 * area (what a periodic worker calls; the system's covers the nation).
 */
export async function expireTransfers(ctx: ServiceContext, now: Date = ctx.clock.now()): Promise<{ expired: string[] }> {
  const expired: string[] = [];
  const seen = new Set<string>();
  for (;;) {
    const fresh = (await tq.listOverdueTransferIds(ctx.db, ctx.actor, now, 100)).filter((b) => !seen.has(b.id));
    if (fresh.length === 0) return { expired };
    for (const { id } of fresh) {
      seen.add(id);
      try {
        if ((await expireTransfer(ctx, id)).performed) expired.push(id);
      } catch (e) {
        // finished or compensated by another step in the meantime: nothing left to expire
        if (!(isAppError(e) && e.code === 'TRANSFER_STATE')) throw e;
      }
    }
  }
}

/** The instant a China-time day ends (00:00 of the next day, UTC+8). */
function endOfChinaDay(date: string): Date {
  return new Date(`${addDays(date, 1)}T00:00:00+08:00`);
}

/** The last day (China time) before a deadline instant. */
export function dueDateOf(deadline: Date | string): string {
  return chinaDate(new Date(new Date(deadline).getTime() - 1));
}

/** Open transfers waiting for the actor's end (the work queue): the destination's decision and move-in, the origin's move-out. */
export async function pendingTransfers(ctx: ServiceContext, limit: number): Promise<WorkItem[]> {
  const rows = await tq.listPendingTransfers(ctx.db, ctx.actor, limit);
  return rows.map((t) => ({
    kind: 'transfer' as const,
    id: t.id,
    step: NEXT_STEP[t.state] ?? 'none',
    personId: t.person_id,
    idNumber: t.id_number,
    name: t.name,
    authorityId: t.state === 'destination_approved' ? t.origin_authority_id : t.destination_authority_id,
    receivedOn: t.applied_on,
    dueOn: dueDateOf(t.deadline),
    href: `/api/v1/transfers/${t.id}`,
  }));
}
