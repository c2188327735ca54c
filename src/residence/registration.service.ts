import { assertActsFor, authorityInJurisdiction, notAmongVisible } from '../access/index.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { normalizeIdNumber } from '../idnumber/index.ts';
import { withIdempotency } from '../platform/db/idempotency.ts';
import { AppError } from '../platform/errors.ts';
import { RESIDENCE_LEGAL_BASIS } from './residence.law.ts';
import { authorityPlace, findActivePerson, hukouPlaceOf } from './places.ts';
import { lockResidenceOf, lockResidenceOfNumber } from './places.queries.ts';
import { findPersonWithHukouById } from '../registry/index.ts';
import * as q from './residence.queries.ts';
import { registrationView, type RegistrationView } from './residence.views.ts';
import { assertText } from '../platform/text.ts';

export interface RegisterResidenceInput {
  idNumber: string;
  /** Residence-place police station (or county bureau) that takes the registration. */
  /** The counter acting; default: the acting officer's own authority. */
  authorityId?: string | undefined;
  address: string;
  /** Client transaction id (src/platform/db/idempotency.ts): a retry with the same key gets the first answer. */
  idempotencyKey?: string | undefined;
}

/**
 * Residence registration (居住登记) on arrival in a city other than the hukou city. Registering in
 * a new city ends the registration in the previous one, and with it any permit held there.
 */
export async function registerResidence(ctx: ServiceContext, input: RegisterResidenceInput): Promise<RegistrationView> {
  const today = chinaDate(ctx.clock.now());
  // Handled at the officer's own counter, for whoever presents themselves (the person is found by ID number anywhere).
  const authorityId = input.authorityId ?? ctx.actor.authorityId;
  assertActsFor(ctx.actor, authorityId, 'authorityId');
  assertText([['address', input.address, 200]]);
  return ctx.db.transaction().execute((trx) =>
    withIdempotency(trx, { actorId: ctx.actor.id, operation: 'registerResidence', key: input.idempotencyKey, request: input }, async () => {
      await lockResidenceOfNumber(trx, normalizeIdNumber(input.idNumber));
      // read after the lock: a death or a move of the hukou the register committed meanwhile counts
      const person = await findActivePerson(trx, input.idNumber);
      const place = await authorityPlace(trx, authorityId, 'authorityId');
      const hukou = await hukouPlaceOf(trx, person);
      if (hukou.cityCode === place.cityCode) {
        // Which station holds the hukou is not said: it may lie outside the officer's area.
        throw new AppError('RESIDENCE_IN_HUKOU_CITY', `The hukou of ${person.idNumber} is in city ${hukou.cityCode}, where ${place.id} is: residence registration is for living away from the hukou city.`, {
          details: { cityCode: place.cityCode },
        });
      }
      const open = await q.findOpenRegistration(trx, person.id);
      if (open?.city_code === place.cityCode) {
        throw new AppError('RESIDENCE_ALREADY_REGISTERED', `${person.idNumber} has been registered as resident in city ${place.cityCode} since ${open.registered_on} (registration ${open.id}).`, {
          details: { registrationId: open.id, registeredOn: open.registered_on },
        });
      }
      if (open) await closeRegistration(trx, ctx.actor.id, open, today, `moved to city ${place.cityCode}`);
      const row = await q.insertRegistration(trx, {
        person_id: person.id,
        city_code: place.cityCode,
        authority_id: place.id,
        address: input.address,
        registered_on: today,
        recorded_by: ctx.actor.id,
      });
      await q.insertResidenceEvent(trx, {
        person_id: person.id,
        registration_id: row.id,
        kind: 'registered',
        occurred_on: today,
        actor_id: ctx.actor.id,
        authority_id: place.id,
        legal_basis: RESIDENCE_LEGAL_BASIS.registration,
        data: { cityCode: place.cityCode, previousRegistrationId: open?.id ?? null },
      });
      return registrationView(row);
    }),
  );
}

export interface EndRegistrationInput {
  registrationId: string;
  reason: string;
  /** Client transaction id (src/platform/db/idempotency.ts): a retry with the same key gets the first answer. */
  idempotencyKey?: string | undefined;
}

