import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The text of a key the server keeps: from the environment variable `env` when set; otherwise from
 * `<dataDir>/<file>`; otherwise, when `create`, a fresh one from `generate()` written there with mode
 * 0600 (exclusively: when two processes start together the second reads the first's file). Null
 * when there is none and `create` is false. The caller parses it; the text never reaches a log.
 */
export function readOrCreateKeyFile(opts: {
  dataDir: string;
  file: string;
  env: string;
  environment?: NodeJS.ProcessEnv | undefined;
  create: boolean;
  /** The new key's text, and a callback run once it is written (e.g. to write its public half). */
  generate: () => { text: string; written?: () => void };
}): string | null {
  const given = (opts.environment ?? process.env)[opts.env];
  if (given) return given;
  const path = join(opts.dataDir, opts.file);
  if (existsSync(path)) return readFileSync(path, 'utf8');
  if (!opts.create) return null;
  mkdirSync(opts.dataDir, { recursive: true });
  const fresh = opts.generate();
  try {
    writeFileSync(path, fresh.text, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') return readFileSync(path, 'utf8');
    throw e;
  }
  fresh.written?.();
  return fresh.text;
}
