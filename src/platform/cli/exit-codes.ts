import { CommanderError } from 'commander';
import { AppError, type ErrorCatalogue } from '../errors.ts';

/**
 * Exit codes of every `hukou` command (also printed by `hukou --help` and in docs/cli.md):
 * 0 ok · 1 the answer is "no" / the input is invalid · 2 usage error · 3 failure (database,
 * unexpected) · 4 not authorised · 5 migration problem.
 */
export const EXIT = { OK: 0, NO: 1, USAGE: 2, FAILURE: 3, UNAUTHORISED: 4, MIGRATION: 5 } as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  the answer is "no" (e.g. an invalid ID number) or the record was not found
  2  usage error (unknown option, missing argument)
  3  failure (database unreachable, unexpected error)
  4  not authorised
  5  migrations refused or failed`;

/** Maps anything thrown by a command to its exit code, and prints what to do next on stderr. */
export function exitCodeFor(e: unknown, catalogue: ErrorCatalogue): number {
  if (e instanceof CommanderError) {
    return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  if (e instanceof AppError) {
    process.stderr.write(`error ${e.code}: ${e.userMessage}\n`);
    return catalogue[e.code].exit;
  }
  process.stderr.write(`error: ${(e as Error)?.message ?? String(e)}\n`);
  if ((e as Error)?.cause) process.stderr.write(`  cause: ${String((e as Error).cause)}\n`);
  return EXIT.FAILURE;
}
