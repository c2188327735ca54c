import { createHash } from 'node:crypto';
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
  /** The request as the operation received it (required, so no caller forgets it): the same key with another request is refused, not replayed. */
  request: unknown;
}

/**
 * Runs `work` once per (actor, key): the first request does the work and stores its answer with a
 * digest of the request, a retry (the same request) gets the stored answer and writes nothing; the
 * same key with another request — person B sent with person A's key — is refused
 * (IDEMPOTENCY_KEY_REUSED), as a replay would answer "done" for something never done. Answers
 * stored before requests were digested carry none and are replayed. `trx` must be the operation's own transaction, so the
 * answer commits with the effects or not at all (a refused request stores nothing and may be retried).
 * Requests with the same key wait for each other on an advisory lock, so the second replays.
 * The answer comes back parsed from JSON: `T` must be plain JSON (strings for dates, no undefined).
 *
 * @example
 * return ctx.db.transaction().execute((trx) =>
 *   withIdempotency(trx, { actorId: ctx.actor.id, operation: 'reportCardLost', key: input.idempotencyKey, request: input }, async () => { … }),
 * );
 */
export async function withIdempotency<T>(trx: Db, opts: IdempotencyOptions, work: () => Promise<T>): Promise<T> {
  const { actorId, operation, key } = opts;
  if (key === undefined) return work();
  await sql`select pg_advisory_xact_lock(hashtextextended(${`idem:${actorId}:${key}`}, 0))`.execute(trx);
  const prior = await trx
    .selectFrom('idempotent_request')
    .select(['operation', 'response', 'request_digest'])
    .where('actor_id', '=', actorId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (prior) {
    if (prior.operation !== operation) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', `Idempotency key "${key}" was already used for ${prior.operation}; use a new key for this ${operation}.`, {
        details: { idempotencyKey: key, operation: prior.operation },
      });
    }
    assertSameRequest(prior.request_digest, opts.request, key, operation);
    return prior.response as T;
  }
  const result = await work();
  await trx
    .insertInto('idempotent_request')
    .values({ actor_id: actorId, key, operation, response: JSON.stringify(result), request_digest: requestDigest(opts.request) })
    .execute();
  return result;
}

/**
 * SHA-256 of the request as canonical JSON (keys sorted, undefined left out), so a retry matches
 * whatever order its fields came in.
 */
export function requestDigest(request: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .sort()
          .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return createHash('sha256').update(JSON.stringify(canonical(request ?? null))).digest('hex');
}

/**
 * A replay is for a retry: the same request under the same key. Another request under it (person B
 * sent with person A's key) is refused, as replaying would answer "done" for something never done.
 * A prior answer stored without a digest (before requests were digested) is replayed.
 */
export function assertSameRequest(priorDigest: string | null | undefined, request: unknown, key: string, operation: string): void {
  if (priorDigest === null || priorDigest === undefined || priorDigest === requestDigest(request)) return;
  throw new AppError('IDEMPOTENCY_KEY_REUSED', `Idempotency key "${key}" was already used for another ${operation} request; a retry sends the same request, a new request needs a new key.`, {
    details: { idempotencyKey: key, operation },
  });
}
