/** Result rows (one per benchmark and metric) and the plain-text table the runner prints. */

export interface Row {
  /** Which benchmark produced the row (echo, throughput, fanout, batch, sessions); set by the runner. */
  suite?: string;
  benchmark: string;
  metric: string;
  unit: string;
  portal: number;
  /** null where a metric has no baseline. */
  baseline: number | null;
  /** portal / baseline (null without a baseline). */
  ratio: number | null;
  /** Human-readable target, or '' when the metric is informational. */
  target: string;
  /** null when the metric has no target. */
  met: boolean | null;
}

export function row(r: Omit<Row, 'ratio'> & { ratio?: number | null }): Row {
  const ratio =
    r.ratio !== undefined ? r.ratio : r.baseline !== null && r.baseline !== 0 ? r.portal / r.baseline : null;
  return { ...r, ratio };
}

function fmt(v: number | null): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  const s = abs >= 1000 ? v.toFixed(0) : abs >= 100 ? v.toFixed(1) : abs >= 1 ? v.toFixed(2) : v.toFixed(3);
  return s;
}

export function formatTable(rows: readonly Row[]): string {
  const header = ['benchmark', 'metric', 'portal', 'baseline', 'ratio', 'target', 'met?'];
  const cells = rows.map((r) => [
    r.benchmark,
    r.unit ? `${r.metric} (${r.unit})` : r.metric,
    fmt(r.portal),
    fmt(r.baseline),
    r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`,
    r.target || '—',
    r.met === null ? '—' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  const sep = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header), sep, ...cells.map(line)].join('\n');
}
