import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { assertSameRequest, requestDigest } from '../platform/db/idempotency.ts';
import type { ServiceContext } from '../platform/context.ts';
import { chinaDate } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import { notifyRegisterChange } from './change-observers.ts';
import type { RegistrationEventKind } from './registry.tables.ts';
import { findEventByIdempotencyKey, insertEvents, type EventRow } from './event.queries.ts';

/** A registration event an operation writes, in the same transaction as the state it changes. */
export interface EventDraft {
  kind: RegistrationEventKind;
  personId: number | null;
  householdId: number | null;
  occurredOn: string;
  /** The registration authority where it was registered (the household's police station). */
  authorityId: string;
  legalBasis: string;
  reason?: string | null | undefined;
  applicationId?: string | null | undefined;
  data?: Record<string, unknown>;
}

export interface WriteOptions {
  /** Name of the operation (`registerBirth`…): a key reused for another operation is refused. */
  operation: string;
  /** Client transaction id: a retry with the same key returns the first answer and writes nothing. */
  idempotencyKey?: string | undefined;
  /** The request as the operation received it (required, so no caller forgets it): the same key with another request is refused, not replayed. */
  request: unknown;
}

export interface WorkResult<T> {
  result: T;
  /** The first event carries the idempotency key and the answer. */
  events: EventDraft[];
}

/**
 * Events after which a person may be no longer living here, or have their hukou in another city
 * (a split's new household may lie in another city of the province, like a move's destination).
 */
const STATUS_OR_PLACE_CHANGES: ReadonlySet<RegistrationEventKind> = new Set(['death', 'member_removed', 'move_in', 'registration', 'household_split']);

/** A transfer writes transfer_in at every step; only the move-in and an expiry (the origin hukou restored) place the person. */
function changesStatusOrPlace(e: EventDraft): boolean {
  if (e.kind === 'transfer_in') return ['destination_moved_in', 'expired'].includes((e.data as { step?: string } | undefined)?.step ?? '');
  return STATUS_OR_PLACE_CHANGES.has(e.kind);
}

/**
 * Runs one write operation as one transaction: replays the stored answer when the idempotency key
 * was seen before, otherwise does the work and appends its events with the answer on the first one.
 * Requests with the same key are serialised by an advisory lock, so the second waits and replays.
 * Modules that depend on the register are told of changed persons in the same transaction
 * (`notifyRegisterChange`: residence ends the registrations the change overtook).
 * Database constraint violations become specific 409s instead of 500s.
 */
export async function runWrite<T>(ctx: ServiceContext, opts: WriteOptions, work: (trx: Db) => Promise<WorkResult<T>>): Promise<T> {
  // Inside a caller's transaction (a settlement approval moving a whole family at once) the write
  // joins it: all of it commits or none of it does.
  const inTransaction = <R>(fn: (trx: Db) => Promise<R>): Promise<R> => (ctx.db.isTransaction ? fn(ctx.db) : ctx.db.transaction().execute(fn));
  try {
    return await inTransaction(async (trx) => {
      const key = opts.idempotencyKey;
      if (key !== undefined) {
        await sql`select pg_advisory_xact_lock(hashtextextended(${`registry:${key}`}, 0))`.execute(trx);
        const prior = await findEventByIdempotencyKey(trx, key);
        if (prior) return replay<T>(prior, opts, key, ctx.actor.id);
      }
      const digest = key !== undefined ? requestDigest(opts.request) : undefined;
      const { result, events } = await work(trx);
      await insertEvents(
        trx,
        events.map((e, i) => ({
          person_id: e.personId,
          household_id: e.householdId,
          kind: e.kind,
          occurred_on: e.occurredOn,
          actor_id: ctx.actor.id,
          authority_id: e.authorityId,
          reason: e.reason ?? null,
          legal_basis: e.legalBasis,
          application_id: e.applicationId ?? null,
          data: JSON.stringify({ ...e.data, operation: opts.operation, actorAuthorityId: ctx.actor.authorityId, ...(i === 0 && digest !== undefined ? { requestDigest: digest } : {}) }),
          idempotency_key: i === 0 ? (key ?? null) : null,
          response: i === 0 && key !== undefined ? JSON.stringify(result) : null,
        })),
      );
      // a death, a removal or a new place of hukou may overtake an open residence registration (居住证暂行条例 Art. 2)
      const changed = events.flatMap((e) => (e.personId !== null && changesStatusOrPlace(e) ? [e.personId] : []));
      if (changed.length > 0) await notifyRegisterChange(trx, changed, { actorId: ctx.actor.id, on: chinaDate(ctx.clock.now()) });
      return result;
    });
  } catch (e) {
    throw mapDatabaseError(e);
  }
}

/**
 * The stored answer of the first request with this key — only to the same actor doing the same
 * operation with the same request. Keys are chosen by clients, so another actor's key is refused
 * without saying what it did: a replay would hand them the first caller's answer, personal data
 * included. The same key with another request (a second child sent with the first one's key) is
 * not a retry: replaying would answer "registered" for a registration that never happened.
 * Events written before requests were digested carry none and are replayed.
 */
function replay<T>(prior: EventRow, opts: WriteOptions, key: string, actorId: string): T {
  const { operation } = opts;
  if (prior.actor_id !== actorId) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', `Idempotency key "${key}" is already taken; use a new key for this ${operation}.`, {
      details: { idempotencyKey: key, operation: null },
    });
  }
  const { operation: priorOperation, requestDigest: priorDigest } = prior.data as { operation?: string; requestDigest?: string };
  if (priorOperation !== operation || prior.response === null) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', `Idempotency key "${key}" was already used for ${priorOperation ?? 'another operation'}; use a new key for this ${operation}.`, {
      details: { idempotencyKey: key, operation: priorOperation ?? null },
    });
  }
  assertSameRequest(priorDigest, opts.request, key, operation);
  return prior.response as T;
}

interface PgError {
  code?: string;
  constraint?: string;
}

/** Constraint and concurrency failures of PostgreSQL as the register's 409s; anything else unchanged. */
export function mapDatabaseError(e: unknown): unknown {
  if (e instanceof AppError) return e;
  const { code, constraint } = (e ?? {}) as PgError;
  if (code === '23505') {
    if (constraint === 'membership_one_current_idx') {
      return new AppError('SECOND_HUKOU', 'The person already has a current hukou (户口登记条例 Art. 6); another operation registered them at the same moment. Re-read the person and retry.', { cause: e });
    }
    if (constraint === 'person_id_number_pkey' || constraint === 'person_id_number_key') {
      return new AppError('DUPLICATE_ID_NUMBER', 'The ID number is already held by a person in the register; numbers are never reused.', { cause: e });
    }
    if (constraint === 'transfer_one_open_idx') {
      return new AppError('TRANSFER_IN_PROGRESS', 'The person already has an open interprovincial transfer; finish or compensate it first.', { cause: e });
    }
  }
  if (code === '40001' || code === '40P01') {
    return new AppError('CONCURRENT_UPDATE', 'Another operation changed the same records at the same moment. Re-read them and retry.', { cause: e });
  }
  return e;
}
