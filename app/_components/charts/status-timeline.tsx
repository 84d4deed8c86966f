'use client';

import './charts.css';
import { useLocale, useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import { ComposedChart, ResponsiveContainer, XAxis, usePlotArea, useXAxisScale } from 'recharts';
import type { DeviceStatus } from '@/lib/devices/status';
import { formatDuration } from '@/lib/format/duration';
import { formatLocal, useInBrowser, formatUtc } from '../time';
import { CHART_COLORS, STATUS_FILL } from './colors';
import { HOUR_MS, timeTicks } from './time-ticks';

export interface TimelineSegmentView {
  status: DeviceStatus;
  from: number;
  to: number;
  reason: string;
}

const BAND_HEIGHT_PX = 28;
const MIN_TROUBLE_WIDTH_PX = 3;
const PAINT_ORDER: Record<DeviceStatus, number> = { online: 0, unknown: 1, error: 2, offline: 3 };

const pad = (n: number) => String(n).padStart(2, '0');
function tickLabel(t: number, daily: boolean): string {
  const d = new Date(t);
  return daily ? `${pad(d.getDate())}/${pad(d.getMonth() + 1)}` : `${pad(d.getHours())}:00`;
}

interface Hover {
  seg: TimelineSegmentView;
  /** Pointer position inside the chart box (px), and the box's width. */
  x: number;
  y: number;
  width: number;
}

/** The coloured band: one rect per segment, drawn on the chart's own time scale. */
function SegmentBand({
  segments,
  onHover,
}: {
  segments: TimelineSegmentView[];
  onHover: (seg: TimelineSegmentView | null, e?: React.MouseEvent<SVGRectElement>) => void;
}) {
  const scale = useXAxisScale();
  const area = usePlotArea();
  const t = useTranslations('shell.charts.timeline');
  const ts = useTranslations('common.status');
  const locale = useLocale();
  if (!scale || !area) return null;
  const y = area.y + (area.height - BAND_HEIGHT_PX) / 2;
  // trouble is painted last, on top: a short outage next to long online stretches stays visible
  const painted = [...segments].sort((a, b) => PAINT_ORDER[a.status] - PAINT_ORDER[b.status]);
  return (
    <g role="list" aria-label={t('label')}>
      {painted.map((s) => {
        const x1 = scale(s.from) ?? area.x;
        const x2 = scale(s.to) ?? area.x + area.width;
        return (
          <rect
            key={s.from}
            role="listitem"
            aria-label={t('segment', {
              status: ts(s.status),
              duration: formatDuration(s.to - s.from, locale),
            })}
            data-segment-status={s.status}
            x={x1}
            y={y}
            // never thinner than a few pixels: a short outage in a week is still visible and hoverable
            width={Math.max(s.status === 'online' ? 1 : MIN_TROUBLE_WIDTH_PX, x2 - x1)}
            height={BAND_HEIGHT_PX}
            fill={STATUS_FILL[s.status]}
            onMouseEnter={(e) => onHover(s, e)}
            onMouseMove={(e) => onHover(s, e)}
            onMouseLeave={() => onHover(null)}
            onClick={(e) => onHover(s, e)}
          />
        );
      })}
    </g>
  );
}

/**
 * A device's status over a window as a coloured band (online green, offline red, error amber,
 * unknown grey) with a tooltip per stretch. Rendered in the browser only: the axis is in the
 * reader's time zone.
 */
export function StatusTimeline({
  segments,
  axisFrom,
  to,
}: {
  segments: TimelineSegmentView[];
  axisFrom: number;
  to: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const inBrowser = useInBrowser();
  const t = useTranslations('shell.charts.timeline');
  const ts = useTranslations('common.status');
  const locale = useLocale();
  const daily = to - axisFrom > 2 * 24 * HOUR_MS;
  const ticks = timeTicks(axisFrom, to);
  const fmt = (t: number) => (inBrowser ? formatLocal(new Date(t)) : formatUtc(new Date(t)));

  const onHover = (seg: TimelineSegmentView | null, e?: React.MouseEvent<SVGRectElement>) => {
    const r = box.current?.getBoundingClientRect();
    if (!seg || !e || !r) return setHover(null);
    setHover({ seg, x: e.clientX - r.left, y: e.clientY - r.top, width: r.width });
  };

  return (
    <div
      ref={box}
      className="relative w-full"
      data-testid="status-timeline"
      onMouseLeave={() => setHover(null)}
    >
      <ResponsiveContainer width="100%" height={64}>
        <ComposedChart
          data={[{ t: axisFrom }, { t: to }]}
          margin={{ top: 4, right: 12, bottom: 0, left: 12 }}
          // the band is a labelled list of stretches; recharts' keyboard tooltip has nothing to show here
          accessibilityLayer={false}
        >
          <XAxis
            dataKey="t"
            type="number"
            domain={[axisFrom, to]}
            allowDataOverflow
            ticks={ticks}
            tickFormatter={(t: number) => tickLabel(t, daily)}
            tick={{ fill: CHART_COLORS.axis, fontSize: 11 }}
            stroke={CHART_COLORS.grid}
            interval="preserveStartEnd"
            minTickGap={16}
          />
          <SegmentBand segments={segments} onHover={onHover} />
        </ComposedChart>
      </ResponsiveContainer>
      {hover && (
        <div
          role="tooltip"
          data-testid="timeline-tooltip"
          className="pointer-events-none absolute z-10 w-64 max-w-[calc(100vw-2rem)] rounded-md border px-3 py-2 text-xs shadow-md"
          style={{
            // beside the pointer, kept inside the chart box (16 rem wide)
            left: Math.max(0, Math.min(hover.x + 12, hover.width - 256)),
            top: hover.y + 16,
            background: CHART_COLORS.tooltipBg,
            color: CHART_COLORS.tooltipFg,
            borderColor: CHART_COLORS.tooltipBorder,
          }}
        >
          <div className="flex items-center gap-1.5 font-semibold">
            <span
              className="inline-block h-2.5 w-2.5 rounded-full"
              style={{ background: STATUS_FILL[hover.seg.status] }}
              aria-hidden
            />
            {t('segment', {
              status: ts(hover.seg.status),
              duration: formatDuration(hover.seg.to - hover.seg.from, locale),
            })}
          </div>
          <div style={{ color: CHART_COLORS.tooltipMuted }}>
            {fmt(hover.seg.from)} → {hover.seg.to >= to - 1000 ? t('now') : fmt(hover.seg.to)}
          </div>
          {hover.seg.reason && <div className="mt-0.5 break-words">{hover.seg.reason}</div>}
        </div>
      )}
    </div>
  );
}

/** The colour key under a status chart. */
export function StatusLegend() {
  const t = useTranslations('shell.charts.timeline');
  const ts = useTranslations('common.status');
  return (
    <ul
      className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-300"
      aria-label={t('legend')}
    >
      {(['online', 'offline', 'error', 'unknown'] as const).map((s) => (
        <li key={s} className="flex items-center gap-1.5">
          <span
            className="inline-block h-2.5 w-4 rounded-sm"
            style={{ background: STATUS_FILL[s] }}
            aria-hidden
          />
          {ts(s)}
        </li>
      ))}
    </ul>
  );
}
