import { assertActsFor } from '../access/index.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { withIdempotency } from '../platform/db/idempotency.ts';
import { AppError } from '../platform/errors.ts';
import { authorityPlace, findActivePerson, findPermitInForce, hukouPlaceOf, lockPersonFor, type ServicePerson } from '../residence/index.ts';
import { withCardConstraints } from './constraints.ts';
import * as q from './idcards.queries.ts';
import type { ApplicationKind, FeeWaiver, RenewalReason } from './idcards.tables.ts';
import { applicationView, type ApplicationView } from './idcards.views.ts';
import {
  applicationLegalBasis,
  effectiveCardStatus,
  feeFor,
  firstApplicationDeadline,
  issueDueOn,
  renewalOpensOn,
  residentCardValidity,
  scopeOf,
  temporaryCardValidity,
} from './rules.ts';

export const CARD_LOCK = 'idcard';

export interface ApplyForCardInput {
  idNumber: string;
  kind: ApplicationKind;
  /** Renewal only (换领, Art. 11): expiry (default), name_change or damage. */
  reason?: RenewalReason | null | undefined;
  /**
   * The accepting counter: any public-security authority serving a city (跨省通办). Default: the
   * acting officer's own authority.
   */
  authorityId?: string | undefined;
  /** Officer-attested waiver on first application or renewal (发改价格〔2003〕2322号). */
  feeWaiver?: FeeWaiver | null | undefined;
  /** Client transaction id (src/platform/db/idempotency.ts): a retry with the same key gets the first answer. */
  idempotencyKey?: string | undefined;
}

/**
 * Accepts an ID card application at any authority (受理). Decides, on the application date, the
 * validity by age (Art. 5), the fee, whether a first application is late (Art. 7), the issue
 * deadline (Art. 12), the hukou place that will confirm, and the scope for the statistics.
 * Refuses with a specific code, writing nothing, when the kind does not fit the person's cards.
 */
export async function applyForCard(ctx: ServiceContext, input: ApplyForCardInput): Promise<ApplicationView> {
  const today = chinaDate(ctx.clock.now());
  const reason = input.kind === 'renewal' ? (input.reason ?? 'expiry') : input.kind === 'reissue' ? 'loss' : null;
  const fee = feeFor(input.kind, reason, input.feeWaiver ?? null, today);
  if (!fee.ok) {
    throw new AppError('FEE_WAIVER_NOT_APPLICABLE', `A ${input.feeWaiver} fee waiver applies to first applications and renewals only, not to a ${input.kind} (发改价格〔2003〕2322号).`, {
      details: [{ field: 'feeWaiver', code: 'NOT_APPLICABLE', message: `waivable: ${fee.waivableCategories.join(', ')}` }],
    });
  }
  // Handled anywhere: any officer accepts at their own counter, for whoever presents themselves
  // (the person is found by ID number wherever their hukou is; the application then makes them
  // visible to this authority for its purpose: src/idcards/idcards.visibility.ts).
  const acceptingAuthorityId = input.authorityId ?? ctx.actor.authorityId;
  assertActsFor(ctx.actor, acceptingAuthorityId, 'authorityId');
  return withCardConstraints(() =>
    ctx.db.transaction().execute((trx) =>
      withIdempotency(trx, { actorId: ctx.actor.id, operation: 'applyForCard', key: input.idempotencyKey, request: input }, async () => {
        const person = await findActivePerson(trx, input.idNumber);
        await lockPersonFor(trx, CARD_LOCK, person.id);
        const accepting = await authorityPlace(trx, acceptingAuthorityId, 'authorityId');
        const hukou = await hukouPlaceOf(trx, person);
        const scope = scopeOf(accepting, hukou);

        const open = await q.findOpenApplication(trx, person.id, input.kind === 'temporary');
        if (open) {
          throw new AppError('APPLICATION_IN_PROGRESS', `${person.idNumber} already has ${open.kind} application ${open.id} (${open.state}); deliver or reject it first.`, {
            details: { applicationId: open.id, kind: open.kind, state: open.state },
          });
        }
        const previousCardId = await checkKindFits(trx, person, input.kind, reason, today);

        const validity = input.kind === 'temporary' ? temporaryCardValidity(person.birthDate, today) : residentCardValidity(person.birthDate, today);
        const late = input.kind === 'first' && firstApplicationDeadline(person.birthDate, today).late;
        const permit = scope !== 'local' && (input.kind === 'renewal' || input.kind === 'reissue') ? await findPermitInForce(trx, person.id, accepting.cityCode, today) : null;
        const legalBasis = applicationLegalBasis(input.kind, scope, permit !== null);

        const row = await q.insertApplication(trx, {
          person_id: person.id,
          kind: input.kind,
          reason,
          applied_on: today,
          id_number: person.idNumber,
          name: person.name,
          age_on_application: validity.age,
          late,
          validity_months: validity.months,
          previous_card_id: previousCardId,
          accepting_authority_id: accepting.id,
          hukou_authority_id: hukou.id,
          issuing_authority_id: hukou.countyAuthorityId,
          scope,
          residence_permit_id: permit?.id ?? null,
          legal_basis: legalBasis,
          fee_standard_yuan: fee.standardYuan,
          fee_due_yuan: fee.dueYuan,
          fee_waiver: fee.waiver,
          fee_source: fee.source,
          due_on: issueDueOn(input.kind, today, accepting.remote || hukou.remote),
          accepted_by: ctx.actor.id,
        });
        await q.insertCardEvents(trx, [
          {
            person_id: person.id,
            application_id: row.id,
            card_id: previousCardId,
            kind: 'application_accepted',
            occurred_on: today,
            actor_id: ctx.actor.id,
            accepting_authority_id: accepting.id,
            hukou_authority_id: hukou.id,
            scope,
            legal_basis: legalBasis,
            data: { kind: row.kind, reason, late, validityMonths: validity.months, feeDueYuan: fee.dueYuan, dueOn: row.due_on, residencePermitId: permit?.id ?? null },
          },
        ]);
        return applicationView(row, today);
      }),
    ),
  );
}

