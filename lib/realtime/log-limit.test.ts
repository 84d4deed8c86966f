import { describe, expect, it } from 'vitest';
import { LogRateLimit } from './log-limit';

describe('LogRateLimit', () => {
  it('writes the first line of a reason, suppresses the rest of the interval, then reports how many', () => {
    let now = 1_000;
    const limit = new LogRateLimit(10_000, () => now);
    expect(limit.take('401')).toEqual({ write: true, suppressed: 0 });
    expect(limit.take('401')).toEqual({ write: false });
    expect(limit.take('401')).toEqual({ write: false });
    // another reason has its own interval
    expect(limit.take('429')).toEqual({ write: true, suppressed: 0 });
    now += 9_999;
    expect(limit.take('401')).toEqual({ write: false });
    now += 1;
    expect(limit.take('401')).toEqual({ write: true, suppressed: 3 });
    expect(limit.take('401')).toEqual({ write: false });
    now += 10_000;
    expect(limit.take('401')).toEqual({ write: true, suppressed: 1 });
    expect(limit.take('429')).toEqual({ write: true, suppressed: 0 });
  });
});
