import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOrNull, assertPurposeConcerns, type PurposeResolver } from '../access/index.ts';
import type { Db } from '../platform/db/database.ts';
import { isAppError } from '../platform/errors.ts';
import type { Clock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import type { AccessEntry } from './chain.ts';
import { returnedFields, type SchemaNode } from './returned-fields.ts';
import type { AccessLogWriter } from './writer.ts';

/**
 * A route that returns personal data declares `config: { accessLog: { … } }`; every response it sends
 * — records and refusals alike — is then logged, and the response leaves only after the entry is
 * committed. Anonymous calls are refused before any record is looked up and are not logged here.
 */
export interface AccessLogRoute {
  /** The operation, e.g. `person.read`. */
  action: string;
  subject: 'person' | 'household' | 'search';
  /** What was asked for, from the request (an ID number, a household number, a query). */
  ref(request: FastifyRequest): string;
  /**
   * Routes that answer with a document (a certificate PDF) instead of JSON: the fields the document
   * shows. Their entry is written in `onSend` (Fastify skips `preSerialization` for a Buffer payload).
   */
  documentFields?: readonly string[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    accessLog?: AccessLogRoute;
  }
}

export interface ReturnedRecords {
  personIds?: number[];
  householdIds?: number[];
}

const returned = new WeakMap<FastifyRequest, ReturnedRecords>();
const logged = new WeakSet<FastifyRequest>();

/**
 * The handler of an access-logged route names the records it is returning (internal ids), so the
 * entry says whose data left and the citizen finds it in their trail. Call it before returning.
 */
export function noteReturnedRecords(request: FastifyRequest, records: ReturnedRecords): void {
  const prev = returned.get(request) ?? {};
  returned.set(request, {
    personIds: [...(prev.personIds ?? []), ...(records.personIds ?? [])],
    householdIds: [...(prev.householdIds ?? []), ...(records.householdIds ?? [])],
  });
}

function errorCodeOf(payload: unknown): string {
  const code = (payload as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'string' ? code : 'ERROR';
}

function responseSchema(request: FastifyRequest, status: number): SchemaNode | undefined {
  const responses = (request.routeOptions.schema?.response ?? {}) as Record<string, SchemaNode>;
  return responses[String(status)] ?? responses[`${String(status)[0]}xx`];
}

function unique(ids: number[] | undefined): number[] {
  return [...new Set(ids ?? [])].sort((a, b) => a - b);
}

/**
 * Installs the access-log hook on the root app: for routes with `config.accessLog`, builds the entry
 * from the actor, the stated purpose, the records noted by the handler and the fields the response
 * schema lets through, and awaits the group-committed write before the payload is serialised.
 * If the write fails the caller gets ACCESS_LOG_UNAVAILABLE instead of the data.
 */
export function installAccessLog(app: FastifyInstance, opts: { writer: AccessLogWriter; clock: Clock; db: Db; purposeResolvers: readonly PurposeResolver[] }): void {
  const log = async (request: FastifyRequest, reply: FastifyReply, payload: unknown, document: boolean): Promise<void> => {
    const route = request.routeOptions.config.accessLog;
    if (!route || logged.has(request)) return;
    logged.add(request);
    const actor = actorOrNull(request);
    if (!actor) return;
    let ok = reply.statusCode < 400;
    const records = ok ? returned.get(request) : undefined;
    let personIds = unique(records?.personIds);
    // A purpose naming an application must name one concerning the person read (else nothing leaves, and the refusal is logged).
    let refusal: unknown = null;
    if (ok) {
      try {
        await assertPurposeConcerns(opts.db, opts.purposeResolvers, request.purpose, personIds);
      } catch (e) {
        if (!isAppError(e)) throw e;
        refusal = e;
        ok = false;
        personIds = [];
      }
    }
    // A citizen reading only their own record is not logged (issue #4: "by anyone but the citizen themself").
    if (ok && actor.role === 'citizen' && actor.personId !== undefined && personIds.every((id) => id === actor.personId) && !records?.householdIds?.length) return;
    const fields = !ok
      ? []
      : document
        ? [...(route.documentFields ?? ['(document)'])]
        : returnedFields(payload, responseSchema(request, reply.statusCode), (id) => request.server.getSchema(id) as SchemaNode | undefined);
    const entry: AccessEntry = {
      at: opts.clock.now(),
      actorId: actor.id,
      accountId: actor.accountId ?? null,
      role: actor.role,
      authorityId: actor.authorityId,
      purpose: request.purpose?.text ?? null,
      action: route.action,
      subjectKind: route.subject,
      subjectRef: safeRef(route, request),
      personIds,
      householdIds: ok ? unique(records?.householdIds) : [],
      fields,
      outcome: ok ? 'returned' : refusal ? (refusal as { code: string }).code : errorCodeOf(document ? safeJson(payload) : payload),
      requestId: String(request.id),
    };
    try {
      await opts.writer.append(entry);
    } catch (e) {
      request.log.error({ err: e }, 'access log write failed; the response is withheld');
      throw new AppError('ACCESS_LOG_UNAVAILABLE', 'The access log could not be written, so the record is withheld. Retry shortly.', { cause: e });
    }
    if (refusal) throw refusal;
  };
  app.addHook('preSerialization', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    await log(request, reply, payload, false);
    return payload;
  });
  // A document (Buffer) payload never passes preSerialization: log it before it is sent.
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (request.routeOptions.config.accessLog?.documentFields && !logged.has(request)) await log(request, reply, payload, true);
    return payload;
  });
}

function safeJson(payload: unknown): unknown {
  try {
    return typeof payload === 'string' ? JSON.parse(payload) : null;
  } catch {
    return null;
  }
}

function safeRef(route: AccessLogRoute, request: FastifyRequest): string {
  try {
    return route.ref(request).slice(0, 200);
  } catch {
    return '(unreadable)';
  }
}
