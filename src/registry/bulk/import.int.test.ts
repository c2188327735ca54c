import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, withPlainRole, type TestDatabase } from '../../../test/db.ts';
import { composeIdNumber } from '../../idnumber/index.ts';
import { AppError } from '../../platform/errors.ts';
import { csvField } from './csv.ts';
import { exportRegister } from './export.service.ts';
import { IMPORT_FIELDS } from './import-format.ts';
import { importFile } from './import.service.ts';
import { seedPopulation } from './seed.service.ts';

const TODAY = '2026-01-01';
let dir: string;
const databases: TestDatabase[] = [];

async function fresh(): Promise<TestDatabase> {
  const t = await createTestDatabase();
  databases.push(t);
  return t;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hukou-import-test-'));
});
afterAll(async () => {
  await Promise.all(databases.map((d) => d.close()));
  rmSync(dir, { recursive: true, force: true });
});

type Row = Record<string, string | string[]>;

let seq = 0;
/** A valid adult born in Dongcheng, Beijing, registered in household `household` of 东华门街道. */
function person(household: string, relationship: string, extra: Row = {}): Row {
  seq++;
  const male = seq % 2 === 1;
  const birthDate = `19${60 + (seq % 30)}-0${1 + (seq % 9)}-1${seq % 9}`;
  return {
    id_number: composeIdNumber('110101', birthDate, 2 * seq + (male ? 1 : 2)),
    name: male ? '张伟' : '张丽',
    sex: male ? '1' : '2',
    birth_date: birthDate,
    ethnicity: '01',
    household_number: household,
    household_kind: 'family',
    household_township_code: '110101001',
    household_address: `东华门大街${household.slice(-3)}号`,
    relationship,
    since: '2010-05-01',
    ...extra,
  };
}

function ndjson(name: string, rows: Row[]): string {
  const file = join(dir, name);
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

function csv(name: string, rows: Row[], columns: readonly string[] = IMPORT_FIELDS): string {
  const file = join(dir, name);
  const line = (r: Row) => columns.map((c) => csvField(Array.isArray(r[c]) ? (r[c] as string[]).join(';') : (r[c] as string | undefined))).join(',');
  writeFileSync(file, [columns.join(','), ...rows.map(line)].join('\r\n') + '\r\n');
  return file;
}

function reportOf(file: string): { row: number; field: string; code: string }[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { row: number; field: string; code: string })
    .map(({ row, field, code }) => ({ row, field, code }));
}

