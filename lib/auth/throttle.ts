/**
 * Failed sign-in throttle: a sliding window of failures per key (account, address). Pure logic over
 * an injected clock so it can be tested without waiting; one instance per runtime.
 */
export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
  now?: () => number;
}

export interface ThrottleVerdict {
  allowed: boolean;
  retryAfterMs: number;
}

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly opts: ThrottleOptions) {
    this.now = opts.now ?? Date.now;
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.opts.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  check(key: string, maxFailures = this.opts.maxFailures): ThrottleVerdict {
    const list = this.recent(key);
    if (list.length < maxFailures) return { allowed: true, retryAfterMs: 0 };
    return {
      allowed: false,
      retryAfterMs: list[list.length - maxFailures]! + this.opts.windowMs - this.now(),
    };
  }

  fail(key: string): void {
    const list = this.recent(key);
    list.push(this.now());
    this.failures.set(key, list);
    if (this.failures.size > 100_000) this.prune();
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private prune(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
  }
}

/** An address may try several accounts; it gets this many times the per-account budget. */
export const ADDRESS_FAILURE_FACTOR = 4;
