import { isIsoDate } from '../platform/calendar.ts';
import { chinaDate } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import { AppError, type FieldIssue } from '../platform/errors.ts';
import { ID_NUMBER_SHAPE, normalizeIdNumber } from '../idnumber/index.ts';
import * as q from './idcards.queries.ts';
import { effectiveCardStatus } from './rules.ts';

export interface CardCheckInput {
  idNumber: string;
  /** The validity start date printed on the card (签发日期 / 有效期限 start). */
  validFrom: string;
}

/** Yes or no, and the reference of this check in the log: nothing about the person (PIPL Art. 6, minimum necessary). */
export interface CardCheckResult {
  valid: boolean;
  reference: string;
}

/**
 * Card check for departments and banks: is the card with this number and validity start valid
 * today? Unknown cards, expired, reported lost, superseded or cancelled cards all answer "no",
 * without saying which. Every check is logged (who asked, about which number, the answer).
 */
export async function checkCard(ctx: ServiceContext, input: CardCheckInput): Promise<CardCheckResult> {
  const today = chinaDate(ctx.clock.now());
  const idNumber = normalizeIdNumber(input.idNumber);
  // The HTTP schema checks these; the CLI passes them as typed.
  const issues: FieldIssue[] = [];
  if (!ID_NUMBER_SHAPE.test(idNumber)) issues.push({ field: 'idNumber', code: 'FORMAT', message: '17 digits and a digit or X' });
  if (!isIsoDate(input.validFrom)) issues.push({ field: 'validFrom', code: 'FORMAT', message: 'a calendar date YYYY-MM-DD' });
  if (issues.length > 0) throw new AppError('VALIDATION_FAILED', 'Give the ID number and the validity start printed on the card (YYYY-MM-DD).', { details: issues });
  // Two autocommitted statements, no transaction around them: the log row records the answer
  // given, and it is committed (durable) before the answer leaves, which is all the pair needs; a
  // BEGIN and a COMMIT would double the round trips of the most frequent call (issue #13).
  const card = await q.findCardForCheck(ctx.db, idNumber, input.validFrom);
  const valid =
    card !== undefined &&
    effectiveCardStatus({ kind: card.kind, status: card.status, idNumber: card.id_number, validUntil: card.valid_until }, { status: card.person_status, idNumber: card.person_id_number }, today) ===
      'valid';
  const logged = await q.insertCheck(ctx.db, { checked_on: today, actor_id: ctx.actor.id, id_number: idNumber, valid_from: input.validFrom, card_id: card?.id ?? null, valid });
  return { valid: logged.valid, reference: logged.id };
}
