import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './throttle';

describe('login throttle', () => {
  it('blocks after the budget of failures and opens again when the window slides', () => {
    let now = 1_000_000;
    const t = new LoginThrottle({ maxFailures: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(t.check('account:a').allowed).toBe(true);
      t.fail('account:a');
      now += 1000;
    }
    const blocked = t.check('account:a');
    expect(blocked.allowed).toBe(false);
    expect(blocked.retryAfterMs).toBe(60_000 - 3000);
    expect(t.check('account:b').allowed).toBe(true);
    now += blocked.retryAfterMs + 1;
    expect(t.check('account:a').allowed).toBe(true);
  });

  it('forgets failures after a successful sign-in', () => {
    const t = new LoginThrottle({ maxFailures: 2, windowMs: 60_000 });
    t.fail('k');
    t.fail('k');
    expect(t.check('k').allowed).toBe(false);
    t.reset('k');
    expect(t.check('k').allowed).toBe(true);
  });

  it('allows a larger budget per key when asked (addresses)', () => {
    const t = new LoginThrottle({ maxFailures: 2, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) t.fail('address:1.2.3.4');
    expect(t.check('address:1.2.3.4', 8).allowed).toBe(true);
    expect(t.check('address:1.2.3.4').allowed).toBe(false);
  });
});
