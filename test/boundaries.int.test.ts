import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../src/platform/paths.ts';

/**
 * The module boundaries of ARCHITECTURE.md are enforced by dependency-cruiser (`npm run lint`,
 * `.ci/run`). Each fixture under test/fixtures/boundaries/<case>/src is a tiny tree with one
 * violation; the project's own configuration must refuse it, and accept the clean one.
 */
function cruise(fixture: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [repoPath('node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'), '--config', repoPath('.dependency-cruiser.cjs'), 'src', '--output-type', 'err'],
      { cwd: repoPath('test', 'fixtures', 'boundaries', fixture), timeout: 50_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? -1) : 0, output: stdout + stderr }),
    );
  });
}

describe.concurrent('module boundaries', () => {
  it('accept a tree that keeps them', { timeout: 60_000 }, async () => {
    const { code, output } = await cruise('ok');
    expect(output).toContain('no dependency violations');
    expect(code).toBe(0);
  });

  it.each([
    ['platform-imports-domain', 'platform-imports-no-domain'],
    ['internal-import', 'modules-through-index'],
    ['cycle', 'no-cycles'],
    ['type-only-cycle', 'no-cycles'],
    ['fastify-in-service', 'domain-code-imports-no-fastify'],
  ])('refuse %s (%s)', { timeout: 60_000 }, async (fixture, rule) => {
    const { code, output } = await cruise(fixture);
    expect(output).toContain(`error ${rule}`);
    expect(code).not.toBe(0);
  });
});
