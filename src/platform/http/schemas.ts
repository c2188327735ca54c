import { Type, type TSchema } from '@fastify/type-provider-typebox';

/**
 * A resident ID number as the API takes it (GB 11643-1999): 17 digits and a digit or X (x accepted
 * and upper-cased by the services). Its check digit and codes are checked by the domain.
 */
export const IdNumber = Type.String({
  pattern: '^[0-9]{17}[0-9Xx]$',
  description: 'Resident ID number (GB 11643-1999), 18 characters',
  examples: ['11010519491231002X'],
});

/*
 * Every string, integer and date of a request is also held to the edge policy of validation.ts
 * (issue #11): no NUL or unpaired surrogate in any text, integers within int4 unless a schema says
 * otherwise, dates 1800-01-01 … 2200-12-31. Schemas here only add what a field needs beyond that.
 */

/** A key of a bigint column (the default integer bound is int4): up to 2^53 − 1, what JSON numbers hold exactly. */
export const BigId = (description?: string) => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, ...(description ? { description } : {}) });

/** The one error body of the API: `{"error":{"code","message","details","requestId"}}`. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code; see docs/errors.md' }),
      message: Type.String({ description: 'What went wrong and what to do next' }),
      details: Type.Unknown({ description: 'Per-field issues or other structured context, or null' }),
      requestId: Type.String(),
    }),
  },
  { $id: 'ErrorBody', title: 'ErrorBody' },
);

/** Response schemas for the error statuses a route can produce (400 and 500 always). */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const s of new Set([400, 500, ...statuses])) out[s] = Type.Ref('ErrorBody');
  return out;
}

/** Body field of keyed writes (src/platform/db/idempotency.ts); spread into a body schema's properties. */
export const IdempotencyKeyField = {
  idempotencyKey: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Client transaction id: a retry with the same key returns the first answer and writes nothing' }),
  ),
};

/**
 * Body of a write that takes nothing but a key (confirm, deliver, issue): absent or `{}` as before,
 * or `{ "idempotencyKey": … }`. Absent bodies are validated as null, hence the null branch.
 */
export const KeyOnlyBody = Type.Union([Type.Object(IdempotencyKeyField, { additionalProperties: false }), Type.Null()]);
