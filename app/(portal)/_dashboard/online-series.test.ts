import { describe, expect, it } from 'vitest';
import { onlineSeries, type OnlineChange } from './online-series';

const H = 3600_000;
const from = 500 * H;
const to = from + 24 * H;
const c = (hours: number, previous: string, status: string): OnlineChange => ({
  at: new Date(from + hours * H),
  previous,
  status,
});

describe('onlineSeries', () => {
  it('no change: the number online now, flat, at every point (96 + the end)', () => {
    const s = onlineSeries({ onlineNow: 7, changes: [], from, to, points: 97 });
    expect(s).toHaveLength(97);
    expect(s[0]!.t).toBe(from);
    expect(s[96]!.t).toBe(to);
    expect(new Set(s.map((p) => p.online))).toEqual(new Set([7]));
  });

  it('rebuilds an outage backwards from now: down at 6 h, back at 12 h', () => {
    const s = onlineSeries({
      onlineNow: 10,
      changes: [c(6, 'online', 'offline'), c(12, 'offline', 'online')],
      from,
      to,
      points: 25, // one a hour
    });
    expect(s.map((p) => p.online)).toEqual([
      10, 10, 10, 10, 10, 10, 9, 9, 9, 9, 9, 9, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    ]);
  });

  it('a dip between two samples shows as the low of the later one', () => {
    const s = onlineSeries({
      onlineNow: 5,
      changes: [
        c(3.2, 'online', 'offline'),
        c(3.4, 'online', 'error'),
        c(3.6, 'offline', 'online'),
        c(3.8, 'error', 'online'),
      ],
      from,
      to,
      points: 25,
    });
    expect(s[3]!.online).toBe(5);
    expect(s[4]).toMatchObject({ online: 5, low: 3 });
    expect(s[5]).toMatchObject({ online: 5, low: 5 });
  });

  it('devices added during the window (unknown → online) were not online before', () => {
    const s = onlineSeries({ onlineNow: 3, changes: [c(20, 'unknown', 'online')], from, to, points: 25 });
    expect(s[0]!.online).toBe(2);
    expect(s[24]!.online).toBe(3);
  });

  it('changes between non-online states do not move the count; order of input does not matter', () => {
    const a = [
      c(1, 'offline', 'error'),
      c(2, 'error', 'unknown'),
      c(5, 'online', 'offline'),
      c(4, 'offline', 'online'),
    ];
    const s1 = onlineSeries({ onlineNow: 4, changes: a, from, to, points: 13 });
    const s2 = onlineSeries({ onlineNow: 4, changes: [...a].reverse(), from, to, points: 13 });
    expect(s1).toEqual(s2);
    expect(s1[0]!.online).toBe(4);
    expect(s1[2]!.online).toBe(5); // at 4 h one more came online …
    expect(s1[3]!.online).toBe(4); // … and went offline again at 5 h
  });

  it('never below zero, whatever the history says', () => {
    const s = onlineSeries({
      onlineNow: 0,
      changes: [c(1, 'unknown', 'offline'), c(2, 'offline', 'online'), c(3, 'online', 'offline')],
      from,
      to,
      points: 5,
    });
    expect(Math.min(...s.map((p) => p.online))).toBeGreaterThanOrEqual(0);
  });
});
