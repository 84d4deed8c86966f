import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';

describe('per-token rate limit', () => {
  it('allows a burst of the per-minute number, then refills at that rate', () => {
    let now = 0;
    const r = new RateLimiter(60, () => now);
    for (let i = 0; i < 60; i++) expect(r.take('t').allowed).toBe(true);
    expect(r.take('t')).toEqual({ allowed: false, retryAfterS: 1 });
    now += 1000;
    expect(r.take('t').allowed).toBe(true);
    expect(r.take('t').allowed).toBe(false);
    expect(r.take('other').allowed).toBe(true); // keys are independent
  });

  it('says how long to wait, and forgets the least recently used keys past its bound', () => {
    const now = 0;
    const r = new RateLimiter(2, () => now, 2);
    r.take('a');
    r.take('a');
    expect(r.take('a')).toEqual({ allowed: false, retryAfterS: 30 });
    r.take('b');
    r.take('c'); // 'a' is forgotten (a full bucket again)
    expect(r.take('a').allowed).toBe(true);
  });
});
