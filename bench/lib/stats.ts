/** Small statistics helpers: percentiles of a sample, and a fixed-resolution histogram for huge samples. */

/** The p-th percentile (0–100) of `values` (nearest-rank on a sorted copy); NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/**
 * Millisecond latencies at `resolutionMs` up to `maxMs` (larger values land in the last bucket), so ten
 * million deliveries cost a fixed amount of memory.
 */
export class LatencyHistogram {
  private readonly buckets: Uint32Array;
  private n = 0;
  private max = 0;

  constructor(
    private readonly resolutionMs = 0.01,
    maxMs = 5000,
  ) {
    this.buckets = new Uint32Array(Math.ceil(maxMs / resolutionMs) + 1);
  }

  add(ms: number): void {
    const i = Math.min(this.buckets.length - 1, Math.max(0, Math.floor(ms / this.resolutionMs)));
    this.buckets[i]!++;
    this.n++;
    if (ms > this.max) this.max = ms;
  }

  get count(): number {
    return this.n;
  }

  get maxMs(): number {
    return this.max;
  }

  /** Upper edge of the bucket holding the p-th percentile. */
  percentile(p: number): number {
    if (this.n === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.n));
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) return (i + 1) * this.resolutionMs;
    }
    return this.max;
  }
}

export function round(v: number, digits = 2): number {
  if (!Number.isFinite(v)) return v;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
