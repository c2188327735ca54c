import { AppError } from '../platform/errors.ts';
import type { Db } from '../platform/db/database.ts';
import * as q from './reference.queries.ts';

/** Accepts the short forms a person types (`11`, `1101`) for `110000`, `110100`. */
export function normalizeDivisionCode(code: string): string {
  return code.padEnd(6, '0');
}

type DivisionRow = Awaited<ReturnType<typeof q.findDivision>> & object;

function toDivision(row: DivisionRow) {
  return {
    code: row.code,
    level: row.level,
    parentCode: row.parent_code,
    name: row.name,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    inForce: row.valid_to === null,
    addressable: row.addressable,
  };
}

export async function getDivision(db: Db, rawCode: string) {
  const code = normalizeDivisionCode(rawCode);
  const row = await q.findDivision(db, code);
  if (!row) {
    throw new AppError('DIVISION_NOT_FOUND', `No administrative division has code ${code} (current or since 1980). Check the code or browse GET /api/v1/divisions.`, {
      details: { code },
    });
  }
  const [names, parent] = await Promise.all([q.listDivisionNames(db, code), row.parent_code ? q.findDivision(db, row.parent_code) : undefined]);
  return {
    ...toDivision(row),
    parent: parent ? { code: parent.code, name: parent.name, level: parent.level } : null,
    history: names.map((n) => ({ name: n.name, validFrom: n.valid_from, validTo: n.valid_to, source: n.source })),
  };
}

/** Children of `parent` (provinces without one) in force on `at`, or every one ever if `includeAbolished`. */
export async function listDivisions(
  db: Db,
  input: { parent?: string | undefined; at: string; includeAbolished?: boolean | undefined },
) {
  const parent = input.parent ? normalizeDivisionCode(input.parent) : null;
  if (parent !== null && !(await q.findDivision(db, parent))) {
    throw new AppError('DIVISION_NOT_FOUND', `No administrative division has code ${parent}; it cannot be used as parent.`, { details: { code: parent } });
  }
  const rows = await q.listDivisionChildren(db, parent, input.includeAbolished ? null : input.at);
  return rows.map(toDivision);
}

export async function listDivisionTownships(db: Db, rawCode: string) {
  const code = normalizeDivisionCode(rawCode);
  if (!(await q.findDivision(db, code))) {
    throw new AppError('DIVISION_NOT_FOUND', `No administrative division has code ${code}.`, { details: { code } });
  }
  return (await q.listTownships(db, code)).map((t) => ({ code: t.code, name: t.name }));
}

export async function listCodeTables(db: Db) {
  return (await q.listCodeTables(db)).map((t) => ({
    name: t.name,
    standard: t.standard,
    source: t.source,
    effectiveFrom: t.effective_from,
    verifiedAt: t.verified_at,
  }));
}

export async function getCodeTable(db: Db, name: string) {
  const table = await q.findCodeTable(db, name);
  if (!table) {
    const known = (await q.listCodeTables(db)).map((t) => t.name);
    throw new AppError('CODE_TABLE_NOT_FOUND', `No code table named "${name}". Known tables: ${known.join(', ')}.`, { details: { known } });
  }
  const entries = await q.listCodeEntries(db, name);
  return {
    name: table.name,
    standard: table.standard,
    source: table.source,
    effectiveFrom: table.effective_from,
    verifiedAt: table.verified_at,
    entries: entries.map((e) => ({ code: e.code, name: e.name, nameEn: e.name_en, abbr: e.abbr })),
  };
}
