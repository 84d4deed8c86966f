import { describe, expect, it } from 'vitest';
import { describeStoreError, nextBurst, RECORDING_ALERT_QUIET_MS } from './alerts';

describe('nextBurst', () => {
  const Q = RECORDING_ALERT_QUIET_MS;

  it('the first failure starts a burst; failures closer than the quiet time to the last one join it', () => {
    const first = nextBurst(null, 1_000);
    expect(first).toEqual({ burst: { startedAt: 1_000, lastAt: 1_000, failures: 1 }, isNew: true });
    const second = nextBurst(first.burst, 1_000 + Q - 1);
    expect(second).toEqual({ burst: { startedAt: 1_000, lastAt: 1_000 + Q - 1, failures: 2 }, isNew: false });
    // the quiet time counts from the last failure, not the first: a steady trickle stays one burst
    const third = nextBurst(second.burst, 1_000 + 2 * Q - 2);
    expect(third.isNew).toBe(false);
    expect(third.burst.failures).toBe(3);
  });

  it('a failure after the quiet time starts a new burst', () => {
    const { burst } = nextBurst(null, 0);
    expect(nextBurst(burst, Q)).toEqual({ burst: { startedAt: Q, lastAt: Q, failures: 1 }, isNew: true });
    expect(nextBurst(burst, 10, 5).isNew).toBe(true);
  });

  it('a failure reported with an earlier time (another recording’s late report) does not move the burst back', () => {
    const { burst } = nextBurst(null, 5_000);
    expect(nextBurst(burst, 4_000).burst).toEqual({ startedAt: 5_000, lastAt: 5_000, failures: 2 });
  });
});

describe('describeStoreError', () => {
  it('leads with the error code once', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(describeStoreError(enospc)).toBe('ENOSPC: no space left on device, write');
    const pg = Object.assign(new Error('relation "RecordingChunk" does not exist'), { code: 'P2021' });
    expect(describeStoreError(pg)).toBe('P2021: relation "RecordingChunk" does not exist');
    expect(describeStoreError(new Error('x'.repeat(400)))).toHaveLength(301);
  });
});
