import type { Db } from '../platform/db/database.ts';
import { AppError, type FieldIssue } from '../platform/errors.ts';
import { HEAD_RELATIONSHIP, SELF_RELATIONSHIP } from './registry.law.ts';

export type CodeKind = 'sex' | 'ethnicity' | 'relationship' | 'division' | 'township';

export interface CodeCheck {
  field: string;
  kind: CodeKind;
  code: string | null | undefined;
}

const TABLE_STANDARD: Record<CodeKind, string> = {
  sex: 'GB/T 2261.1 sex code',
  ethnicity: 'GB/T 3304 ethnicity code',
  relationship: 'GB/T 4761 relationship code',
  division: 'GB/T 2260 administrative division code',
  township: 'NBS township code (9 digits)',
};

async function knownCodes(db: Db, kind: CodeKind, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  let rows: { code: string }[];
  if (kind === 'division') rows = await db.selectFrom('division').select('code').where('code', 'in', codes).execute();
  else if (kind === 'township') rows = await db.selectFrom('township').select('code').where('code', 'in', codes).execute();
  else rows = await db.selectFrom('code_entry').select('code').where('table_name', '=', kind).where('code', 'in', codes).execute();
  return new Set(rows.map((r) => r.code));
}

/**
 * Checks every given code against its table and throws one 422 INVALID_CODE listing each unknown
 * code (plus any `issues` the caller found itself), so the client fixes all fields in one round.
 */
export async function assertCodes(db: Db, checks: CodeCheck[], issues: FieldIssue[] = []): Promise<void> {
  const all = [...issues];
  const kinds = [...new Set(checks.map((c) => c.kind))];
  for (const kind of kinds) {
    const ofKind = checks.filter((c): c is CodeCheck & { code: string } => c.kind === kind && typeof c.code === 'string');
    const known = await knownCodes(db, kind, [...new Set(ofKind.map((c) => c.code))]);
    for (const c of ofKind) {
      if (!known.has(c.code)) all.push({ field: c.field, code: `UNKNOWN_${kind.toUpperCase()}`, message: `"${c.code}" is not a ${TABLE_STANDARD[kind]}.` });
    }
  }
  if (all.length > 0) throw invalid(all);
}

export function invalid(issues: FieldIssue[]): AppError {
  const summary = issues.map((i) => `${i.field}: ${i.message}`).join(' ');
  return new AppError('INVALID_CODE', `Invalid values — ${summary} Fix the listed fields and retry.`, { details: issues });
}

/** A member's relationship to the head: 02 (户主) is the head's own, 01 (本人) is no relationship to a head. */
export function memberRelationshipIssue(field: string, code: string): FieldIssue | null {
  if (code === HEAD_RELATIONSHIP) return { field, code: 'HEAD_RELATIONSHIP', message: '02 (户主) is reserved for the head; change the head with POST …/head.' };
  if (code === SELF_RELATIONSHIP) return { field, code: 'SELF_RELATIONSHIP', message: '01 (本人) is not a relationship to the head; use the GB/T 4761 code of the relationship.' };
  return null;
}

/**
 * Names of codes for people to read (the CLI's `person show`): sex, ethnicity and relationship
 * from their code tables, division codes (birthplace, native place) as the division's name. A code
 * with no entry reads as itself.
 */
export async function codeNames(
  db: Db,
  wanted: { kind: 'sex' | 'ethnicity' | 'relationship' | 'division'; code: string | null | undefined }[],
): Promise<(kind: 'sex' | 'ethnicity' | 'relationship' | 'division', code: string | null | undefined) => string> {
  const names = new Map<string, string>();
  const tables = wanted.filter((w) => w.kind !== 'division' && w.code);
  if (tables.length) {
    const rows = await db
      .selectFrom('code_entry')
      .select(['table_name', 'code', 'name'])
      .where((eb) => eb.or(tables.map((w) => eb.and([eb('table_name', '=', w.kind), eb('code', '=', w.code!)]))))
      .execute();
    for (const r of rows) names.set(`${r.table_name}:${r.code}`, r.name);
  }
  const divisions = [...new Set(wanted.filter((w) => w.kind === 'division' && w.code).map((w) => w.code!))];
  if (divisions.length) {
    for (const r of await db.selectFrom('division').select(['code', 'name']).where('code', 'in', divisions).execute()) names.set(`division:${r.code}`, r.name);
  }
  return (kind, code) => (code ? (names.get(`${kind}:${code}`) ?? code) : '');
}
