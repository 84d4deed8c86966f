import { describe, expect, it } from 'vitest';
import { timelineSegments, uptimePercent, type StatusChangeLike } from './device-page';

const H = 3600_000;
const from = 1_000 * H;
const to = from + 24 * H;
const at = (hours: number) => new Date(from + hours * H);
const change = (hours: number, previous: string, status: string, reason = ''): StatusChangeLike => ({
  at: at(hours),
  previous,
  status,
  reason,
});
const shape = (s: ReturnType<typeof timelineSegments>) =>
  s.map((x) => [x.status, (x.from - from) / H, (x.to - from) / H]);

describe('timelineSegments', () => {
  it('no change: one stretch in the status before the window', () => {
    expect(shape(timelineSegments([], from, to, 'online'))).toEqual([['online', 0, 24]]);
  });

  it('an outage inside the window is one offline stretch between two online ones, with its reason', () => {
    const s = timelineSegments(
      [
        change(2, 'online', 'offline', 'connection refused'),
        change(5, 'offline', 'online', 'SSH banner received'),
      ],
      from,
      to,
      'online',
    );
    expect(shape(s)).toEqual([
      ['online', 0, 2],
      ['offline', 2, 5],
      ['online', 5, 24],
    ]);
    expect(s[1]!.reason).toBe('connection refused');
    expect(s[0]!.reason).toBe('');
  });

  it('takes changes in any order, ignores those outside the window, merges repeated statuses', () => {
    const s = timelineSegments(
      [
        change(10, 'error', 'online'),
        change(-3, 'unknown', 'error'), // before the window: its effect is statusBefore
        change(4, 'online', 'error'),
        change(7, 'error', 'error'),
        change(30, 'online', 'offline'), // after `to`
      ],
      from,
      to,
      'online',
    );
    expect(shape(s)).toEqual([
      ['online', 0, 4],
      ['error', 4, 10],
      ['online', 10, 24],
    ]);
  });

  it('a change exactly at the start replaces the status before; unknown statuses read as unknown', () => {
    expect(shape(timelineSegments([change(0, 'online', 'offline')], from, to, 'online'))).toEqual([
      ['online', 0, 24], // at == from is not inside (from, to]: statusBefore already includes it
    ]);
    expect(shape(timelineSegments([change(1, 'online', 'bogus')], from, to, 'weird'))).toEqual([
      ['unknown', 0, 24],
    ]);
  });

  it('segments cover the window exactly, without gaps', () => {
    const changes = Array.from({ length: 50 }, (_, i) =>
      change(i * 0.4 + 0.1, i % 2 ? 'offline' : 'online', i % 2 ? 'online' : 'offline'),
    );
    const s = timelineSegments(changes, from, to, 'online');
    expect(s[0]!.from).toBe(from);
    expect(s[s.length - 1]!.to).toBe(to);
    for (let i = 1; i < s.length; i++) {
      expect(s[i]!.from).toBe(s[i - 1]!.to);
      expect(s[i]!.status).not.toBe(s[i - 1]!.status);
    }
  });

  it('an empty window has no segments', () => {
    expect(timelineSegments([], to, from, 'online')).toEqual([]);
  });
});

describe('uptimePercent', () => {
  it('online share of the time the status was known', () => {
    const s = timelineSegments(
      [change(6, 'unknown', 'online'), change(12, 'online', 'offline'), change(15, 'offline', 'online')],
      from,
      to,
      'unknown',
    );
    // known for 18 h, online for 15 h
    expect(uptimePercent(s)).toBeCloseTo((15 / 18) * 100, 6);
  });
  it('error counts as not up; never known is null', () => {
    expect(uptimePercent(timelineSegments([change(12, 'online', 'error')], from, to, 'online'))).toBe(50);
    expect(uptimePercent(timelineSegments([], from, to, 'unknown'))).toBeNull();
  });
});
