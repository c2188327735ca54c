/**
 * Credentials resolved recently, kept in process so that an authenticated request costs no
 * database round trip on the steady path (issue #13). Each entry is the token's or session's row
 * as last read; every request re-runs the checks on it against the current time (expiry, idle
 * timeout, lock), so only changes made in the database since are late, and by a stated bound:
 *
 * - any change made through this process (revocation, logout, lock, password change or reset, a
 *   role or link change) clears the cache at once (the queries that write them call
 *   `credentialsChanged`);
 * - a change committed by another process (a second server, the CLI, SQL) reaches every server
 *   listening on CREDENTIALS_CHANNEL within milliseconds: triggers on account, api_token and
 *   auth_session notify it on commit (db/migrations/0035_credential_notify.sql);
 * - and whatever happens to that notification (listener down, reconnecting), no entry is used
 *   longer than CREDENTIAL_CACHE_MS after it was read: the bound on revocation.
 *
 * A read that started before a change is never stored after it (generation counter), so a
 * concurrent request cannot put the old row back.
 */

/** The longest a credential row read from the database is trusted without reading it again. */
export const CREDENTIAL_CACHE_MS = 2000;

/** PostgreSQL notification channel that credential changes are announced on. */
export const CREDENTIALS_CHANNEL = 'hukou_credentials';

const MAX_ENTRIES = 10_000;

interface Entry {
  row: unknown;
  readAt: number;
}

let generation = 0;
const entries = new Map<string, Entry>();

/** Monotonic milliseconds: the bound is about real time, whatever clock the services are given. */
const monotonicMs = () => performance.now();

/** The row cached under `key` if read less than CREDENTIAL_CACHE_MS ago. */
export function cachedCredential<T>(key: string): T | undefined {
  const e = entries.get(key);
  if (!e) return undefined;
  if (monotonicMs() - e.readAt >= CREDENTIAL_CACHE_MS) {
    entries.delete(key);
    return undefined;
  }
  return e.row as T;
}

/**
 * Reads a credential row through `read` and caches it unless a change happened meanwhile. Rows
 * that do not exist are not cached (an unknown token costs its lookup every time, as before).
 */
export async function readCredential<T>(key: string, read: () => Promise<T | undefined>): Promise<T | undefined> {
  const hit = cachedCredential<T>(key);
  if (hit !== undefined) return hit;
  const startedIn = generation;
  const readAt = monotonicMs();
  const row = await read();
  if (row !== undefined && startedIn === generation) {
    entries.set(key, { row, readAt });
    if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  }
  return row;
}

/** Updates a cached row in place (a touch of last-seen time this process just wrote). */
export function updateCachedCredential<T>(key: string, update: (row: T) => T): void {
  const e = entries.get(key);
  if (e) e.row = update(e.row as T);
}

/** Forgets every cached credential: something about accounts, tokens or sessions changed. */
export function credentialsChanged(): void {
  generation++;
  entries.clear();
}
