import { describe, expect, it } from 'vitest';
import { checkSchedule, decideDue, nextRunAfter, SCHEDULE_GRACE_MS } from './schedule';

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
const at = (s: string) => new Date(s);

describe('checkSchedule', () => {
  it('gives the next five runs in the schedule’s time zone', () => {
    const r = checkSchedule('0 2 * * *', 'Asia/Shanghai', at('2026-12-02T12:00:00Z'));
    expect(r.ok && iso(r.next)).toEqual([
      '2026-12-02T18:00:00.000Z',
      '2026-12-03T18:00:00.000Z',
      '2026-12-04T18:00:00.000Z',
      '2026-12-05T18:00:00.000Z',
      '2026-12-06T18:00:00.000Z',
    ]);
  });

  it('runs a daily job once on the spring DST change (after the gap) and once in autumn (not twice)', () => {
    const spring = checkSchedule('30 2 * * *', 'Europe/Berlin', at('2026-03-27T12:00:00Z'), 3);
    expect(spring.ok && iso(spring.next)).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:00:00.000Z', // 02:30 does not exist: 03:00 CEST, right after the gap
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
    const autumn = checkSchedule('30 2 * * *', 'Europe/Berlin', at('2026-10-23T12:00:00Z'), 3);
    expect(autumn.ok && iso(autumn.next)).toEqual([
      '2026-10-24T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T00:30:00.000Z', // the first 02:30 of the two
      '2026-10-26T01:30:00.000Z', // 02:30 CET
    ]);
    const ny = checkSchedule('0 9 * * 1-5', 'America/New_York', at('2026-03-06T00:00:00Z'), 2);
    expect(ny.ok && iso(ny.next)).toEqual(['2026-03-06T14:00:00.000Z', '2026-03-09T13:00:00.000Z']);
  });

  it.each([
    ['', 'UTC', /Enter a cron expression/],
    ['* * * * * *', 'UTC', /five fields/],
    ['0 2 * *', 'UTC', /five fields/],
    ['61 2 * * *', 'UTC', /Not a valid cron expression/],
    ['0 2 * * *', 'Mars/Olympus', /Unknown time zone/],
    ['0 0 30 2 *', 'UTC', /never fires/],
    ['* * * * *', 'UTC', /60 s apart; the shortest interval allowed is 5 minutes/],
    ['*/2 * * * *', 'UTC', /120 s apart/],
    ['0,1 9 * * *', 'UTC', /60 s apart/],
    ['x'.repeat(101), 'UTC', /At most 100 characters/],
  ])('refuses %j in %s', (expr, tz, error) => {
    const r = checkSchedule(expr, tz, at('2026-12-02T00:00:00Z'));
    expect(!r.ok && r.error).toMatch(error);
  });

  it('accepts every five minutes, the shortest allowed', () => {
    expect(checkSchedule('*/5 * * * *', 'UTC', at('2026-12-02T00:00:00Z')).ok).toBe(true);
  });
});

describe('decideDue', () => {
  const expr = '0 2 * * *';
  const planned = at('2026-12-02T02:00:00Z');

  it('does nothing before the planned time', () => {
    expect(decideDue(expr, 'UTC', planned, at('2026-12-02T01:59:59Z'), 'skip')).toEqual({
      run: null,
      missed: 0,
      next: planned,
    });
  });

  it('runs on time, and a little late (within the grace), under either policy', () => {
    for (const policy of ['skip', 'run_once'] as const) {
      const late = new Date(planned.getTime() + SCHEDULE_GRACE_MS);
      expect(decideDue(expr, 'UTC', planned, late, policy)).toEqual({
        run: planned,
        missed: 0,
        next: at('2026-12-03T02:00:00Z'),
      });
    }
  });

  it('after three days down: skip runs nothing and counts three missed; run_once runs once', () => {
    const now = at('2026-12-04T12:00:00Z');
    expect(decideDue(expr, 'UTC', planned, now, 'skip')).toEqual({
      run: null,
      missed: 3,
      next: at('2026-12-05T02:00:00Z'),
    });
    expect(decideDue(expr, 'UTC', planned, now, 'run_once')).toEqual({
      run: at('2026-12-04T02:00:00Z'),
      missed: 2,
      next: at('2026-12-05T02:00:00Z'),
    });
  });

  it('runs the latest planned time when it is within the grace even if older ones were missed', () => {
    const now = at('2026-12-04T02:01:00Z');
    expect(decideDue(expr, 'UTC', planned, now, 'skip')).toEqual({
      run: at('2026-12-04T02:00:00Z'),
      missed: 2,
      next: at('2026-12-05T02:00:00Z'),
    });
  });

  it('nextRunAfter is strictly after', () => {
    expect(nextRunAfter(expr, 'UTC', planned)?.toISOString()).toBe('2026-12-03T02:00:00.000Z');
  });
});