async function count(t: TestDatabase, table: 'person' | 'household' | 'membership'): Promise<number> {
  const r = await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('importFile: validation and the report', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await fresh();
  });

  it('reports every bad row with (row, field, code) and commits the good ones', async () => {
    const head = person('110101001900001', '02');
    const spouse = person('110101001900001', '12');
    const otherHead = person('110101001900002', '02');
    const good = [head, spouse, otherHead];
    const wrongCheck = person('110101001900003', '02');
    const number = wrongCheck.id_number as string;
    wrongCheck.id_number = number.slice(0, 17) + (number[17] === '0' ? '1' : '0');
    const rows: Row[] = [
      head, // 1
      spouse, // 2
      wrongCheck, // 3 ID_CHECKSUM
      { ...person('110101001900004', '02'), sex: '2', birth_date: '1999-12-31' }, // 4 sex and birth date disagree with the number
      { ...person('110101001900005', '02'), ethnicity: '99' }, // 5 UNKNOWN_ETHNICITY
      { ...person('110101001900006', '02'), household_township_code: '999999999' }, // 6 UNKNOWN_TOWNSHIP
      { ...person('110101001900001', '02') }, // 7 HEAD_TAKEN (the household already has row 1 as head)
      { ...person('110101001999999', '20'), household_kind: undefined as never, household_address: undefined as never, household_township_code: undefined as never }, // 8 HOUSEHOLD_NOT_FOUND
      { ...head, name: '张某' }, // 9 DUPLICATE_IN_FILE (same number as row 1)
      { ...person('110101001900007', 'XX') }, // 10 UNKNOWN_RELATIONSHIP
      otherHead, // 11
      { ...person('110101001900008', '02'), residence_authority_id: 'station-110101001', residence_address: '某路1号', residence_since: '2020-01-01' }, // 12 residence in the hukou city
      { ...person('110101001900009', '02'), status: 'deceased' }, // 13 death_date missing
    ];
    for (const r of rows) for (const k of Object.keys(r)) if (r[k] === undefined) delete r[k];
    const file = ndjson('bad-rows.ndjson', rows);
    const report = join(dir, 'bad-rows.report.ndjson');
    const summary = await importFile(t, { file, reportFile: report, today: TODAY, batchSize: 4 });
    expect(summary).toMatchObject({ rows: 13, imported: 3, rejected: 10, unchanged: 0 });
    const issues = reportOf(report);
    const codesByRow = new Map<number, string[]>();
    for (const i of issues) codesByRow.set(i.row, [...(codesByRow.get(i.row) ?? []), `${i.field}:${i.code}`]);
    expect(Object.fromEntries(codesByRow)).toEqual({
      3: ['id_number:ID_CHECKSUM'],
      4: ['birth_date:BIRTH_DATE_MISMATCH', 'sex:SEX_MISMATCH'],
      5: ['ethnicity:UNKNOWN_ETHNICITY'],
      6: ['household_township_code:UNKNOWN_TOWNSHIP'],
      7: ['relationship:HEAD_TAKEN'],
      8: ['household_number:HOUSEHOLD_NOT_FOUND'],
      9: ['id_number:DUPLICATE_IN_FILE'],
      10: ['relationship:UNKNOWN_RELATIONSHIP'],
      12: ['residence_authority_id:RESIDENCE_IN_HUKOU_CITY'],
      13: ['death_date:FIELD_REQUIRED'],
    });
    const stored = await t.db.selectFrom('person').select('id_number').orderBy('id_number').execute();
    expect(stored.map((p) => p.id_number)).toEqual(good.map((r) => r.id_number as string).sort());
    const household = await t.db.selectFrom('household').select(['household_number', 'head_person_id', 'authority_id', 'county_code']).where('household_number', '=', '110101001900001').executeTakeFirstOrThrow();
    expect(household).toMatchObject({ authority_id: 'station-110101001', county_code: '110101' });
    const headRow = await t.db.selectFrom('person').select('id').where('id_number', '=', head.id_number as string).executeTakeFirstOrThrow();
    expect(household.head_person_id).toBe(headRow.id);
  });

  it('rejects a second hukou: a person registered in another household', async () => {
    const [registered] = await t.db.selectFrom('person').select(['id_number', 'name', 'sex', 'birth_date', 'ethnicity']).limit(1).execute();
    const file = ndjson('second-hukou.ndjson', [{ ...person('110101001900050', '02'), id_number: registered!.id_number, sex: registered!.sex, birth_date: registered!.birth_date }]);
    const report = join(dir, 'second-hukou.report.ndjson');
    const summary = await importFile(t, { file, reportFile: report, today: TODAY });
    expect(summary).toMatchObject({ imported: 0, rejected: 1 });
    expect(reportOf(report)).toEqual([{ row: 1, field: 'id_number', code: 'SECOND_HUKOU' }]);
  });

  it('refuses a CSV without the required columns before reading any row', async () => {
    const file = csv('no-name.csv', [person('110101001900060', '02')], IMPORT_FIELDS.filter((c) => c !== 'name'));
    await expect(importFile(t, { file, today: TODAY })).rejects.toMatchObject({ code: 'IMPORT_HEADER_INVALID' });
    await expect(importFile(t, { file: join(dir, 'missing.csv'), today: TODAY })).rejects.toBeInstanceOf(AppError);
    await expect(importFile(t, { file: join(dir, 'rows.txt'), today: TODAY })).rejects.toMatchObject({ code: 'IMPORT_FORMAT_UNKNOWN' });
  });

  it('reads quoted CSV fields holding commas, quotes and line breaks as one field', async () => {
    const multiLine = person('110101001900070', '02', { household_address: '东华门大街1号\n二层' });
    const quoted = person('110101001900071', '02', { household_address: '东华门大街"一号",二层', former_names: ['张三', '张老三'] });
    const file = csv('quoted.csv', [multiLine, quoted]);
    const report = join(dir, 'quoted.report.ndjson');
    const summary = await importFile(t, { file, reportFile: report, today: TODAY });
    expect(summary).toMatchObject({ rows: 2, imported: 1, rejected: 1 });
    // the line break stayed inside row 1's field (an address holds none), and row 2 is whole
    expect(reportOf(report)).toEqual([{ row: 1, field: 'household_address', code: 'FIELD_INVALID' }]);
    const h = await t.db.selectFrom('household').select('address').where('household_number', '=', '110101001900071').executeTakeFirstOrThrow();
    expect(h.address).toBe('东华门大街"一号",二层');
    const p = await t.db.selectFrom('person').select('former_names').where('id_number', '=', quoted.id_number as string).executeTakeFirstOrThrow();
    expect(p.former_names).toEqual(['张三', '张老三']);
  });

  it('tells another process importing the same file to wait', async () => {
    const file = ndjson('locked.ndjson', [person('110101001900080', '02')]);
    const first = await importFile(t, { file, today: TODAY, maxBatches: 0 }).catch((e: unknown) => e);
    expect(first).toMatchObject({ stopped: true });
    const holder = new pg.Client({ connectionString: t.url });
    await holder.connect();
    try {
      await holder.query(`select pg_advisory_lock(hashtext('hukou.import-job'), $1)`, [(first as { jobId: number }).jobId]);
      await expect(importFile(t, { file, today: TODAY })).rejects.toMatchObject({ code: 'IMPORT_IN_PROGRESS' });
    } finally {
      await holder.end();
    }
    expect(await importFile(t, { file, today: TODAY })).toMatchObject({ imported: 1 });
  });
});

