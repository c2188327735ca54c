import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHukou } from '../../test/cli.ts';
import { useTestDatabase } from '../../test/db.ts';
import { TOWNSHIP } from '../../test/registry-fixtures.ts';

const tdb = useTestDatabase();

/** `hukou …` as an officer runs it (the local operator), against this file's database. */
const hukou = (args: string[]) => runHukou(args, { DATABASE_URL: tdb.url });

describe('hukou household / person / transfer commands', () => {
  it('creates a household, registers a birth, shows the booklet and the person, searches masked', async () => {
    const created = await hukou(['household', 'create', '--kind', 'collective', '--township', TOWNSHIP.beijingChaoyang, '--address', '职工宿舍', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const { household } = JSON.parse(created.stdout);

    const birth = await hukou([
      'household', 'birth', household.householdNumber,
      '--name', '吴小雨', '--sex', '2', '--birth-date', '2024-01-02', '--relationship', '99', '--expected-version', String(household.version),
      '--certificate', 'K110105321', '--mother-name', '吴芳',
    ]);
    expect(birth.code, birth.stderr).toBe(0);
    const idNumber = /ID number (\d{17}[0-9X])/.exec(birth.stdout)![1]!;
    expect(birth.stdout).toContain('late');

    const shown = await hukou(['household', 'show', household.householdNumber]);
    expect(shown.stdout).toContain('建外街道派出所');
    expect(shown.stdout).toContain(`吴小雨\t${idNumber}`);

    const person = JSON.parse((await hukou(['person', 'show', idNumber, '--json'])).stdout);
    expect(person.timeline[0]).toMatchObject({ kind: 'birth', actorId: expect.stringMatching(/^cli:/) });
    const text = (await hukou(['person', 'show', idNumber])).stdout;
    expect(text).toContain('born 2024-01-02, 女, 汉族'); // names of codes, not "sex 2, ethnicity 01"
    expect(text).not.toMatch(/sex 2|ethnicity 01/);
    expect(text).toContain('出生医学证明 K110105321  母 吴芳  父 —');

    const search = await hukou(['person', 'search', '--name', 'wuxiaoyu']);
    expect(search.stdout).toContain('吴*雨');
    expect(search.stdout).not.toContain(idNumber);
  });

  it('exits 1 with the error code on stderr for a conflict, and 1 for an unknown person', async () => {
    const created = JSON.parse((await hukou(['household', 'create', '--township', TOWNSHIP.beijingChaoyang, '--address', '冲突路', '--json'])).stdout);
    const stale = await hukou([
      'household', 'birth', created.household.householdNumber,
      '--name', '吴', '--sex', '1', '--birth-date', '2024-01-02', '--relationship', '02', '--expected-version', '7',
    ]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('VERSION_CONFLICT');
    const missing = await hukou(['person', 'show', '11010519491231002X']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('PERSON_NOT_FOUND');
  });

  it('transfer expire reports that nothing is overdue', async () => {
    const r = await hukou(['transfer', 'expire', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ expired: [] });
  });
});
