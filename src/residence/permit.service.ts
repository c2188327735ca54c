import { assertActsFor, authorityInJurisdiction, notAmongVisible, type Actor } from '../access/index.ts';
import { addDays, addMonths, addYears } from '../platform/calendar.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { normalizeIdNumber } from '../idnumber/index.ts';
import { withIdempotency } from '../platform/db/idempotency.ts';
import { AppError } from '../platform/errors.ts';
import { permitRulesOn, RESIDENCE_LEGAL_BASIS } from './residence.law.ts';
import { authorityPlace, findActivePerson } from './places.ts';
import { lockResidenceOf, lockResidenceOfNumber } from './places.queries.ts';
import * as q from './residence.queries.ts';
import type { PermitBasis } from './residence.tables.ts';
import { permitView, type PermitView } from './residence.views.ts';
import { assertText } from '../platform/text.ts';

export interface ApplyForPermitInput {
  idNumber: string;
  /** Residence-place police station accepting the application (Art. 9). */
  /** The counter acting; default: the acting officer's own authority. */
  authorityId?: string | undefined;
  /** One of Art. 2's conditions; absent is refused with PERMIT_BASIS_REQUIRED. */
  basis?: PermitBasis | null | undefined;
  /** The document shown for it: labour contract, lease, title deed, school enrolment (Art. 9). */
  basisEvidence?: string | null | undefined;
  /** Client transaction id (src/platform/db/idempotency.ts): a retry with the same key gets the first answer. */
  idempotencyKey?: string | undefined;
}

/**
 * Residence permit application (居住证暂行条例 Arts. 2, 9): an open residence registration in the
 * authority's city for at least 6 months (reached on the corresponding day, Civil Code Art. 202),
 * plus one basis with its evidence. Issued within 15 days, 30 in remote areas.
 */
export async function applyForPermit(ctx: ServiceContext, input: ApplyForPermitInput): Promise<PermitView> {
  const today = chinaDate(ctx.clock.now());
  const rules = permitRulesOn(today);
  const evidence = input.basisEvidence?.trim() ?? '';
  if (!input.basis || !rules.bases.includes(input.basis) || !evidence) {
    const details = [];
    if (!input.basis || !rules.bases.includes(input.basis)) details.push({ field: 'basis', code: 'REQUIRED', message: `one of ${rules.bases.join(', ')}` });
    if (!evidence) details.push({ field: 'basisEvidence', code: 'REQUIRED', message: 'the contract, lease, deed or enrolment shown' });
    throw new AppError(
      'PERMIT_BASIS_REQUIRED',
      'A residence permit needs one basis (居住证暂行条例 Art. 2): lawful stable employment, a lease or owned home, or continuous study, with the document shown. Add basis and basisEvidence.',
      { details },
    );
  }
  // Accepted at the officer's own counter (Art. 9: the residence-place police station).
  const authorityId = input.authorityId ?? ctx.actor.authorityId;
  assertActsFor(ctx.actor, authorityId, 'authorityId');
  return ctx.db.transaction().execute((trx) =>
    withIdempotency(trx, { actorId: ctx.actor.id, operation: 'applyForPermit', key: input.idempotencyKey, request: input }, async () => {
      await lockResidenceOfNumber(trx, normalizeIdNumber(input.idNumber));
      // read after the lock: a death the register committed meanwhile counts
      const person = await findActivePerson(trx, input.idNumber);
      const place = await authorityPlace(trx, authorityId, 'authorityId');
      const reg = await q.findOpenRegistration(trx, person.id);
      if (!reg || reg.city_code !== place.cityCode) {
        // Where else the person is registered as resident is not said: it may lie outside the officer's area.
        throw new AppError('NO_RESIDENCE_REGISTRATION', `${person.idNumber} has no open residence registration in city ${place.cityCode}; register residence there first.`, {
          details: { cityCode: place.cityCode },
        });
      }
      const existing = await q.findOpenPermit(trx, person.id);
      if (existing) {
        throw new AppError('PERMIT_EXISTS', `${person.idNumber} already has residence permit ${existing.id} (${existing.status}).`, {
          details: { permitId: existing.id, status: existing.status },
        });
      }
      const eligibleFrom = addMonths(reg.registered_on, rules.minimumResidenceMonths);
      if (today < eligibleFrom) {
        throw new AppError('RESIDENCE_TOO_SHORT', `${person.idNumber} has lived in city ${place.cityCode} since ${reg.registered_on}: a permit needs ${rules.minimumResidenceMonths} months of residence, reached on ${eligibleFrom}. Apply from then.`, {
          details: { registeredOn: reg.registered_on, eligibleFrom },
        });
      }
      const row = await q.insertPermit(trx, {
        person_id: person.id,
        registration_id: reg.id,
        city_code: place.cityCode,
        authority_id: place.id,
        issuing_authority_id: place.countyAuthorityId,
        basis: input.basis as PermitBasis,
        basis_evidence: evidence,
        applied_on: today,
        due_on: addDays(today, place.remote ? rules.remoteIssueWithinDays : rules.issueWithinDays),
        residence_counted_from: reg.registered_on,
      });
      await q.insertResidenceEvent(trx, {
        person_id: person.id,
        registration_id: reg.id,
        permit_id: row.id,
        kind: 'permit_applied',
        occurred_on: today,
        actor_id: ctx.actor.id,
        authority_id: place.id,
        legal_basis: RESIDENCE_LEGAL_BASIS.permitApplication,
        data: { basis: row.basis, dueOn: row.due_on, remote: place.remote, rulesEffectiveFrom: rules.effectiveFrom },
      });
      return permitView(row, today);
    }),
  );
}

