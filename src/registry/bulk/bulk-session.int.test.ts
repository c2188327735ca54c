import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { BulkSession, type NewRows } from './bulk-session.ts';

/**
 * BulkSession.verify with triggers off: the set-wise re-check of foreign keys that bulk loads rely
 * on instead of the row-by-row triggers. Rows are written as a load would (ids from a reserved
 * range, triggers off) and each kind of reference is broken once.
 */
let t: TestDatabase;
let county: { division_code: string; id: string };

beforeAll(async () => {
  t = await createTestDatabase();
  const { rows } = await t.pool.query<{ division_code: string; id: string }>(
    `select division_code, id from authority where kind = 'county_bureau' order by id limit 1`,
  );
  county = rows[0]!;
});

afterAll(async () => {
  await t?.close();
});

const TABLES = ['person', 'person_id_number', 'household', 'membership'] as const;
const IDS = { lo: 900_001, hi: 900_002 };

/** Writes two persons, their numbers, one household and two memberships with `broken` applied; returns verify's problems for both lookup modes. */
async function load(broken: { birthplace?: string; county?: string; authority?: string; memberPerson?: number }): Promise<{ byValue: string[]; hashed: string[] }> {
  const out: Record<string, string[]> = {};
  for (const hashReferences of [false, true]) {
    const client = await t.pool.connect();
    try {
      await client.query('begin');
      const session = await BulkSession.open(client, TABLES, { detectEmpty: false });
      expect(session.replica).toBe(true);
      await client.query(
        `insert into person (id, id_number, name, sex, birth_date, ethnicity, birthplace_code)
         overriding system value values
           (900001, '110101199001010011', '甲', '1', '1990-01-01', '01', $1),
           (900002, '110101199001010020', '乙', '2', '1990-01-01', '01', '110101')`,
        [broken.birthplace ?? '110101'],
      );
      await client.query(`insert into person_id_number (id_number, person_id, valid_from, reason)
                          values ('110101199001010011', 900001, '1990-01-01', 'test'), ('110101199001010020', 900002, '1990-01-01', 'test')`);
      await client.query(
        `insert into household (id, household_number, kind, county_code, address, authority_id, head_person_id)
         overriding system value values (900001, 'T-900001', 'family', $1, '测试路1号', $2, 900001)`,
        [broken.county ?? county.division_code, broken.authority ?? county.id],
      );
      await client.query(
        `insert into membership (id, person_id, household_id, relationship, since)
         overriding system value values (900001, 900001, 900001, '02', '2020-01-01'), (900002, $1, 900001, '10', '2020-01-01')`,
        [broken.memberPerson ?? 900002],
      );
      const range = (column: string): NewRows => ({ where: `${column} between ${IDS.lo} and ${IDS.hi}`, idRange: IDS });
      out[String(hashReferences)] = await session.verify(
        {
          person: range('c.id'),
          person_id_number: { where: `c.person_id between ${IDS.lo} and ${IDS.hi}` },
          household: { where: 'c.id = 900001', idRange: { lo: 900_001, hi: 900_001 } },
          membership: range('c.id'),
        },
        null,
        { hashReferences },
      );
    } finally {
      await client.query('rollback');
      client.release();
    }
  }
  return { byValue: out.false!, hashed: out.true! };
}

describe('BulkSession.verify', () => {
  it('finds nothing wrong with rows whose references all exist', async () => {
    expect(await load({})).toEqual({ byValue: [], hashed: [] });
  });

  it.each([
    ['a person born in an unknown division', { birthplace: '999999' }, 'person_birthplace_code_fkey'],
    ['a household in an unknown county', { county: '999999' }, 'household_county_code_fkey'],
    ['a household registered by an unknown authority', { authority: 'station-nowhere' }, 'household_authority_id_fkey'],
    ['a membership of a person who does not exist', { memberPerson: 123_456_789 }, 'membership_person_id_fkey'],
  ])('reports %s, whether references are hashed or looked up by value', async (_label, broken, constraint) => {
    const { byValue, hashed } = await load(broken);
    expect(byValue).toHaveLength(1);
    expect(byValue[0]).toContain(constraint);
    expect(hashed).toHaveLength(1);
    expect(hashed[0]).toContain(constraint);
  });
});