describe('importFile: rows the database refuses', () => {
  it('retries the batch row by row and rejects only the refused rows, with the database\'s reason', async () => {
    const t = await fresh();
    // a rule the row checks do not know about
    await sql`alter table person add constraint test_no_surname_zhao check (name not like '赵%')`.execute(t.db);
    const rows = [person('110101001900100', '02'), { ...person('110101001900100', '12'), name: '赵敏' }, person('110101001900101', '02')];
    const report = join(dir, 'refused.report.ndjson');
    const summary = await importFile(t, { file: ndjson('refused.ndjson', rows), reportFile: report, today: TODAY });
    expect(summary).toMatchObject({ imported: 2, rejected: 1 });
    expect(reportOf(report)).toEqual([{ row: 2, field: '*', code: 'ROW_REJECTED' }]);
    expect(readFileSync(report, 'utf8')).toContain('test_no_surname_zhao');
    expect(await count(t, 'person')).toBe(2);
    const job = await t.db.selectFrom('import_job').select(['status', 'imported_rows', 'rejected_rows', 'committed_rows']).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'completed', imported_rows: 2, rejected_rows: 1, committed_rows: 3 });
  });
});

describe('importFile without the privilege to switch triggers off', () => {
  it('imports with triggers on: the same rows, the same report', async () => {
    const t = await fresh();
    await withPlainRole(t.url, async (plain) => {
      const rows = [person('110101001900200', '02'), person('110101001900200', '12'), { ...person('110101001900200', '02') }];
      const report = join(dir, 'plain.report.ndjson');
      const summary = await importFile(plain, { file: ndjson('plain.ndjson', rows), reportFile: report, today: TODAY });
      expect(summary).toMatchObject({ imported: 2, rejected: 1 });
      expect(reportOf(report)).toEqual([{ row: 3, field: 'relationship', code: 'HEAD_TAKEN' }]);
    });
    expect(await count(t, 'membership')).toBe(2);
  });
});