export function permitNotFound(id: string): AppError {
  return new AppError('RESIDENCE_PERMIT_NOT_FOUND', `${notAmongVisible(`Residence permit ${id}:`)} The person's permits are on GET /api/v1/persons/{idNumber}/identity; pending ones in GET /api/v1/queue.`, {
    details: { permitId: id },
  });
}

/**
 * Takes the person lock, then the permit's row lock (this module's lock order). The permit is
 * handled where it was accepted: its accepting station must be in the actor's area (a county
 * bureau sees its stations'); elsewhere it is RESIDENCE_PERMIT_NOT_FOUND.
 */
export async function lockPermitForWrite(trx: Db, permitId: string, actor: Actor): Promise<q.PermitRow> {
  const owner = await q.findPermitOwner(trx, permitId);
  if (owner === undefined) throw permitNotFound(permitId);
  await lockResidenceOf(trx, owner);
  const permit = await q.lockPermit(trx, permitId);
  if (!permit || !authorityInJurisdiction(actor, permit.authority_id)) throw permitNotFound(permitId);
  return permit;
}

function stateError(permit: q.PermitRow, wanted: string): AppError {
  return new AppError('PERMIT_STATE', `Residence permit ${permit.id} is ${permit.status}; only a permit that is ${wanted} can take this step.`, {
    details: { permitId: permit.id, status: permit.status },
  });
}

/** The county-level public security makes and issues the permit (Art. 9, 10); endorsement years count from today. */
export async function issuePermit(ctx: ServiceContext, input: { permitId: string; idempotencyKey?: string | undefined }): Promise<PermitView> {
  const today = chinaDate(ctx.clock.now());
  return ctx.db.transaction().execute((trx) =>
    withIdempotency(trx, { actorId: ctx.actor.id, operation: 'issuePermit', key: input.idempotencyKey, request: input }, async () => {
      const permit = await lockPermitForWrite(trx, input.permitId, ctx.actor);
      // A step already done answers with the permit as it is, writing nothing (docs/api-conventions.md).
      if (permit.status === 'issued') return permitView(permit, today);
      if (permit.status !== 'applied') throw stateError(permit, 'applied for');
      const row = await q.updatePermit(trx, permit.id, permit.version, {
        status: 'issued',
        issued_on: today,
        endorsement_anchor: today,
        endorsed_years: 0,
        endorsement_due_on: addYears(today, 1),
      });
      await q.insertResidenceEvent(trx, {
        person_id: permit.person_id,
        registration_id: permit.registration_id,
        permit_id: permit.id,
        kind: 'permit_issued',
        occurred_on: today,
        actor_id: ctx.actor.id,
        authority_id: permit.issuing_authority_id,
        legal_basis: RESIDENCE_LEGAL_BASIS.permitIssue,
        data: { dueOn: permit.due_on, onTime: today <= permit.due_on },
      });
      return permitView(row, today);
    }),
  );
}

/** Refuses a pending application, or cancels an issued permit (false documents, the holder left or settled). */
export async function closePermit(ctx: ServiceContext, input: { permitId: string; reason: string; as: 'rejected' | 'cancelled'; idempotencyKey?: string | undefined }): Promise<PermitView> {
  const today = chinaDate(ctx.clock.now());
  assertText([['reason', input.reason, 500]]);
  return ctx.db.transaction().execute((trx) =>
    withIdempotency(trx, { actorId: ctx.actor.id, operation: input.as === 'rejected' ? 'rejectPermit' : 'cancelPermit', key: input.idempotencyKey, request: input }, async () => {
      const permit = await lockPermitForWrite(trx, input.permitId, ctx.actor);
      const from = input.as === 'rejected' ? 'applied' : 'issued';
      if (permit.status === input.as) return permitView(permit, today);
      if (permit.status !== from) throw stateError(permit, from === 'applied' ? 'applied for' : 'issued');
      const row = await q.updatePermit(trx, permit.id, permit.version, { status: input.as, decided_on: today, decision_reason: input.reason });
      await q.insertResidenceEvent(trx, {
        person_id: permit.person_id,
        registration_id: permit.registration_id,
        permit_id: permit.id,
        kind: input.as === 'rejected' ? 'permit_rejected' : 'permit_cancelled',
        occurred_on: today,
        actor_id: ctx.actor.id,
        authority_id: permit.issuing_authority_id,
        legal_basis: input.as === 'rejected' ? RESIDENCE_LEGAL_BASIS.permitApplication : RESIDENCE_LEGAL_BASIS.permitIssue,
        data: { reason: input.reason },
      });
      return permitView(row, today);
    }),
  );
}
