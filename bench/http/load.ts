/**
 * The load generator of `bench/http.bench.ts`, run as its own process so that it never shares an
 * event loop with the server it measures: `node bin/run-ts.js bench/http/load.ts <plan.json>`.
 * Drives one scenario with autocannon for a bounded time (a warm-up first, not counted) and prints
 * one JSON line: requests/s, latency p50/p99 (ms), non-2xx answers and socket errors.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadPlan {
  url: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** One request per entry, taken in turn: a path, or a path and a JSON body. */
  requests: { path: string; body?: unknown }[];
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

function drive(plan: LoadPlan, seconds: number): Promise<autocannon.Result> {
  let next = 0;
  const headers = { ...plan.headers, ...(plan.method === 'POST' ? { 'content-type': 'application/json' } : {}) };
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: plan.url,
        connections: plan.connections,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            method: plan.method,
            headers,
            setupRequest: (req) => {
              const r = plan.requests[next++ % plan.requests.length]!;
              return { ...req, path: r.path, ...(r.body === undefined ? {} : { body: JSON.stringify(r.body) }) };
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadPlan;
if (plan.warmupSeconds > 0) await drive(plan, plan.warmupSeconds);
const r = await drive(plan, plan.seconds);
const result: LoadResult = {
  requestsPerSecond: r.requests.total / plan.seconds,
  p50: r.latency.p50,
  p99: r.latency.p99,
  requests: r.requests.total,
  non2xx: r.non2xx,
  errors: r.errors,
  timeouts: r.timeouts,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
