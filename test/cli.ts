import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoPath } from '../src/platform/paths.ts';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A child's budget: well inside the 30 s test timeout (vitest.config.ts), so a hung command fails
 * its test with the command's own output instead of a bare timeout. The compiled CLI starts in well
 * under a second (bench/cli.bench.ts); the first call after an edit compiles it (about a second).
 */
export const CLI_TIMEOUT_MS = 20_000;

/** Runs `bin/hukou.js` as a user would (`npx hukou …`) and returns its exit code and output. */
export async function runHukou(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [repoPath('bin', 'hukou.js'), ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      timeout: CLI_TIMEOUT_MS,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; killed?: boolean; stdout?: string; stderr?: string };
    if (err.killed) throw new Error(`hukou ${args.join(' ')} did not finish within ${CLI_TIMEOUT_MS} ms; output so far:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}
