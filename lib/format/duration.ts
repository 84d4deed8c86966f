/**
 * A span of time as an engineer reads it in a notification: "38 s", "4 min 12 s", "2 h 5 min",
 * "3 d 4 h". Two units at most: an outage of "1 d 2 h 3 min 4 s" says no more than "1 d 2 h".
 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pair = (a: number, ua: string, b: number, ub: string) =>
    b > 0 ? `${a} ${ua} ${b} ${ub}` : `${a} ${ua}`;
  if (d > 0) return pair(d, 'd', h, 'h');
  if (h > 0) return pair(h, 'h', m, 'min');
  if (m > 0) return pair(m, 'min', s, 's');
  return `${s} s`;
}