/**
 * Whether the application kind fits the person's cards; returns the card it renews or reissues.
 * The person presents themselves anywhere and may be outside the officer's area, and a refusal
 * writes nothing: refusals give the reason, never the registered name or a card's dates (except
 * `renewableFrom`, when to come back).
 * A person never has two valid cards: first applications need no card ever issued, temporary cards
 * need no valid card and a pending application.
 */
async function checkKindFits(trx: Db, person: ServicePerson, kind: ApplicationKind, reason: string | null, today: string): Promise<string | null> {
  const cards = await q.listCards(trx, person.id);
  const holder = { status: 'active', idNumber: person.idNumber };
  const latestResident = cards.find((c) => c.kind === 'resident');
  const valid = cards.find((c) => effectiveCardStatus({ kind: c.kind, status: c.status, idNumber: c.id_number, validUntil: c.valid_until }, holder, today) === 'valid');

  if (kind === 'first') {
    if (latestResident) {
      throw new AppError('FIRST_CARD_ALREADY_ISSUED', `${person.idNumber} already has resident ID card ${latestResident.id} (${latestResident.status}); apply for renewal or reissue.`, {
        details: { cardId: latestResident.id, status: latestResident.status },
      });
    }
    return null;
  }
  if (kind === 'temporary') {
    if (valid) {
      throw new AppError('SECOND_VALID_CARD', `${person.idNumber} holds valid ${valid.kind} card ${valid.id}; a temporary card is only for someone without a valid card.`, {
        details: { cardId: valid.id, kind: valid.kind },
      });
    }
    const pending = await q.findOpenApplication(trx, person.id, false);
    if (!pending) {
      throw new AppError('NO_PENDING_APPLICATION', `${person.idNumber} has no pending first, renewal or reissue application; a temporary card is issued only while one is pending (Art. 12 para. 2).`, {
        details: { idNumber: person.idNumber },
      });
    }
    return null;
  }
  if (kind === 'reissue') {
    if (!latestResident || latestResident.status !== 'reported_lost') {
      throw new AppError('REISSUE_WITHOUT_LOSS_REPORT', `The card of ${person.idNumber} has not been reported lost${latestResident ? ` (card ${latestResident.id} is ${latestResident.status})` : ''}; report the loss first (POST /api/v1/id-cards/loss-reports).`, {
        details: { cardId: latestResident?.id ?? null, status: latestResident?.status ?? null },
      });
    }
    return latestResident.id;
  }
  // renewal (换领)
  if (latestResident && latestResident.status !== 'reported_lost' && latestResident.id_number !== person.idNumber) {
    // The card carries a number the person no longer holds (a corrected birth date or sex issued a new
    // one, GB 11643): it is void, and corrected registered items call for a new card whatever its
    // dates (居民身份证法 Art. 11: 登记项目出现错误的……换发新证). A first application is refused: they had a card.
    return latestResident.id;
  }
  const status = latestResident
    ? effectiveCardStatus({ kind: 'resident', status: latestResident.status, idNumber: latestResident.id_number, validUntil: latestResident.valid_until }, holder, today)
    : null;
  if (!latestResident || (status !== 'valid' && status !== 'expired')) {
    throw new AppError(
      'NO_CARD_TO_RENEW',
      latestResident?.status === 'reported_lost'
        ? `Card ${latestResident.id} of ${person.idNumber} was reported lost: apply for a reissue (补领), not a renewal.`
        : `${person.idNumber} has no card to renew${latestResident ? ` (card ${latestResident.id} is ${status})` : ''}; apply for a first card.`,
      { details: { cardId: latestResident?.id ?? null, status } },
    );
  }
  if (reason === 'expiry') {
    const opens = renewalOpensOn(latestResident.valid_until, today);
    if (opens === null || today < opens) {
      throw new AppError(
        'CARD_NOT_NEAR_EXPIRY',
        opens === null
          ? `Card ${latestResident.id} is long-term (长期) and never expires; renew it only for a change of name or damage.`
          : `Card ${latestResident.id} is valid until ${latestResident.valid_until}; renewal for expiry opens on ${opens}. Give another reason (name_change, damage) if one applies.`,
        { details: { cardId: latestResident.id, validUntil: latestResident.valid_until, renewableFrom: opens } },
      );
    }
  }
  if (reason === 'name_change' && latestResident.name === person.name) {
    throw new AppError('NAME_NOT_CHANGED', `The register still has the name on card ${latestResident.id} for ${person.idNumber}; register the change of name first.`, {
      details: { cardId: latestResident.id },
    });
  }
  return latestResident.id;
}
