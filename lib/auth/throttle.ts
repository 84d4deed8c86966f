/**
 * Failed sign-in back-off. Every attempt is counted against its keys (an account from an address,
 * and the address alone) before the password is checked, atomically, so parallel guesses cannot
 * slip past the count; a right password clears it again. After a few free failures each further
 * attempt must wait a growing delay (by default 1 s, 2 s, 4 s … capped) instead of locking the
 * account: the owner from their own address is never held up by someone failing from another address.
 *
 * The decisions are pure functions over an injected clock; the state lives behind ThrottleStore
 * (the database today: a restart keeps it).
 */

/** An address may try several accounts; it gets this many times the per-account free failures. */
export const ADDRESS_FAILURE_FACTOR = 4;

export interface BackoffPolicy {
  /** Failures in a row without any delay. */
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A streak with no failure for this long (and no pending delay) starts again from zero. */
  forgetAfterMs: number;
}

/** One key's state; times in epoch milliseconds. */
export interface ThrottleState {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

/** Pure: the earliest next attempt after `failures` failures in a row, the last one at `lastFailureAt`. */
export function backoffUntil(failures: number, lastFailureAt: number, policy: BackoffPolicy): number {
  if (failures < policy.freeFailures) return lastFailureAt;
  const doublings = Math.min(failures - policy.freeFailures, 40);
  return lastFailureAt + Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** doublings);
}

export type AttemptDecision =
  { allowed: true; next: ThrottleState } | { allowed: false; retryAfterMs: number };

/**
 * Pure: may an attempt on this key go ahead at `now`? If so, the state that counts it as a failure
 * (undone by a success).
 */
export function decideAttempt(
  state: ThrottleState | undefined,
  now: number,
  policy: BackoffPolicy,
): AttemptDecision {
  if (state && state.blockedUntil > now) return { allowed: false, retryAfterMs: state.blockedUntil - now };
  const current = state && now - state.lastFailureAt < policy.forgetAfterMs ? state.failures : 0;
  const failures = current + 1;
  return {
    allowed: true,
    next: { failures, lastFailureAt: now, blockedUntil: backoffUntil(failures, now, policy) },
  };
}

/** Pure: take back one counted attempt (it turned out to be a right password). */
export function undoAttempt(
  state: ThrottleState | undefined,
  policy: BackoffPolicy,
): ThrottleState | undefined {
  if (!state || state.failures <= 1) return undefined;
  const failures = state.failures - 1;
  return { ...state, failures, blockedUntil: backoffUntil(failures, state.lastFailureAt, policy) };
}

/** Where throttle state lives (database today, Redis for a cluster). */
export interface ThrottleStore {
  /**
   * Atomically read a key's state and replace it with what `change` returns (`undefined` deletes
   * it, 'keep' leaves it); returns `change`'s result. `change` may run more than once.
   */
  update<T>(
    key: string,
    change: (current: ThrottleState | undefined) => { next: ThrottleState | undefined | 'keep'; result: T },
  ): Promise<T>;
  /** Forget keys whose last failure is before `lastFailureBefore` and that are not blocked at `now`. */
  prune(lastFailureBefore: number, now: number): Promise<void>;
}

/** A store in this process's memory (unit tests). */
export class MemoryThrottleStore implements ThrottleStore {
  readonly states = new Map<string, ThrottleState>();

  async update<T>(
    key: string,
    change: (current: ThrottleState | undefined) => { next: ThrottleState | undefined | 'keep'; result: T },
  ): Promise<T> {
    const { next, result } = change(this.states.get(key));
    if (next === undefined) this.states.delete(key);
    else if (next !== 'keep') this.states.set(key, next);
    return result;
  }

  async prune(lastFailureBefore: number, now: number): Promise<void> {
    for (const [key, s] of this.states) {
      if (s.lastFailureAt < lastFailureBefore && s.blockedUntil <= now) this.states.delete(key);
    }
  }
}

export interface ThrottleKey {
  key: string;
  /** Overrides the policy's free failures for this key. */
  freeFailures?: number;
  /** After a right password: clear the key's streak, or only take back this attempt. */
  onSuccess: 'reset' | 'undo';
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

const PRUNE_INTERVAL_MS = 60 * 60_000;

export class LoginThrottle {
  private lastPrune = 0;

  constructor(
    private readonly store: ThrottleStore,
    private readonly policy: BackoffPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  private policyFor(k: ThrottleKey): BackoffPolicy {
    return k.freeFailures === undefined ? this.policy : { ...this.policy, freeFailures: k.freeFailures };
  }

  /** Count an attempt against every key before the password is checked; refused while any waits. */
  async begin(keys: readonly ThrottleKey[]): Promise<ThrottleVerdict> {
    const now = this.now();
    this.maybePrune(now);
    const counted: ThrottleKey[] = [];
    for (const k of keys) {
      const policy = this.policyFor(k);
      const decision = await this.store.update(k.key, (current) => {
        const d = decideAttempt(current, now, policy);
        return { next: d.allowed ? d.next : 'keep', result: d };
      });
      if (!decision.allowed) {
        // not attempted after all: give back what the other keys counted
        for (const c of counted) await this.undo(c);
        return { allowed: false, retryAfterMs: decision.retryAfterMs };
      }
      counted.push(k);
    }
    return { allowed: true };
  }

  /** The password was right: clear or take back the attempt `begin` counted. */
  async succeeded(keys: readonly ThrottleKey[]): Promise<void> {
    for (const k of keys) {
      if (k.onSuccess === 'reset') await this.store.update(k.key, () => ({ next: undefined, result: null }));
      else await this.undo(k);
    }
  }

  private async undo(k: ThrottleKey): Promise<void> {
    const policy = this.policyFor(k);
    await this.store.update(k.key, (current) => ({ next: undoAttempt(current, policy), result: null }));
  }

  private maybePrune(now: number): void {
    if (now - this.lastPrune < PRUNE_INTERVAL_MS) return;
    this.lastPrune = now;
    this.store.prune(now - this.policy.forgetAfterMs, now).catch(() => {});
  }
}
