/**
 * The browser's one reconnect policy for /ws/* sockets. Pure: the channel (channel.ts) asks it what to
 * do each time a socket goes away and applies the answer.
 */

/** First delay after a lost socket; each further failed attempt doubles it. */
export const RECONNECT_BASE_MS = 500;
/** No delay is longer than this. */
export const RECONNECT_MAX_MS = 10_000;
/**
 * Up to this fraction of each delay is taken off at random, so that the tabs a server restart dropped
 * all at once do not come back all at once.
 */
export const RECONNECT_JITTER_RATIO = 0.5;
/** A socket that stayed open this long was healthy: the next loss starts again from the first delay. */
export const RECONNECT_STABLE_MS = 5_000;

/**
 * Close codes after which another attempt gets the same answer: 1003 (the server cannot take this
 * data) and 1008 (policy: the server refused this user or this channel).
 */
export const NO_RETRY_CLOSE_CODES: readonly number[] = [1003, 1008];

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  jitterRatio: number;
  stableMs: number;
  /** Retries in a row before giving up (Infinity: never give up). */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: RECONNECT_BASE_MS,
  maxMs: RECONNECT_MAX_MS,
  jitterRatio: RECONNECT_JITTER_RATIO,
  stableMs: RECONNECT_STABLE_MS,
  maxAttempts: Infinity,
};

export interface LostSocket {
  /** Retries made since the last stable open (0 when the first socket is lost). */
  attempt: number;
  /** The close event's code (1006 when the connection failed or dropped without a close frame). */
  code: number;
  /** How long the socket was open before it closed; 0 when it never opened. */
  openForMs: number;
}

/** Retry (`attempt` is the number of this retry, 1 for the first) or stop. */
export type RetryDecision =
  { retry: true; attempt: number; delayMs: number } | { retry: false; reason: 'refused' | 'gave_up' };

/**
 * What to do when a socket goes away: retry after a delay that doubles with each failed attempt (with
 * jitter, capped), or stop. `random` returns a number in [0, 1), like Math.random.
 */
export function nextRetry(
  lost: LostSocket,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): RetryDecision {
  if (NO_RETRY_CLOSE_CODES.includes(lost.code)) return { retry: false, reason: 'refused' };
  const failed = lost.openForMs >= policy.stableMs ? 0 : lost.attempt;
  if (failed >= policy.maxAttempts) return { retry: false, reason: 'gave_up' };
  const ceilingMs = Math.min(policy.maxMs, policy.baseMs * 2 ** failed);
  const delayMs = Math.round(ceilingMs * (1 - policy.jitterRatio * random()));
  return { retry: true, attempt: failed + 1, delayMs };
}
