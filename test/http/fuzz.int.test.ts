import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../app.ts';
import { movableClock, sessionAs, type TestAccount } from '../access-fixtures.ts';
import { adultIdNumber, TOWNSHIP } from '../registry-fixtures.ts';

/**
 * Issue #11 item 7: a fuzz suite over the whole API. Walks /openapi.json and sends malformed path
 * values, query values, bodies and content types to every route, with valid credentials of several
 * roles; no answer may be a 5xx, and the register must not change (digests of its tables before
 * and after). Deterministic (fixed seed), bounded: a sweep of every route × every malformation kind,
 * then random combinations.
 */
const clock = movableClock('2024-06-15T04:00:00Z');
const t = useTestApp({ clock });
let accounts: TestAccount[];

/** Tables of the register and everything written on its behalf (not sessions, tokens or the access log). */
const REGISTER_TABLES = [
  'person', 'person_id_number', 'id_allocation', 'household', 'membership', 'registration_event', 'transfer',
  'import_job', 'import_issue', 'residence_registration', 'residence_permit', 'residence_permit_endorsement', 'residence_event',
  'id_card_application', 'id_card', 'id_card_event', 'id_card_check', 'notification', 'notification_delivery', 'idempotent_request',
  'account', 'division', 'township', 'code_entry', 'authority',
];

async function digests(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of REGISTER_TABLES) {
    // account rows carry login bookkeeping (last login) that sessions legitimately move; the rest is compared whole
    const row = table === 'account' ? sql.raw(`(t.id, t.username, t.role, t.authority_id, t.person_id)`) : sql.raw('t');
    const { rows } = await sql<{ d: string }>`select md5(coalesce(string_agg((${row})::text, '|' order by (${row})::text), '')) as d from ${sql.table(table)} t`.execute(t.tdb.db);
    out[table] = rows[0]!.d;
  }
  return out;
}

interface Operation {
  method: string;
  /** OpenAPI path, `{name}` for parameters. */
  path: string;
  pathParams: string[];
  query: Record<string, Schema>;
  body: Schema | null;
}
type Schema = Record<string, unknown>;

/** Routes that take no input to malform and act on the caller's own session or all overdue work. */
const SKIPPED = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/transfers/expire']);

function operationsOf(spec: { paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema: Schema }[]; requestBody?: { content?: Record<string, { schema: Schema }> } }>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (SKIPPED.has(`${method.toUpperCase()} ${path}`)) continue;
      const params = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, p.schema])),
        body: op.requestBody?.content?.['application/json']?.schema ?? null,
      });
    }
  }
  return ops;
}

/** Values refused by every schema (no text may hold NUL or a lone surrogate) — and thus never a write. */
const ALWAYS_REFUSED = ['\u0000', 'a\u0000b', '\ud800', 'x\udc00y'];
/** Path values no record has: malformed text, out-of-range numbers, odd encodings. */
const PATH_VALUES = ['%00', 'a%00b', '%ED%A0%80', '%FF', '99999999999999999999', '-1', '0', '1e3', 'x'.repeat(300), '%20', 'null', '0000-01-01', '%E4%B8%AD%00'];
/** Query values: the same and a few that parse as the wrong type. */
const QUERY_VALUES = ['%00', '%ED%A0%80', '99999999999999999999', '-99999999999999999999', '0000-01-01', '2024-02-30', '9999-12-31', 'true', '1.5', '', 'x'.repeat(5000), '%FF'];
const WRONG_TYPED: unknown[] = [true, false, 1, 1.5, 1e20, -1e20, 3_000_000_000, '2', '', [1], [], {}, null, '0000-01-01', 'x'.repeat(20_000), ...ALWAYS_REFUSED];

function jsonTypesOf(schema: Schema | undefined): Set<string> | null {
  if (!schema) return null;
  const alts = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alts) {
    const all = alts.map(jsonTypesOf);
    return all.some((a) => a === null) ? null : new Set(all.flatMap((a) => [...a!]));
  }
  if (schema.const !== undefined) return new Set([typeof schema.const === 'string' ? 'string' : typeof schema.const]);
  const type = schema.type;
  if (typeof type === 'string') return new Set([type]);
  if (Array.isArray(type)) return new Set(type as string[]);
  return null;
}

function jsonTypeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Values certainly invalid for `schema`: of a JSON type it does not allow, or text no schema allows. */
function invalidFor(schema: Schema | undefined): unknown[] {
  const allowed = jsonTypesOf(schema);
  if (!allowed) return ALWAYS_REFUSED;
  return WRONG_TYPED.filter((v) => {
    if (typeof v === 'string' && ALWAYS_REFUSED.includes(v)) return true;
    const type = jsonTypeOf(v);
    if (allowed.has(type)) return false;
    return !(type === 'integer' && allowed.has('number'));
  });
}

/** Properties of an object body schema (the object branch of a union). */
function propertiesOf(schema: Schema | null): Record<string, Schema> {
  if (!schema) return {};
  if (schema.properties) return schema.properties as Record<string, Schema>;
  for (const alt of ((schema.anyOf ?? schema.oneOf) as Schema[] | undefined) ?? []) if (alt.properties) return alt.properties as Record<string, Schema>;
  return {};
}

const anyJson = fc.jsonValue({ maxDepth: 3 });

/** A body with at least one property certainly invalid, the others anything (so it can never be a valid write). */
function malformedBody(op: Operation): fc.Arbitrary<unknown> {
  const props = propertiesOf(op.body);
  const names = Object.keys(props);
  if (names.length === 0) return fc.constantFrom<unknown>(...ALWAYS_REFUSED, [ALWAYS_REFUSED[0]], { x: ALWAYS_REFUSED[2] });
  return fc
    .record({
      broken: fc.constantFrom(...names),
      others: fc.dictionary(fc.constantFrom(...names, 'unexpected'), fc.oneof(anyJson, fc.constantFrom(...WRONG_TYPED)), { maxKeys: 6 }),
      pick: fc.nat(),
    })
    .map(({ broken, others, pick }) => {
      const bad = invalidFor(props[broken]);
      return { ...others, [broken]: bad[pick % bad.length] };
    });
}

interface Variant {
  kind: 'path' | 'query' | 'body' | 'raw-body' | 'content-type';
  pathValues: string[];
  query: [string, string][];
  body?: unknown;
  raw?: { payload: string; contentType: string };
}

const RAW_BODIES = [
  { payload: '{"a":', contentType: 'application/json' },
  { payload: '{"idempotencyKey":"\\u0000"}', contentType: 'application/json' },
  { payload: '{"x":"\\ud800"}', contentType: 'application/json' },
  { payload: '[1,2,3]', contentType: 'application/json' },
  { payload: '"just a string"', contentType: 'application/json' },
  { payload: 'null', contentType: 'application/json' },
  { payload: '{"__proto__":{"admin":true}}', contentType: 'application/json' },
  { payload: '{"constructor":{"prototype":{"x":1}}}', contentType: 'application/json' },
  { payload: `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`, contentType: 'application/json' },
  { payload: 'name=%00&x=1', contentType: 'application/x-www-form-urlencoded' },
  { payload: 'hello', contentType: 'text/plain' },
  { payload: '<x/>', contentType: 'application/xml' },
  { payload: '{}', contentType: 'application/json; charset=latin1' },
  { payload: '{}', contentType: 'multipart/form-data; boundary=x' },
];

/** The malformed request of `variant` for `op`: every part not malformed is still malformed enough to write nothing. */
function requestOf(op: Operation, v: Variant, who: TestAccount): InjectOptions {
  let i = 0;
  const url = op.path.replace(/\{[^}]+\}/g, () => v.pathValues[i++ % v.pathValues.length]!);
  const query = v.query.map(([k, val]) => `${encodeURIComponent(k)}=${/%/.test(val) ? val : encodeURIComponent(val)}`).join('&');
  const base: InjectOptions = { method: op.method as InjectOptions['method'], url: query ? `${url}?${query}` : url, headers: { ...who.headers, 'x-purpose': 'case:FUZZ-1' } };
  if (op.method === 'GET' || op.method === 'DELETE') return base;
  if (v.raw) return { ...base, payload: v.raw.payload, headers: { ...base.headers, 'content-type': v.raw.contentType } };
  return { ...base, payload: JSON.stringify(v.body ?? ALWAYS_REFUSED[0]), headers: { ...base.headers, 'content-type': 'application/json' } };
}

