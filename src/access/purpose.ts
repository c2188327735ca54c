import type { FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';

/**
 * Why an officer reads a full record (PIPL Art. 6: purpose clear and processing directly related
 * to it; Art. 34: state organs only within their statutory duties). Either the application being
 * handled (`application:<id>`) or a case reference (`case:<ref>`), ASCII so it fits an HTTP header.
 */
export interface Purpose {
  kind: 'application' | 'case';
  ref: string;
  /** The canonical form, as logged: `application:<id>` or `case:<ref>`. */
  text: string;
}

export const PURPOSE_HEADER = 'x-purpose';
export const PURPOSE_PATTERN = '^(application|case):[A-Za-z0-9][A-Za-z0-9._/-]{0,79}$';
const PURPOSE = new RegExp(PURPOSE_PATTERN);

export function parsePurpose(raw: string): Purpose | null {
  const text = raw.trim();
  if (!PURPOSE.test(text)) return null;
  const colon = text.indexOf(':');
  return { kind: text.slice(0, colon) as Purpose['kind'], ref: text.slice(colon + 1), text };
}

/** The purpose stated by `X-Purpose` or `?purpose=`, or null when none was given (malformed ones are refused). */
export function statedPurpose(request: FastifyRequest): Purpose | null {
  const header = request.headers[PURPOSE_HEADER];
  const query = (request.query as Record<string, unknown> | undefined)?.purpose;
  const raw = typeof header === 'string' && header !== '' ? header : typeof query === 'string' && query !== '' ? query : null;
  if (raw === null) return null;
  const purpose = parsePurpose(raw);
  if (!purpose) {
    throw new AppError('PURPOSE_REQUIRED', 'The stated purpose is malformed: send `X-Purpose: application:<id>` or `X-Purpose: case:<reference>` (letters, digits, . _ / -).', {
      details: [{ field: 'header.x-purpose', code: 'PATTERN', message: `must match ${PURPOSE_PATTERN}` }],
    });
  }
  return purpose;
}

/**
 * Reading one application or transfer serves that application, unless the caller stated another
 * purpose: the access log then says `application:<id>`. Call it in the route handler.
 */
export function defaultToApplicationPurpose(request: FastifyRequest, applicationId: string): void {
  request.purpose ??= parsePurpose(`application:${applicationId}`);
}

/**
 * The purpose of this request, required: throws PURPOSE_REQUIRED when none is stated. Officers
 * must state one to read a full record; `guard()` calls this for operations that need it.
 */
export function requirePurpose(request: FastifyRequest): Purpose {
  const purpose = statedPurpose(request);
  if (!purpose) {
    throw new AppError('PURPOSE_REQUIRED', 'Reading a full record needs a purpose: send `X-Purpose: application:<id>` or `X-Purpose: case:<reference>`.', {
      details: [{ field: 'header.x-purpose', code: 'REQUIRED', message: 'state the application or case this read serves' }],
    });
  }
  return purpose;
}
