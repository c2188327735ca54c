import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../src/platform/paths.ts';

/**
 * A red test must stop a landing: `npm test` and `.ci/run` take their status from vitest's exit code.
 * Each fixture runs in a child vitest, as `npx vitest run <file>` would, with a global setup that loads
 * the embedded database module (whose exit hook once turned every failure into exit 0).
 */
function runFixture(file: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [repoPath('node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', repoPath('test', 'fixtures', 'exit-codes', 'vitest.config.ts'), file],
      { cwd: repoPath(), timeout: 50_000, env: { ...process.env, CI: 'true', FORCE_COLOR: '0' } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, output: stdout + stderr }),
    );
  });
}

describe('vitest exit codes', () => {
  it.each([
    ['failing.fixture.ts', 'a failing test'],
    ['failing-hook.fixture.ts', 'a failing hook'],
    ['uncollectable.fixture.ts', 'a file that cannot be collected'],
  ])('%s: %s makes the run exit non-zero', { timeout: 60_000 }, async (file) => {
    const { code, output } = await runFixture(file);
    expect(output).toMatch(/fail/i);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
  });

  it('a passing fixture exits 0 (so the assertions above can tell the difference)', { timeout: 60_000 }, async () => {
    const { code, output } = await runFixture('passing.fixture.ts');
    expect(output).toMatch(/1 passed/);
    expect(code).toBe(0);
  });
});
