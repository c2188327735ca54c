import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * A statement whose text starts with this comment is run as a named prepared statement on each
 * connection (parsed and planned once there, then only bound and executed). For the hot reads —
 * the API-token lookup, a person by ID number, the access-log append — the parse and plan cost
 * more than the execution; naming them takes a third off a person read (docs/benchmarks.md).
 */
export const PREPARED = '/*prepared*/ ';

/** Distinct prepared statements kept per connection; past it, marked statements run unnamed. */
const MAX_PER_CONNECTION = 200;

const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `h_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (names.size < 10_000) names.set(text, name);
  }
  return name;
}

/**
 * Makes the pool's clients run PREPARED-marked statements as named ones. node-postgres prepares a
 * name on first use per connection and reuses it after; the name is a hash of the text, so one
 * name never stands for two texts.
 */
export function preparePooledStatements(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    const prepared = new Set<string>();
    (client as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
      if (typeof config === 'string' && config.startsWith(PREPARED)) {
        if (typeof values === 'function') [values, callback] = [undefined, values];
        const name = nameOf(config);
        if (prepared.has(name) || prepared.size < MAX_PER_CONNECTION) {
          prepared.add(name);
          return query({ name, text: config, values }, callback);
        }
      }
      return query(config, values, callback);
    };
  });
}
