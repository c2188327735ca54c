import { sql } from 'kysely';
import { AppError } from '../errors.ts';
import type { Db } from './database.ts';

export interface IdempotencyOptions {
  /** Who sends the request: keys are scoped to the actor, so another actor's key is another request. */
  actorId: string;
  /** Name of the operation (`applyForCard`…): a key reused for another operation is refused. */
  operation: string;
  /** Client transaction id; undefined runs the work unkeyed. */
  key: string | undefined;
}

/**
 * Runs `work` once per (actor, key): the first request does the work and stores its answer, a retry
 * gets the stored answer and writes nothing. `trx` must be the operation's own transaction, so the
 * answer commits with the effects or not at all (a refused request stores nothing and may be retried).
 * Requests with the same key wait for each other on an advisory lock, so the second replays.
 * The answer comes back parsed from JSON: `T` must be plain JSON (strings for dates, no undefined).
 *
 * @example
 * return ctx.db.transaction().execute((trx) =>
 *   withIdempotency(trx, { actorId: ctx.actor.id, operation: 'reportCardLost', key: input.idempotencyKey }, async () => { … }),
 * );
 */
export async function withIdempotency<T>(trx: Db, opts: IdempotencyOptions, work: () => Promise<T>): Promise<T> {
  const { actorId, operation, key } = opts;
  if (key === undefined) return work();
  await sql`select pg_advisory_xact_lock(hashtextextended(${`idem:${actorId}:${key}`}, 0))`.execute(trx);
  const prior = await trx
    .selectFrom('idempotent_request')
    .select(['operation', 'response'])
    .where('actor_id', '=', actorId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (prior) {
    if (prior.operation !== operation) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', `Idempotency key "${key}" was already used for ${prior.operation}; use a new key for this ${operation}.`, {
        details: { idempotencyKey: key, operation: prior.operation },
      });
    }
    return prior.response as T;
  }
  const result = await work();
  await trx.insertInto('idempotent_request').values({ actor_id: actorId, key, operation, response: JSON.stringify(result) }).execute();
  return result;
}
