export interface RateVerdict {
  allowed: boolean;
  /** Whole seconds until one more request is allowed (0 when allowed). */
  retryAfterS: number;
}

/** A request rate limit per key (an API token): this node's memory, or Redis in a cluster (lib/cluster/rate-limit.ts). */
export interface RateLimit {
  take(key: string): RateVerdict | Promise<RateVerdict>;
}

/**
 * A token bucket per key (an API token): `perMinute` requests a minute on average, bursts up to the
 * same number. Pure over an injected clock; one node's limit (a cluster shares its buckets in Redis).
 */
export class RateLimiter implements RateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    /** Buckets kept at most; the least recently used are forgotten (they are full again anyway). */
    private readonly maxKeys = 100_000,
  ) {}

  take(key: string): RateVerdict {
    const now = this.now();
    const rate = this.perMinute / 60_000; // tokens per ms
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    this.buckets.delete(key); // re-inserted below: Map order is least recently used first
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    let verdict: RateVerdict;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      verdict = { allowed: true, retryAfterS: 0 };
    } else {
      verdict = { allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000)) };
    }
    this.buckets.set(key, b);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return verdict;
  }
}
