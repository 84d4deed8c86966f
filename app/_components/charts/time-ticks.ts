export const HOUR_MS = 3600_000;

/** Ticks at whole hours (24 h) or local midnights (7 d): readable, never crowded. */
export function timeTicks(from: number, to: number): number[] {
  const span = to - from;
  const out: number[] = [];
  if (span <= 2 * 24 * HOUR_MS) {
    const step = span <= 6 * HOUR_MS ? HOUR_MS : 3 * HOUR_MS;
    const d = new Date(from);
    d.setMinutes(0, 0, 0);
    // local hours that are multiples of the step (in hours)
    for (let t = d.getTime(); t <= to; t += HOUR_MS) {
      if (t >= from && new Date(t).getHours() % (step / HOUR_MS) === 0) out.push(t);
    }
  } else {
    const d = new Date(from);
    d.setHours(0, 0, 0, 0);
    for (let t = d.getTime(); t <= to;) {
      if (t >= from) out.push(t);
      const next = new Date(t);
      next.setDate(next.getDate() + 1); // DST-proof: the next local midnight
      t = next.getTime();
    }
  }
  return out;
}
