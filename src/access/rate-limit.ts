/**
 * In-process token buckets keyed by account or IP address. Each process limits on its own: with N
 * processes behind a load balancer the effective limit is N times higher. That bounds brute force
 * and bulk harvesting per process; a shared limiter (in PostgreSQL or a proxy) is the scale-out step.
 */
export interface RateLimit {
  /** Tokens refilled per minute. */
  perMinute: number;
  /** Bucket size: how many requests may come at once. */
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes one token for `key` at time `nowMs`: 0 when allowed, else the seconds until one is available. */
  take(key: string, nowMs: number): number {
    const rate = this.limit.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.limit.burst, at: nowMs };
    b.tokens = Math.min(this.limit.burst, b.tokens + Math.max(0, nowMs - b.at) * rate);
    b.at = nowMs;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      this.remember(key, b);
      return 0;
    }
    this.remember(key, b);
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }

  private remember(key: string, b: Bucket): void {
    this.buckets.delete(key);
    this.buckets.set(key, b);
    // Map iteration is insertion order: the first keys are the least recently used.
    while (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
  }
}
