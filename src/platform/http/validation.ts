import { AjvCompiler } from '@fastify/ajv-compiler';
import { UNSAFE_TEXT_MESSAGE, unsafeTextAt } from '../text.ts';

/**
 * The validators of every route (issue #11). One policy for every params, querystring and body
 * schema, so a new route inherits it without writing anything:
 *
 * - **bodies are JSON and keep their JSON types**: no coercion (`"expectedVersion": true` is refused,
 *   not taken as 1); only the strings of the path and the query are converted, by their declared type;
 * - **no string reaches the database that it cannot store**: NUL (PostgreSQL text refuses it, 22021)
 *   and unpaired UTF-16 surrogates (22P02) are refused anywhere in params, query and body;
 * - **integers are bounded**: one without its own `maximum`/`minimum` is kept within int4
 *   (a larger one is 22003 in an int column); a bigint column declares its own bound (`BigId` in schemas.ts);
 * - **dates and date-times are in a sane range** (1800-01-01 … 2200-12-31): year 0000 is 22008.
 */

export const DATE_RANGE = { from: '1800-01-01', to: '2200-12-31' } as const;
export const INT4 = { min: -2147483648, max: 2147483647 } as const;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

/** A calendar date `YYYY-MM-DD` within DATE_RANGE. */
export function isSaneDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  return validDay(Number(m[1]), Number(m[2]), Number(m[3])) && s >= DATE_RANGE.from && s <= DATE_RANGE.to;
}

/** An RFC 3339 date-time whose date is within DATE_RANGE. */
export function isSaneDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (!m) return false;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  const [h, min, sec] = [Number(m[4]), Number(m[5]), Number(m[6])];
  const offsetOk = m[9] === undefined || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
  return isSaneDate(date) && h <= 23 && min <= 59 && sec <= 60 && offsetOk;
}

type SchemaNode = Record<string, unknown>;

/** A copy of the schema where every integer without its own bounds gets the int4 ones. */
export function boundedIntegers<T>(schema: T): T {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!node || typeof node !== 'object') return node;
    const out: SchemaNode = {};
    for (const [k, v] of Object.entries(node as SchemaNode)) out[k] = k === 'examples' || k === 'default' || k === 'const' || k === 'enum' ? v : visit(v);
    const type = out.type;
    const integer = type === 'integer' || (Array.isArray(type) && type.includes('integer'));
    if (integer) {
      if (out.maximum === undefined && out.exclusiveMaximum === undefined) out.maximum = INT4.max;
      if (out.minimum === undefined && out.exclusiveMinimum === undefined) out.minimum = INT4.min;
    }
    return out;
  };
  return visit(schema) as T;
}

interface EdgeIssue {
  instancePath: string;
  keyword: string;
  message: string;
  params: Record<string, unknown>;
}

type Validate = ((data: unknown) => boolean) & { errors?: EdgeIssue[] | null; schemaEnv?: unknown };

function withTextCheck(validate: Validate): Validate {
  const wrapped: Validate = (...args: unknown[]) => {
    const ok = (validate as (...a: unknown[]) => boolean)(...args);
    if (!ok) {
      wrapped.errors = validate.errors ?? null;
      return false;
    }
    const at = unsafeTextAt(args[0]);
    if (at !== null) {
      wrapped.errors = [{ instancePath: at, keyword: 'text', message: UNSAFE_TEXT_MESSAGE, params: {} }];
      return false;
    }
    wrapped.errors = null;
    return true;
  };
  // Fastify passes the parent object (so Ajv can apply defaults to the root) when this is set.
  if (validate.schemaEnv) wrapped.schemaEnv = validate.schemaEnv;
  return wrapped;
}

const factory = AjvCompiler();

/**
 * `schemaController.compilersFactory.buildValidator` for Fastify: two Ajv instances (bodies strict,
 * path and query coerced from their strings), each with the sane date formats, and every compiled
 * validator bounded and text-checked as described above.
 */
export function buildEdgeValidator(externalSchemas: unknown, serverOptions?: unknown): ReturnType<typeof factory> {
  const custom = (serverOptions as { customOptions?: Record<string, unknown> } | undefined)?.customOptions ?? {};
  const base = { ...custom, allErrors: true, removeAdditional: false };
  const onCreate = (ajv: { addFormat(name: string, f: { type: 'string'; validate: (s: string) => boolean }): unknown }) => {
    ajv.addFormat('date', { type: 'string', validate: isSaneDate });
    ajv.addFormat('date-time', { type: 'string', validate: isSaneDateTime });
  };
  // ajv-formats is added first by the compiler when no formats plugin is given; onCreate then overrides
  const schemas = externalSchemas as Parameters<typeof factory>[0];
  const strict = factory(schemas, { customOptions: { ...base, coerceTypes: false }, onCreate: onCreate as never });
  const coercing = factory(schemas, { customOptions: { ...base, coerceTypes: 'array' }, onCreate: onCreate as never });
  return (route) => {
    const compile = route.httpPart === 'body' ? strict : coercing;
    return withTextCheck(compile({ ...route, schema: boundedIntegers(route.schema) as never }) as unknown as Validate) as never;
  };
}
