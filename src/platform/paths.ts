import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the repository root: two levels above this file, or what bin/hukou.js says when
 * it runs the CLI compiled into one file under node_modules/.cache.
 */
export const REPO_ROOT = (globalThis as { hukouRepoRoot?: string }).hukouRepoRoot ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}
