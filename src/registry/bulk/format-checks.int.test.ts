import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';

/**
 * Migration 0011 replaced the regex CHECKs on ID numbers, ethnicity and relationship codes by cheaper
 * expressions (bulk load speed, issue #3). They must accept exactly what the patterns accepted:
 * each candidate is inserted into a copy of the table's checks and compared with the pattern.
 */
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  await t?.close();
});

const ID_NUMBERS = [
  '11010519491231002X', '110105194912310021', '000000000000000000', '99999999999999999X',
  '11010519491231002x', '1101051949123100X1', 'X10105194912310021', '11010519491231002XX', '1101051949123100211',
  '11010519491231002', '11010519491231002 ', ' 11010519491231002X', '110105194912310021\n', '1101051949123100２1',
  '０10105194912310021', '11010519491231002Ｘ', '11010519-491231002', 'XXXXXXXXXXXXXXXXXX', '', 'X',
];
const ETHNICITIES = [
  '01', '09', '10', '49', '50', '56', '97', '98', '00', '57', '59', '60', '96', '99', '1', '001', '0a', 'a1', '１', '5', '56 ', '',
];
const RELATIONSHIPS = ['01', '99', '00', '1', '001', 'a1', '1a', '１', '1 ', ' 1', '', '0X', 'X0'];

/** Whether each value passes the CHECKs of `column` copied from `table` (LIKE … INCLUDING CONSTRAINTS). */
async function accepted(table: string, column: string, values: string[]): Promise<boolean[]> {
  const client = await t.pool.connect();
  try {
    await client.query('begin');
    await client.query(`create temp table probe (like ${table} including constraints) on commit drop`);
    const { rows: required } = await client.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_name = 'probe' and is_nullable = 'NO' and column_name <> $1`,
      [column],
    );
    for (const c of required) await client.query(`alter table probe alter column ${c.column_name} drop not null`);
    // the other columns' checks pass on nulls; only `column`'s check decides
    const out: boolean[] = [];
    for (const v of values) {
      await client.query('savepoint s');
      try {
        await client.query(`insert into probe (${column}) values ($1)`, [v]);
        out.push(true);
      } catch (e) {
        expect((e as { code?: string }).code).toBe('23514');
        out.push(false);
      }
      await client.query('rollback to savepoint s');
    }
    await client.query('rollback');
    return out;
  } finally {
    client.release();
  }
}

async function matches(pattern: string, values: string[]): Promise<boolean[]> {
  const { rows } = await t.pool.query<{ m: boolean }>(`select v ~ $1 as m from unnest($2::text[]) with ordinality u(v, i) order by i`, [pattern, values]);
  return rows.map((r) => r.m);
}

describe('format checks (migration 0011)', () => {
  it.each([
    ['person', 'id_number'],
    ['person_id_number', 'id_number'],
  ])('%s.%s accepts exactly the strings ^[0-9]{17}[0-9X]$ accepts', async (table, column) => {
    const expected = await matches('^[0-9]{17}[0-9X]$', ID_NUMBERS);
    expect(expected.filter(Boolean)).toHaveLength(4);
    expect(await accepted(table, column, ID_NUMBERS)).toEqual(expected);
  });

  it('person.ethnicity accepts exactly the GB/T 3304 codes the pattern accepts', async () => {
    const expected = await matches('^(0[1-9]|[1-4][0-9]|5[0-6]|97|98)$', ETHNICITIES);
    expect(expected.filter(Boolean)).toHaveLength(8);
    expect(await accepted('person', 'ethnicity', ETHNICITIES)).toEqual(expected);
  });

  it('membership.relationship accepts exactly the strings ^[0-9]{2}$ accepts', async () => {
    const expected = await matches('^[0-9]{2}$', RELATIONSHIPS);
    expect(expected.filter(Boolean)).toHaveLength(3);
    expect(await accepted('membership', 'relationship', RELATIONSHIPS)).toEqual(expected);
  });
});