/** The person left the city: the registration ends, and with it the permit held there. */
export async function endResidenceRegistration(ctx: ServiceContext, input: EndRegistrationInput): Promise<RegistrationView> {
  const today = chinaDate(ctx.clock.now());
  assertText([['reason', input.reason, 500]]);
  return ctx.db.transaction().execute((trx) =>
    withIdempotency(trx, { actorId: ctx.actor.id, operation: 'endResidenceRegistration', key: input.idempotencyKey, request: input }, async () => {
      // Lock order of this module: the person (advisory), then their rows.
      const owner = await q.findRegistrationOwner(trx, input.registrationId);
      if (owner === undefined) throw registrationNotFound(input.registrationId);
      await lockResidenceOf(trx, owner);
      const reg = await q.lockRegistration(trx, input.registrationId);
      // Ended by the residence-place authority that registered it (or one above): elsewhere it is not found.
      if (!reg || !authorityInJurisdiction(ctx.actor, reg.authority_id)) throw registrationNotFound(input.registrationId);
      // Ending an ended registration is a step already done: the registration as it is, nothing written (docs/api-conventions.md).
      if (reg.ended_on) return registrationView(reg);
      return registrationView(await closeRegistration(trx, ctx.actor.id, reg, today, input.reason));
    }),
  );
}

/**
 * Called by the register inside its own transaction, after it changed these persons' status or
 * hukou: an open residence registration ends — and the permit held under it with it — when its
 * holder is no longer registered as living here (deceased, emigrated, hukou cancelled), or when
 * their hukou now lies in the residence city: residence registration and the permit are for living
 * away from the hukou city (居住证暂行条例 Art. 2). Otherwise a dead person's permit stayed valid and
 * kept being reminded of its endorsement. Returns how many registrations ended.
 *
 * Lock order: the register's person rows (held by the caller), then this module's lock
 * (lockResidenceOf), which residence writes take in the same order, so the two never deadlock. The
 * lock comes before the look for an open registration: one a residence write was committing
 * meanwhile (a move to another city) is then seen and ended too.
 */
export async function endOvertakenRegistrations(trx: Db, personIds: readonly number[], by: { actorId: string; on: string }): Promise<number> {
  let ended = 0;
  for (const personId of [...new Set(personIds)].sort((a, b) => a - b)) {
    await lockResidenceOf(trx, personId);
    const open = await q.findOpenRegistration(trx, personId);
    if (!open) continue;
    const reg = await q.lockRegistration(trx, open.id);
    const person = await findPersonWithHukouById(trx, personId);
    if (!reg || reg.ended_on || !person) continue;
    let reason: string | null = null;
    if (person.status !== 'active') reason = `the register records the person as ${person.status}`;
    else if (person.hukou_authority_id && (await authorityPlace(trx, person.hukou_authority_id, 'hukou')).cityCode === reg.city_code) {
      reason = 'the hukou is now in the residence city';
    }
    if (reason === null) continue;
    await closeRegistration(trx, by.actorId, reg, by.on, reason);
    ended++;
  }
  return ended;
}

export function registrationNotFound(id: string): AppError {
  return new AppError('RESIDENCE_REGISTRATION_NOT_FOUND', `${notAmongVisible(`Residence registration ${id}:`)} A person's registrations are on GET /api/v1/persons/{idNumber}/identity. Any counter can register residence (POST /api/v1/residence-registrations).`, {
    details: { registrationId: id },
  });
}

/** Ends an open registration and closes the permit of that residence (cancelled if issued, rejected if pending). */
async function closeRegistration(trx: Db, actorId: string, reg: q.RegistrationRow, on: string, reason: string): Promise<q.RegistrationRow> {
  const ended = await q.endRegistration(trx, reg.id, on, reason);
  if (!ended) throw new Error(`registration ${reg.id} was ended concurrently`);
  await q.insertResidenceEvent(trx, {
    person_id: reg.person_id,
    registration_id: reg.id,
    kind: 'registration_ended',
    occurred_on: on,
    actor_id: actorId,
    authority_id: reg.authority_id,
    legal_basis: RESIDENCE_LEGAL_BASIS.registrationEnded,
    data: { reason },
  });
  const permit = await q.findOpenPermit(trx, reg.person_id);
  if (permit && permit.registration_id === reg.id) {
    const closedAs = permit.status === 'issued' ? 'cancelled' : 'rejected';
    await q.updatePermit(trx, permit.id, permit.version, { status: closedAs, decided_on: on, decision_reason: `residence registration ended: ${reason}` });
    await q.insertResidenceEvent(trx, {
      person_id: reg.person_id,
      registration_id: reg.id,
      permit_id: permit.id,
      kind: closedAs === 'cancelled' ? 'permit_cancelled' : 'permit_rejected',
      occurred_on: on,
      actor_id: actorId,
      authority_id: reg.authority_id,
      legal_basis: RESIDENCE_LEGAL_BASIS.registrationEnded,
      data: { reason: 'residence registration ended' },
    });
  }
  return ended;
}
