import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCatalogue, type ErrorCode, type FieldIssue } from '../errors.ts';

interface AjvIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Turns Ajv's validation output into one entry per offending field (`query.parent`, `body.name`…). */
export function fieldIssues(context: string | undefined, issues: AjvIssue[]): FieldIssue[] {
  return issues.map((i) => {
    const path = (i.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    const missing = i.keyword === 'required' ? String(i.params?.missingProperty ?? '') : '';
    const field = [context ?? 'request', path, missing].filter(Boolean).join('.');
    return { field, code: (i.keyword ?? 'invalid').toUpperCase(), message: i.message ?? 'is invalid' };
  });
}


const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
};

/** A PostgreSQL data exception (SQLSTATE class 22: bad text, out-of-range number or date …) from the pg driver. */
function isDataException(err: unknown): boolean {
  const e = err as { code?: unknown; severity?: unknown };
  return typeof e.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code) && typeof e.severity === 'string';
}

/**
 * One error body everywhere: AppErrors keep their code (status from the composed catalogue), schema
 * failures become VALIDATION_FAILED.
 */
export function installErrorHandling(app: FastifyInstance, catalogue: ErrorCatalogue): void {
  const send = (reply: FastifyReply, request: FastifyRequest, code: ErrorCode, message: string, details: unknown): FastifyReply =>
    reply.status(catalogue[code].status).send({ error: { code, message, details: details ?? null, requestId: String(request.id) } });
  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    if (err instanceof AppError) {
      if (catalogue[err.code].status >= 500) request.log.error({ err }, err.message);
      return send(reply, request, err.code, err.userMessage, err.details);
    }
    const fe = err as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
    if (fe.validation) {
      const details = fieldIssues(fe.validationContext, fe.validation);
      const first = details[0];
      const summary = first ? `${first.field} ${first.message}` : 'request is invalid';
      return send(reply, request, 'VALIDATION_FAILED', `Invalid request: ${summary}. Fix the listed fields and retry.`, details);
    }
    if (isDataException(err)) {
      // Last resort (issue #11): the edge schemas (validation.ts) should have refused this input.
      // Logged as an error so the schema gap gets fixed, answered as the client's mistake, not a 500.
      request.log.error({ err }, 'database data exception reached the error handler: a schema lets this input through');
      return send(reply, request, 'VALIDATION_FAILED', 'Invalid request: a value is out of range or not representable. Check the values sent and retry.', null);
    }
    const mapped = fe.code ? FASTIFY_CODES[fe.code] : undefined;
    if (mapped) return send(reply, request, mapped, fe.message, null);
    if (fe.statusCode === 429) return send(reply, request, 'RATE_LIMITED', fe.message, null);
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return send(reply, request, 'VALIDATION_FAILED', fe.message, null);
    }
    request.log.error({ err }, 'unhandled error');
    return send(reply, request, 'INTERNAL', 'An unexpected error occurred. Quote the requestId when reporting it.', null);
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, request, 'NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}. See /docs for the API.`, null),
  );
}
