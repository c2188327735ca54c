import type { RateLimit } from './rate-limit.ts';

/** Tunables of authentication, from the environment (documented in docs/access.md). */
export interface AccessSettings {
  /** Login attempts per client IP (`HUKOU_RATE_LOGIN_PER_MIN`, default 20/min, burst 10). */
  loginPerIp: RateLimit;
  /** Login attempts per username, known or not (fixed: 10/min, burst 5). */
  loginPerUsername: RateLimit;
  /** Personal-data reads per account (`HUKOU_RATE_PERSONAL_READS_PER_MIN`, default 600/min, burst 120). */
  personalReads: RateLimit;
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${value}"`);
  return n;
}

export function loadAccessSettings(env: NodeJS.ProcessEnv = process.env): AccessSettings {
  const login = positive(env.HUKOU_RATE_LOGIN_PER_MIN, 20, 'HUKOU_RATE_LOGIN_PER_MIN');
  const reads = positive(env.HUKOU_RATE_PERSONAL_READS_PER_MIN, 600, 'HUKOU_RATE_PERSONAL_READS_PER_MIN');
  return {
    loginPerIp: { perMinute: login, burst: Math.max(1, Math.ceil(login / 2)) },
    loginPerUsername: { perMinute: 10, burst: 5 },
    personalReads: { perMinute: reads, burst: Math.max(1, Math.ceil(reads / 5)) },
  };
}
