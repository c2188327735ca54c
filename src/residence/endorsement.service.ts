import { assertActsFor } from '../access/index.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { withIdempotency } from '../platform/db/idempotency.ts';
import { AppError } from '../platform/errors.ts';
import { decideEndorsement } from './endorsement-rules.ts';
import { permitRulesOn, RESIDENCE_LEGAL_BASIS } from './residence.law.ts';
import { authorityPlace } from './places.ts';
import * as q from './residence.queries.ts';
import { lockPermitForWrite } from './permit.service.ts';
import { endorsementView, permitView, timelineOf, type EndorsementView, type PermitView } from './residence.views.ts';

export interface EndorsePermitInput {
  permitId: string;
  /** Residence-place police station (or entrusted community service body's station) that endorses. */
  /** The counter acting; default: the acting officer's own authority. */
  authorityId?: string | undefined;
  /** Client transaction id (src/platform/db/idempotency.ts): a retry with the same key gets the first answer. */
  idempotencyKey?: string | undefined;
}

/**
 * Annual endorsement (签注, 居住证暂行条例 Art. 10). On time within the month before the anniversary;
 * late after it, which restores a suspended permit and restarts the count of residence years from
 * today. Refused before the window opens and for a permit that is not in force.
 */
export async function endorsePermit(ctx: ServiceContext, input: EndorsePermitInput): Promise<{ permit: PermitView; endorsement: EndorsementView }> {
  const today = chinaDate(ctx.clock.now());
  const rules = permitRulesOn(today);
  const authorityId = input.authorityId ?? ctx.actor.authorityId;
  assertActsFor(ctx.actor, authorityId, 'authorityId');
  return ctx.db.transaction().execute((trx) =>
    withIdempotency(trx, { actorId: ctx.actor.id, operation: 'endorsePermit', key: input.idempotencyKey, request: input }, async () => {
      const permit = await lockPermitForWrite(trx, input.permitId, ctx.actor);
      const decision = decideEndorsement(timelineOf(permit), today, rules);
      if (!decision.ok) {
        if (decision.reason === 'closed') {
          throw new AppError('PERMIT_CANCELLED', `Residence permit ${permit.id} is ${permit.status}${permit.decided_on ? ` since ${permit.decided_on}` : ''}: it cannot be endorsed. Apply for a new permit.`, {
            details: { permitId: permit.id, status: permit.status },
          });
        }
        if (decision.reason === 'not_issued') {
          throw new AppError('PERMIT_NOT_ISSUED', `Residence permit ${permit.id} has not been issued yet (applied ${permit.applied_on}); issue it first.`, {
            details: { permitId: permit.id, status: permit.status },
          });
        }
        throw new AppError('ENDORSEMENT_NOT_DUE', `The endorsement of permit ${permit.id} is due before ${permit.endorsement_due_on}; the window opens on ${decision.windowOpensOn}.`, {
          details: { permitId: permit.id, windowOpensOn: decision.windowOpensOn, anniversary: permit.endorsement_due_on },
        });
      }
      const place = await authorityPlace(trx, authorityId, 'authorityId');
      if (place.cityCode !== permit.city_code) {
        throw new AppError('INVALID_CODE', `Endorsements are made in the residence city (${permit.city_code}); ${place.id} is in ${place.cityCode}.`, {
          details: [{ field: 'authorityId', code: 'OTHER_CITY', message: `must be an authority of city ${permit.city_code}` }],
        });
      }
      const row = await q.updatePermit(trx, permit.id, permit.version, {
        endorsement_anchor: decision.anchor,
        endorsed_years: decision.endorsedYears,
        endorsement_due_on: decision.nextAnniversary,
        residence_counted_from: decision.residenceCountedFrom,
      });
      const endorsement = await q.insertEndorsement(trx, {
        permit_id: permit.id,
        person_id: permit.person_id,
        endorsed_on: today,
        anniversary: decision.anniversary,
        late: decision.late,
        authority_id: place.id,
        actor_id: ctx.actor.id,
      });
      await q.insertResidenceEvent(trx, {
        person_id: permit.person_id,
        registration_id: permit.registration_id,
        permit_id: permit.id,
        kind: 'permit_endorsed',
        occurred_on: today,
        actor_id: ctx.actor.id,
        authority_id: place.id,
        legal_basis: RESIDENCE_LEGAL_BASIS.endorsement,
        data: { anniversary: decision.anniversary, late: decision.late, residenceCountedFrom: decision.residenceCountedFrom, nextAnniversary: decision.nextAnniversary },
      });
      return { permit: permitView(row, today), endorsement: endorsementView(endorsement) };
    }),
  );
}
