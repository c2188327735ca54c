/** A JSON schema as Fastify holds it (TypeBox output): only the parts that shape a response. */
export interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
}

type Resolve = (ref: string) => SchemaNode | undefined;

function deref(schema: SchemaNode | undefined, resolve: Resolve, depth = 0): SchemaNode | undefined {
  if (!schema || depth > 10) return schema;
  if (schema.$ref) return deref(resolve(schema.$ref.replace(/#$/, '')), resolve, depth + 1);
  return schema;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** The branch of a union that describes `value` (an object or array), if any. */
function branchFor(schema: SchemaNode, value: unknown, resolve: Resolve): SchemaNode {
  const options = schema.anyOf ?? schema.oneOf;
  if (!options) return schema;
  for (const o of options) {
    const b = deref(o, resolve);
    if (!b) continue;
    if (Array.isArray(value) && b.items) return b;
    if (isObject(value) && b.properties) return b;
  }
  return schema;
}

function walk(value: unknown, schema: SchemaNode | undefined, path: string, out: Set<string>, resolve: Resolve, depth: number): void {
  let s = deref(schema, resolve);
  if (!s || depth > 8) {
    if (path) out.add(path);
    return;
  }
  s = branchFor(s, value, resolve);
  if (Array.isArray(value) && s.items) {
    if (value.length === 0 && path) out.add(`${path}[]`);
    for (const item of value) walk(item, s.items, `${path}[]`, out, resolve, depth + 1);
    return;
  }
  const props: Record<string, SchemaNode> | undefined =
    s.properties ?? (s.allOf ? Object.assign({}, ...s.allOf.map((a) => deref(a, resolve)?.properties ?? {})) : undefined);
  if (isObject(value) && props) {
    for (const [key, sub] of Object.entries(props)) {
      if (value[key] === undefined) continue;
      walk(value[key], sub, path ? `${path}.${key}` : key, out, resolve, depth + 1);
    }
    return;
  }
  if (path) out.add(path);
}

/**
 * The field names a response actually carries: the payload's fields that its response schema lets
 * through (Fastify's serializer drops the rest), as dotted paths with `[]` for arrays, sorted.
 */
export function returnedFields(payload: unknown, schema: SchemaNode | undefined, resolve: Resolve = () => undefined): string[] {
  const out = new Set<string>();
  walk(payload, schema, '', out, resolve, 0);
  return [...out].sort();
}
