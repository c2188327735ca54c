import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoPath } from '../src/platform/paths.ts';

/** Each table's owning module: the module whose `<module>.tables.ts` declares it (platform's own: `platform/db/*.tables.ts`). */
export function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  for (const file of sourceFiles(repoPath('src')).filter((f) => f.endsWith('.tables.ts'))) {
    const owner = moduleOf(file);
    const text = readFileSync(file, 'utf8');
    for (const block of text.matchAll(/export interface \w+Tables(?: extends [^{]+)? \{([^}]*)\}/g)) {
      for (const m of block[1]!.matchAll(/^\s+([a-z_][a-z0-9_]*)\??:/gm)) {
        const previous = owners.get(m[1]!);
        if (previous && previous !== owner) throw new Error(`table ${m[1]} is declared by both ${previous} and ${owner}`);
        owners.set(m[1]!, owner);
      }
    }
  }
  return owners;
}

/** `registry` for src/registry/bulk/x.ts, `platform` for src/platform/db/x.ts. */
export function moduleOf(file: string): string {
  return relative(repoPath('src'), file).split('/')[0]!;
}

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * The tables a source file names in SQL: Kysely's `selectFrom('t as x')`, `innerJoin('t')`,
 * `insertInto('t')`, `updateTable('t')`, `deleteFrom('t')`, `with…`, and raw SQL's
 * `from t`, `join t`, `into t`, `update t`, `copy t` — restricted to known table names.
 */
export function tablesNamedIn(text: string, known: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  const kysely = /\b(?:selectFrom|innerJoin|leftJoin|rightJoin|fullJoin|insertInto|updateTable|deleteFrom|mergeInto|using)\(\s*\[?\s*'([a-z_][a-z0-9_]*)/g;
  for (const m of text.matchAll(kysely)) if (known.has(m[1]!)) found.add(m[1]!);
  const raw = /\b(?:from|join|into|update|copy|table)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)"?/gi;
  for (const m of text.matchAll(raw)) if (known.has(m[1]!)) found.add(m[1]!);
  return found;
}

/**
 * The columns each declared table has in TypeScript: `<table>: <Interface>` entries of a module's
 * `…Tables` interface, then the keys of that interface (declared in the same file).
 */
export function declaredColumns(): Map<string, Set<string>> {
  const columns = new Map<string, Set<string>>();
  for (const file of sourceFiles(repoPath('src')).filter((f) => f.endsWith('.tables.ts'))) {
    const text = readFileSync(file, 'utf8');
    for (const block of text.matchAll(/export interface \w+Tables(?: extends [^{]+)? \{([^}]*)\}/g)) {
      for (const m of block[1]!.matchAll(/^\s+([a-z_][a-z0-9_]*)\??:\s*(\w+);/gm)) {
        const body = interfaceBody(text, m[2]!);
        if (body === undefined) throw new Error(`${file}: interface ${m[2]} of table ${m[1]} is not declared in the same file`);
        columns.set(m[1]!, new Set([...body.matchAll(/^ {2}([a-z_][a-z0-9_]*)\??:/gm)].map((c) => c[1]!)));
      }
    }
  }
  return columns;
}

/** The text between the braces of `interface <name> {…}`, nested braces (inline object types) included. */
function interfaceBody(text: string, name: string): string | undefined {
  const start = new RegExp(`interface ${name} \\{`).exec(text);
  if (!start) return undefined;
  let depth = 1;
  for (let i = start.index + start[0].length; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(start.index + start[0].length, i);
  }
  return undefined;
}
