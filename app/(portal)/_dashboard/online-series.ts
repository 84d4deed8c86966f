/**
 * Pure: how many devices were online over a window, rebuilt backwards from the number online now and
 * the transitions stored since `from` (one query, never a loop per device). A change from `previous`
 * to `status` at time t moved the online count by (status online) − (previous online); undoing the
 * changes after a moment gives the count at that moment.
 */
export interface OnlineChange {
  at: Date | number;
  status: string;
  previous: string;
}

export interface OnlinePoint {
  /** The sample's time (ms since the epoch). */
  t: number;
  /** Devices online at `t`. */
  online: number;
  /** The fewest online at any moment since the previous sample (a short dip between samples shows). */
  low: number;
}

const ms = (t: Date | number) => (typeof t === 'number' ? t : t.getTime());
const delta = (c: OnlineChange) => (c.status === 'online' ? 1 : 0) - (c.previous === 'online' ? 1 : 0);

/** `points` samples from `from` to `to` (both included). */
export function onlineSeries(opts: {
  onlineNow: number;
  changes: readonly OnlineChange[];
  from: number;
  to: number;
  points: number;
}): OnlinePoint[] {
  const { onlineNow, from, to } = opts;
  const points = Math.max(2, Math.floor(opts.points));
  if (to <= from) return [];
  // changes after `to` (a clock step) already count in onlineNow: they are undone like the others
  const changes = opts.changes.filter((c) => ms(c.at) > from).sort((a, b) => ms(a.at) - ms(b.at));
  let cur = onlineNow;
  for (const c of changes) cur -= delta(c);
  const step = (to - from) / (points - 1);
  const out: OnlinePoint[] = [];
  let i = 0;
  for (let p = 0; p < points; p++) {
    const t = p === points - 1 ? to : from + p * step;
    let low = cur;
    while (i < changes.length && ms(changes[i]!.at) <= t) {
      cur += delta(changes[i]!);
      low = Math.min(low, cur);
      i++;
    }
    out.push({ t, online: Math.max(0, cur), low: Math.max(0, low) });
  }
  return out;
}
