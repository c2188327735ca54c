/**
 * The raw baseline of `bench/http.bench.ts`, in its own process like the HTTP load generator:
 * `connections` node-postgres clients, each looping a point lookup of a person by ID number (a named
 * prepared statement, the fastest the driver goes) for a bounded time, over the same transport the
 * server uses. Prints one JSON line in the shape of load.ts's.
 * `node bin/run-ts.js bench/http/raw-load.ts <plan.json>`
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { LoadResult } from './load.ts';

export interface RawPlan {
  connection: pg.ClientConfig;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  idNumbers: string[];
}

const LOOKUP = {
  name: 'bench_raw_person_lookup',
  text: 'select id, id_number, name, sex, birth_date, ethnicity, status, version from person where id_number = $1',
};

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as RawPlan;
const clients = await Promise.all(
  Array.from({ length: plan.connections }, async () => {
    const c = new pg.Client(plan.connection);
    await c.connect();
    return c;
  }),
);
let next = 0;
let errors = 0;
async function loop(c: pg.Client, until: number, latencies: number[] | null): Promise<void> {
  while (performance.now() < until) {
    const t = performance.now();
    try {
      await c.query({ ...LOOKUP, values: [plan.idNumbers[next++ % plan.idNumbers.length]] });
    } catch {
      errors++;
    }
    latencies?.push(performance.now() - t);
  }
}
await Promise.all(clients.map((c) => loop(c, performance.now() + plan.warmupSeconds * 1000, null)));
errors = 0;
const latencies: number[] = [];
const started = performance.now();
await Promise.all(clients.map((c) => loop(c, started + plan.seconds * 1000, latencies)));
const elapsed = (performance.now() - started) / 1000;
await Promise.all(clients.map((c) => c.end()));
const sorted = Float64Array.from(latencies).sort();
const result: LoadResult = {
  requestsPerSecond: latencies.length / elapsed,
  p50: percentile(sorted, 0.5),
  p99: percentile(sorted, 0.99),
  requests: latencies.length,
  non2xx: 0,
  errors,
  timeouts: 0,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
