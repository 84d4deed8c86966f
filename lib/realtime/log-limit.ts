/** At most one "websocket upgrade refused" line per reason per this interval (the rest are counted). */
export const WS_REFUSAL_LOG_INTERVAL_MS = 10_000;

export type LogDecision = { write: true; suppressed: number } | { write: false };

/**
 * Rate limit for a log line that an attacker can trigger at will: the first line of each key is
 * written, the rest of the interval only counted, and the next line written says how many were left
 * out. Pure, with an injectable clock. Keys are a small fixed set (status and message), so the map
 * stays small.
 */
export class LogRateLimit {
  private readonly byKey = new Map<string, { lastAt: number; suppressed: number }>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): LogDecision {
    const t = this.now();
    const entry = this.byKey.get(key);
    if (entry && t - entry.lastAt < this.intervalMs) {
      entry.suppressed++;
      return { write: false };
    }
    const suppressed = entry?.suppressed ?? 0;
    this.byKey.set(key, { lastAt: t, suppressed: 0 });
    return { write: true, suppressed };
  }
}
