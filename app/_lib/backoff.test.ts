import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, nextRetry, RECONNECT_MAX_MS, RECONNECT_STABLE_MS } from './backoff';

const noJitter = () => 0;
const fullJitter = () => 0.999_999;
const DROPPED = 1006;

describe('nextRetry', () => {
  it('doubles the delay with each failed attempt, up to the cap', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 10].map((attempt) => {
      const d = nextRetry({ attempt, code: DROPPED, openForMs: 0 }, DEFAULT_BACKOFF, noJitter);
      return d.retry ? d.delayMs : null;
    });
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });

  it('counts the attempts', () => {
    expect(nextRetry({ attempt: 3, code: DROPPED, openForMs: 0 }, DEFAULT_BACKOFF, noJitter)).toEqual({
      retry: true,
      attempt: 4,
      delayMs: 4000,
    });
  });

  it('takes up to half of each delay off at random, never more than the cap', () => {
    const low = nextRetry({ attempt: 2, code: DROPPED, openForMs: 0 }, DEFAULT_BACKOFF, fullJitter);
    expect(low).toMatchObject({ retry: true, delayMs: 1000 });
    for (let i = 0; i < 200; i++) {
      const d = nextRetry({ attempt: 20, code: DROPPED, openForMs: 0 });
      if (!d.retry) throw new Error('expected a retry');
      expect(d.delayMs).toBeGreaterThanOrEqual(RECONNECT_MAX_MS / 2);
      expect(d.delayMs).toBeLessThanOrEqual(RECONNECT_MAX_MS);
    }
  });

  it('starts again from the first delay after a socket that stayed open long enough', () => {
    const stable = nextRetry(
      { attempt: 4, code: DROPPED, openForMs: RECONNECT_STABLE_MS },
      DEFAULT_BACKOFF,
      noJitter,
    );
    expect(stable).toEqual({ retry: true, attempt: 1, delayMs: 500 });
    // open, but not for long: a flapping server does not get a fast loop
    const flapping = nextRetry(
      { attempt: 4, code: DROPPED, openForMs: RECONNECT_STABLE_MS - 1 },
      DEFAULT_BACKOFF,
      noJitter,
    );
    expect(flapping).toEqual({ retry: true, attempt: 5, delayMs: 8000 });
  });

  it('gives up after maxAttempts retries in a row', () => {
    const policy = { ...DEFAULT_BACKOFF, maxAttempts: 5 };
    expect(nextRetry({ attempt: 4, code: DROPPED, openForMs: 0 }, policy, noJitter)).toMatchObject({
      retry: true,
      attempt: 5,
    });
    expect(nextRetry({ attempt: 5, code: DROPPED, openForMs: 0 }, policy, noJitter)).toEqual({
      retry: false,
      reason: 'gave_up',
    });
    // but not after a stable connection
    expect(
      nextRetry({ attempt: 5, code: DROPPED, openForMs: RECONNECT_STABLE_MS }, policy, noJitter),
    ).toMatchObject({ retry: true, attempt: 1 });
  });

  it('never retries a close that says the server refuses this socket', () => {
    for (const code of [1003, 1008]) {
      expect(nextRetry({ attempt: 0, code, openForMs: 60_000 })).toEqual({ retry: false, reason: 'refused' });
    }
  });

  it('retries a server going away (restart) and a normal close', () => {
    for (const code of [1000, 1001, 1006, 1011, 1012]) {
      expect(nextRetry({ attempt: 0, code, openForMs: 0 }).retry).toBe(true);
    }
  });
});
