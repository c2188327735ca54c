import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import { repoPath } from '../platform/paths.ts';
import { syncAuthorities } from './authorities.ts';
import { syncRemoteAreas } from './remote-areas.ts';
import { chinaDate } from '../platform/clock.ts';

const DIVISIONS_DIR = repoPath('data', 'divisions');
const CODES_DIR = repoPath('data', 'codes');

interface Dataset {
  name: string;
  files: string[];
  load(db: Db, texts: string[]): Promise<number>;
}

function tsvRows(text: string): string[][] {
  const lines = text.split('\n').filter((l) => l.length > 0 && !l.startsWith('#'));
  return lines.slice(1).map((l) => l.split('\t'));
}

/** divisions.tsv: code, level, parent_code, name, valid_from, valid_to, source — one row per named period. */
async function loadDivisions(db: Db, [divisionsTsv, townshipsTsv]: string[]): Promise<number> {
  const byCode = new Map<string, { level: string; parent: string | null; periods: { name: string; from: string; to: string | null; source: string }[] }>();
  for (const [code, level, parent, name, from, to, source] of tsvRows(divisionsTsv!)) {
    const entry = byCode.get(code!) ?? { level: level!, parent: parent || null, periods: [] };
    entry.periods.push({ name: name!, from: from!, to: to || null, source: source! });
    byCode.set(code!, entry);
  }
  const countyParents = new Set<string>();
  for (const [code, e] of byCode) if (e.level === 'county' && e.parent) countyParents.add(e.parent);

  const rows = [...byCode].map(([code, e]) => {
    const periods = e.periods.sort((a, b) => a.from.localeCompare(b.from));
    const open = periods.some((p) => p.to === null);
    return {
      code,
      level: e.level,
      parent: e.parent,
      name: periods[periods.length - 1]!.name,
      from: periods[0]!.from,
      to: open ? null : periods.map((p) => p.to!).sort().at(-1)!,
      // GB 11643-1999 §6.2: the address code names a county-level unit; prefecture-level cities
      // without counties (东莞 441900, 中山 442000…) use their own code.
      addressable: e.level === 'county' || (e.level === 'prefecture' && !countyParents.has(code)),
    };
  });
  const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
  await sql`
    insert into division (code, level, parent_code, name, valid_from, valid_to, addressable)
    select * from unnest(${col('code')}::text[], ${col('level')}::text[], ${col('parent')}::text[], ${col('name')}::text[],
                         ${col('from')}::date[], ${col('to')}::date[], ${col('addressable')}::boolean[])
    on conflict (code) do update set level = excluded.level, parent_code = excluded.parent_code, name = excluded.name,
      valid_from = excluded.valid_from, valid_to = excluded.valid_to, addressable = excluded.addressable`.execute(db);

  const names = [...byCode].flatMap(([code, e]) => e.periods.map((p) => ({ code, ...p })));
  await db.deleteFrom('division_name').execute();
  await sql`
    insert into division_name (code, name, valid_from, valid_to, source)
    select * from unnest(${names.map((n) => n.code)}::text[], ${names.map((n) => n.name)}::text[], ${names.map((n) => n.from)}::date[],
                         ${names.map((n) => n.to)}::date[], ${names.map((n) => n.source)}::text[])`.execute(db);

  const towns = tsvRows(townshipsTsv!);
  await sql`
    insert into township (code, county_code, name)
    select * from unnest(${towns.map((t) => t[0]!)}::text[], ${towns.map((t) => t[1]!)}::text[], ${towns.map((t) => t[2]!)}::text[])
    on conflict (code) do update set county_code = excluded.county_code, name = excluded.name`.execute(db);
  const authorities = await syncAuthorities(db);
  return rows.length + names.length + towns.length + authorities;
}

interface CodeFile {
  table: string;
  standard: string;
  source: string;
  effectiveFrom: string;
  verifiedAt: string;
  entries: { code: string; name: string; nameEn?: string; abbr?: string }[];
}

async function loadCodeTables(db: Db, texts: string[]): Promise<number> {
  let count = 0;
  for (const text of texts) {
    const f = JSON.parse(text) as CodeFile;
    await db
      .insertInto('code_table')
      .values({ name: f.table, standard: f.standard, source: f.source, effective_from: f.effectiveFrom, verified_at: f.verifiedAt })
      .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({
        standard: eb.ref('excluded.standard'),
        source: eb.ref('excluded.source'),
        effective_from: eb.ref('excluded.effective_from'),
        verified_at: eb.ref('excluded.verified_at'),
      })))
      .execute();
    await db.deleteFrom('code_entry').where('table_name', '=', f.table).execute();
    await db
      .insertInto('code_entry')
      .values(f.entries.map((e) => ({ table_name: f.table, code: e.code, name: e.name, name_en: e.nameEn ?? null, abbr: e.abbr ?? null })))
      .execute();
    count += f.entries.length;
  }
  return count;
}

function datasets(): Dataset[] {
  const codeFiles = readdirSync(CODES_DIR).filter((f) => f.endsWith('.json')).sort().map((f) => join(CODES_DIR, f));
  return [
    { name: 'divisions', files: [join(DIVISIONS_DIR, 'divisions.tsv'), join(DIVISIONS_DIR, 'townships-2023.tsv')], load: loadDivisions },
    { name: 'code-tables', files: codeFiles, load: loadCodeTables },
    // after divisions, and again whenever they change: it marks the authorities they generate
    {
      name: 'remote-areas',
      files: [join(DIVISIONS_DIR, 'divisions.tsv'), join(DIVISIONS_DIR, 'townships-2023.tsv'), repoPath('data', 'law', 'remote-areas.json')],
      load: (db) => syncRemoteAreas(db, chinaDate(new Date())),
    },
  ];
}

/**
 * Loads each reference dataset whose files changed since it was last loaded (by SHA-256), each in
 * one transaction. Returns the names of the datasets (re)loaded.
 */
export async function loadReferenceData(db: Db): Promise<string[]> {
  const loaded: string[] = [];
  for (const ds of datasets()) {
    const texts = ds.files.map((f) => readFileSync(f, 'utf8'));
    const sha256 = createHash('sha256').update(texts.join('\u0000')).digest('hex');
    const changed = await db.transaction().execute(async (trx) => {
      // one loader at a time (two servers starting together): the second sees the first's result
      await sql`select pg_advisory_xact_lock(hashtext('hukou.reference-data'))`.execute(trx);
      const current = await trx.selectFrom('reference_dataset').select('sha256').where('name', '=', ds.name).executeTakeFirst();
      if (current?.sha256 === sha256) return false;
      const rowCount = await ds.load(trx, texts);
      await trx
        .insertInto('reference_dataset')
        .values({ name: ds.name, sha256, row_count: rowCount })
        .onConflict((oc) => oc.column('name').doUpdateSet({ sha256, row_count: rowCount, loaded_at: new Date() }))
        .execute();
      return true;
    });
    if (!changed) continue;
    loaded.push(ds.name);
  }
  return loaded;
}