function variantArb(op: Operation): fc.Arbitrary<Variant> {
  const pathValues = fc.array(fc.constantFrom(...PATH_VALUES), { minLength: 1, maxLength: 3 });
  const queryNames = Object.keys(op.query);
  const query = fc.array(fc.tuple(fc.constantFrom(...queryNames, 'unexpected', 'limit', 'offset'), fc.constantFrom(...QUERY_VALUES)), { maxLength: 4 });
  const writes = op.method !== 'GET' && op.method !== 'DELETE';
  // With valid path values a write route needs a certainly invalid body; path variants carry one anyway.
  return fc.oneof(
    fc.record({ kind: fc.constant('path' as const), pathValues, query: fc.constant<[string, string][]>([]), body: malformedBody(op) }),
    fc.record({ kind: fc.constant('query' as const), pathValues, query, body: malformedBody(op) }),
    ...(writes
      ? [
          fc.record({ kind: fc.constant('body' as const), pathValues, query: fc.constant<[string, string][]>([]), body: malformedBody(op) }),
          fc.record({ kind: fc.constant('raw-body' as const), pathValues, query: fc.constant<[string, string][]>([]), raw: fc.constantFrom(...RAW_BODIES) }),
        ]
      : []),
  );
}

let operations: Operation[];

beforeAll(async () => {
  accounts = [
    await sessionAs(t.app, t.tdb.db, clock, { role: 'registration_officer', authorityId: 'prov-110000' }),
    await sessionAs(t.app, t.tdb.db, clock, { role: 'counter_officer', authorityId: 'station-110105001' }),
    await sessionAs(t.app, t.tdb.db, clock, { role: 'supervisor', authorityId: 'prov-110000' }),
    await sessionAs(t.app, t.tdb.db, clock, { role: 'administrator', authorityId: 'prov-110000' }),
    await sessionAs(t.app, t.tdb.db, clock, { role: 'department_client', authorityId: 'dept-education' }).catch(async () => sessionAs(t.app, t.tdb.db, clock, { role: 'department_client' })),
  ];
  // something to find: a household with a head in the officer's area
  const officer = accounts[0]!;
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/households', headers: { ...officer.headers, 'x-purpose': 'case:FUZZ-0' }, payload: { kind: 'family', townshipCode: TOWNSHIP.beijingChaoyang, address: '模糊路1号' } });
  expect(created.statusCode, created.body).toBe(201);
  const h = created.json<{ household: { householdNumber: string; version: number } }>().household;
  const id = adultIdNumber('1', '110105');
  const added = await t.app.inject({
    method: 'POST',
    url: `/api/v1/households/${h.householdNumber}/members`,
    headers: { ...officer.headers, 'x-purpose': 'case:FUZZ-0' },
    payload: { expectedVersion: h.version, relationship: '02', person: { idNumber: id.idNumber, name: '周建国', sex: '1', birthDate: id.birthDate, ethnicity: '01' } },
  });
  expect(added.statusCode, added.body).toBe(201);
  const spec = await t.app.inject({ method: 'GET', url: '/openapi.json' });
  operations = operationsOf(spec.json());
});

describe('fuzzing every route of /openapi.json with malformed input', () => {
  it('covers the API: every route is walked', () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(operations.some((o) => o.body !== null)).toBe(true);
  });

  it('a sweep of every route × every kind of malformation, then random ones: no 5xx, the register unchanged', async () => {
    const before = await digests();
    const failures: string[] = [];
    const send = async (op: Operation, v: Variant, who: TestAccount) => {
      const req = requestOf(op, v, who);
      const res = await t.app.inject(req);
      if (res.statusCode >= 500) failures.push(`${req.method} ${req.url} ${v.kind} ${JSON.stringify(v.body ?? v.raw ?? null).slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    };
    // the sweep: deterministic, one of each kind per route
    for (const [n, op] of operations.entries()) {
      const who = accounts[n % accounts.length]!;
      for (const value of PATH_VALUES) if (op.pathParams.length) await send(op, { kind: 'path', pathValues: [value], query: [], body: { x: ALWAYS_REFUSED[0] } }, who);
      for (const [name] of Object.entries(op.query)) for (const value of QUERY_VALUES) await send(op, { kind: 'query', pathValues: ['%00'], query: [[name, value]], body: { x: ALWAYS_REFUSED[0] } }, who);
      if (op.method === 'POST') for (const raw of RAW_BODIES) await send(op, { kind: 'raw-body', pathValues: ['99999999999999999999'], query: [], raw }, who);
    }
    // random combinations, seeded
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...operations).chain((op) => fc.tuple(fc.constant(op), variantArb(op), fc.constantFrom(...accounts))), async ([op, v, who]) => {
        await send(op, v, who);
      }),
      { numRuns: 600, seed: 110011, endOnFailure: true },
    );
    expect(failures).toEqual([]);
    expect(await digests()).toEqual(before);
  }, 120_000);
});