describe('importFile: idempotence and resuming', () => {
  let source: TestDatabase;
  let file: string;
  beforeAll(async () => {
    source = await fresh();
    await seedPopulation(source, { people: 1500, seed: 21, asOf: TODAY });
    file = join(dir, 'population.ndjson');
    await exportRegister(source, { format: 'ndjson', out: file });
  }, 60_000);

  it('adds nothing when the same file is imported again, or the same rows come in another file', async () => {
    const t = await fresh();
    const first = await importFile(t, { file, today: TODAY });
    expect(first).toMatchObject({ rows: 1500, imported: 1500, rejected: 0, alreadyCompleted: false });
    const again = await importFile(t, { file, today: TODAY });
    expect(again).toMatchObject({ alreadyCompleted: true, rows: 0, imported: 0 });
    const copy = join(dir, 'population-copy.ndjson');
    writeFileSync(copy, `\n${readFileSync(file, 'utf8')}`);
    const other = await importFile(t, { file: copy, today: TODAY });
    expect(other).toMatchObject({ alreadyCompleted: false, imported: 0, unchanged: 1500, rejected: 0 });
    expect(await count(t, 'person')).toBe(1500);
    expect(await count(t, 'membership')).toBe(1500);
  }, 60_000);

  it('resumes an interrupted import after the last committed batch', async () => {
    const t = await fresh();
    const partial = await importFile(t, { file, today: TODAY, batchSize: 400, maxBatches: 2 });
    expect(partial).toMatchObject({ stopped: true, imported: 800 });
    expect(await count(t, 'person')).toBe(800);
    const job = await t.db.selectFrom('import_job').select(['status', 'committed_rows', 'committed_offset']).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'running', committed_rows: 800 });
    const rest = await importFile(t, { file, today: TODAY, batchSize: 400 });
    expect(rest).toMatchObject({ resumed: true, resumedAfterRow: 800, rows: 700, imported: 700, unchanged: 0, rejected: 0 });
    expect(await count(t, 'person')).toBe(1500);
    const done = await t.db.selectFrom('import_job').select(['status', 'imported_rows', 'batches']).executeTakeFirstOrThrow();
    expect(done).toMatchObject({ status: 'completed', imported_rows: 1500 });
  }, 60_000);

  it('round-trips: export → import into an empty register gives the same register', async () => {
    const snapshot = async (d: TestDatabase) => {
      const { rows } = await sql<Record<string, unknown>>`
        select p.id_number, p.name, p.name_pinyin, p.former_names, p.sex, p.birth_date, p.ethnicity, p.birthplace_code, p.native_place_code,
               p.marital_status, p.status, h.household_number, h.kind, h.county_code, h.township_code, h.address, h.authority_id,
               (select hp.id_number from person hp where hp.id = h.head_person_id) as head, m.relationship, m.since, m.until,
               r.city_code, r.authority_id as residence_authority, r.address as residence_address, r.registered_on
          from person p
          join membership m on m.person_id = p.id
          join household h on h.id = m.household_id
          left join residence_registration r on r.person_id = p.id and r.ended_on is null
         order by p.id_number`.execute(d.db);
      return rows;
    };
    const expected = await snapshot(source);
    for (const format of ['ndjson', 'csv'] as const) {
      const out = join(dir, `roundtrip.${format}`);
      expect(await exportRegister(source, { format, out })).toMatchObject({ rows: 1500 });
      const t = await fresh();
      expect(await importFile(t, { file: out, today: TODAY })).toMatchObject({ imported: 1500, rejected: 0 });
      expect(await snapshot(t)).toEqual(expected);
    }
  }, 90_000);
});
