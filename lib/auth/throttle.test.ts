import { describe, expect, it } from 'vitest';
import {
  backoffUntil,
  decideAttempt,
  LoginThrottle,
  MemoryThrottleStore,
  undoAttempt,
  type BackoffPolicy,
  type ThrottleKey,
} from './throttle';

const policy: BackoffPolicy = { freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 8000, forgetAfterMs: 60_000 };
const T0 = 1_000_000;

describe('back-off decision (pure)', () => {
  it('is free for the first failures, then waits 1 s, 2 s, 4 s … up to the cap', () => {
    expect([1, 2].map((f) => backoffUntil(f, T0, policy) - T0)).toEqual([0, 0]);
    expect([3, 4, 5, 6, 7, 50].map((f) => backoffUntil(f, T0, policy) - T0)).toEqual([
      1000, 2000, 4000, 8000, 8000, 8000,
    ]);
  });

  it('counts an attempt up front and refuses while a wait is pending', () => {
    let state = undefined as ReturnType<typeof undoAttempt>;
    for (let i = 1; i <= 3; i++) {
      const d = decideAttempt(state, T0, policy);
      expect(d.allowed).toBe(true);
      if (d.allowed) state = d.next;
    }
    expect(state).toEqual({ failures: 3, lastFailureAt: T0, blockedUntil: T0 + 1000 });
    expect(decideAttempt(state, T0 + 400, policy)).toEqual({ allowed: false, retryAfterMs: 600 });
    const next = decideAttempt(state, T0 + 1000, policy);
    expect(next).toEqual({
      allowed: true,
      next: { failures: 4, lastFailureAt: T0 + 1000, blockedUntil: T0 + 3000 },
    });
  });

  it('forgets a streak after the window, and a success can take one attempt back', () => {
    const state = { failures: 5, lastFailureAt: T0, blockedUntil: T0 + 4000 };
    const later = decideAttempt(state, T0 + 60_000, policy);
    expect(later).toMatchObject({ allowed: true, next: { failures: 1 } });
    expect(undoAttempt(state, policy)).toEqual({ failures: 4, lastFailureAt: T0, blockedUntil: T0 + 2000 });
    expect(undoAttempt({ failures: 1, lastFailureAt: T0, blockedUntil: T0 }, policy)).toBeUndefined();
  });
});

describe('login throttle over a store', () => {
  const keysFor = (ip: string): ThrottleKey[] => [
    { key: `login:admin@${ip}`, onSuccess: 'reset' },
    { key: `address:${ip}`, freeFailures: 12, onSuccess: 'undo' },
  ];

  it('slows one address without touching another, and the right password clears the streak', async () => {
    let now = T0;
    const store = new MemoryThrottleStore();
    const t = new LoginThrottle(store, policy, () => now);
    const attacker = keysFor('203.0.113.9');
    for (let i = 0; i < 3; i++) expect(await t.begin(attacker)).toEqual({ allowed: true });
    expect(await t.begin(attacker)).toEqual({ allowed: false, retryAfterMs: 1000 });
    // the refused attempt did not count against the address either
    expect(store.states.get('address:203.0.113.9')?.failures).toBe(3);

    const owner = keysFor('198.51.100.1');
    expect(await t.begin(owner)).toEqual({ allowed: true });
    await t.succeeded(owner);
    expect(store.states.has('login:admin@198.51.100.1')).toBe(false);
    expect(store.states.has('address:198.51.100.1')).toBe(false);

    now += 1000;
    expect(await t.begin(attacker)).toEqual({ allowed: true });
    expect(await t.begin(attacker)).toEqual({ allowed: false, retryAfterMs: 2000 });
    await t.succeeded(attacker); // the attacker's fourth guess was right after all
    expect(store.states.has('login:admin@203.0.113.9')).toBe(false);
    expect(store.states.get('address:203.0.113.9')?.failures).toBe(3);
  });
});
