import { AppError } from '../platform/errors.ts';

/**
 * The database constraints that back the ID card rules, turned into their specific codes when a
 * concurrent write slips past the service's own checks (the service checks first; the constraint
 * is the last word).
 */
const CONSTRAINT_CODES = {
  id_card_one_valid_idx: ['SECOND_VALID_CARD', 'The person already holds a valid ID card; a person never holds two valid cards.'],
  id_card_application_one_open_idx: ['APPLICATION_IN_PROGRESS', 'The person already has an open application of this kind; finish or reject it first.'],
} as const;

export async function withCardConstraints<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    const pg = e as { code?: string; constraint?: string };
    if (pg.code === '23505' && pg.constraint && pg.constraint in CONSTRAINT_CODES) {
      const [code, message] = CONSTRAINT_CODES[pg.constraint as keyof typeof CONSTRAINT_CODES];
      throw new AppError(code, message, { internal: `${pg.constraint}: ${(e as Error).message}`, cause: e });
    }
    throw e;
  }
}
