import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoPath } from '../src/platform/paths.ts';
import { CLI_TIMEOUT_MS, runHukou } from './cli.ts';
import { createEmptyDatabase, useTestDatabase } from './db.ts';


const tdb = useTestDatabase();

describe('hukou CLI', () => {
  it('seed and import on a database that was never migrated say to run `hukou db migrate` first', async () => {
    const empty = await createEmptyDatabase();
    try {
      for (const args of [['seed', '--people', '10'], ['import', repoPath('package.json')]]) {
        const r = await runHukou(args, { DATABASE_URL: empty.url });
        expect(r.stderr).toContain('Run `hukou db migrate` first');
        expect(r.code).toBe(3);
      }
    } finally {
      await empty.close();
    }
  });

  it('id check --json: exit 0 and the documented JSON for a valid number', async () => {
    const r = await runHukou(['id', 'check', '11010519491231002x', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      valid: true,
      normalized: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
      addressCode: '110105',
      birthPlace: { province: '北京市', prefecture: null, county: '朝阳区' },
      errors: [],
      warnings: [],
    });
  });

  it('id check: exit 1 and every error for an invalid number', async () => {
    const r = await runHukou(['id', 'check', '999999190002290000', '--json']);
    expect(r.code).toBe(1);
    const codes = (JSON.parse(r.stdout).errors as { code: string }[]).map((e) => e.code);
    expect(codes).toEqual(expect.arrayContaining(['ID_BIRTH_DATE', 'ID_ADDRESS_CODE']));
    const text = await runHukou(['id', 'check', '11010519491231002A']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('INVALID');
  });

  it('id upgrade: 15 → 18 digits, and refuses centenarian sequence codes', async () => {
    const ok = await runHukou(['id', 'upgrade', '110105491231002']);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe('11010519491231002X');
    const review = await runHukou(['id', 'upgrade', '110105010101996', '--json']);
    expect(review.code).toBe(1);
    expect(JSON.parse(review.stdout).error.code).toBe('ID_UPGRADE_REVIEW');
  });

  it('runs when reached through a symlink, as `npx hukou` reaches it (node_modules/.bin/hukou)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hukou-bin-'));
    try {
      const link = join(dir, 'hukou');
      symlinkSync(repoPath('bin', 'hukou.js'), link);
      const { stdout } = await promisify(execFile)(process.execPath, [link, 'id', 'upgrade', '110105491231002'], { timeout: CLI_TIMEOUT_MS });
      expect(stdout.trim()).toBe('11010519491231002X');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('usage errors exit 2; --help exits 0 and documents the exit codes', async () => {
    expect((await runHukou(['id', 'check'])).code).toBe(2);
    expect((await runHukou(['frobnicate'])).code).toBe(2);
    const help = await runHukou(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
  });

  it('every command group and command documents the exit codes in its help (hukou idcard --help too)', async () => {
    for (const args of [['idcard'], ['person'], ['residence'], ['idcard', 'apply'], ['db']]) {
      const help = await runHukou([...args, '--help']);
      expect(help.code, args.join(' ')).toBe(0);
      expect(help.stdout, args.join(' ')).toContain('Exit codes:');
    }
  });

  it('runs the compiled CLI from node_modules/.cache/hukou, named by a hash of the sources', async () => {
    await runHukou(['--version']);
    const cache = repoPath('node_modules', '.cache', 'hukou');
    const builds = readdirSync(cache).filter((d) => /^cli-[0-9a-f]{16}$/.test(d));
    expect(builds).toHaveLength(1);
    expect(readdirSync(join(cache, builds[0]!))).toContain('cli.js');
  });

  it('db status --json lists the applied migrations of the database in DATABASE_URL', async () => {
    const r = await runHukou(['db', 'status', '--json'], { DATABASE_URL: tdb.url });
    expect(r.code).toBe(0);
    const states = JSON.parse(r.stdout) as { name: string; checksum: string }[];
    expect(states.length).toBeGreaterThanOrEqual(2);
    expect(states.every((s) => s.checksum === 'ok')).toBe(true);
  });
});
