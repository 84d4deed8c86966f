'use client';

import './charts.css';
import { useTranslations } from 'next-intl';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatLocal, formatUtc, useInBrowser } from '../time';
import { CHART_COLORS } from './colors';
import { timeTicks } from './time-ticks';

export interface OnlinePointView {
  t: number;
  online: number;
  low: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
const hourLabel = (t: number) => {
  const d = new Date(t);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/** Devices online over a window (an area of the count at each sample, the dip between samples in the tooltip). */
export function OnlineChart({ points, total }: { points: OnlinePointView[]; total: number }) {
  const inBrowser = useInBrowser();
  const t = useTranslations('shell.charts.online');
  const nowOnline = points.length > 0 ? points[points.length - 1]!.online : 0;
  const label = t('label', { online: nowOnline, total });
  const fmt = (t: number) => (inBrowser ? formatLocal(new Date(t)) : formatUtc(new Date(t)));
  return (
    <div className="w-full" data-testid="online-chart">
      <ResponsiveContainer width="100%" height={200}>
        <AreaChart
          data={points}
          margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
          title={label}
          aria-label={label}
        >
          <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            domain={['dataMin', 'dataMax']}
            scale="time"
            ticks={points.length > 1 ? timeTicks(points[0]!.t, points[points.length - 1]!.t) : undefined}
            tickFormatter={hourLabel}
            tick={{ fill: CHART_COLORS.axis, fontSize: 11 }}
            stroke={CHART_COLORS.grid}
            minTickGap={32}
          />
          <YAxis
            allowDecimals={false}
            domain={[0, Math.max(1, total)]}
            width={44}
            tick={{ fill: CHART_COLORS.axis, fontSize: 11 }}
            stroke={CHART_COLORS.grid}
          />
          <Tooltip
            cursor={{ stroke: CHART_COLORS.cursor, strokeOpacity: 0.3 }}
            content={({ active, payload }) => {
              const p = active ? (payload?.[0]?.payload as OnlinePointView | undefined) : undefined;
              if (!p) return null;
              return (
                <div
                  className="rounded-md border px-3 py-2 text-xs shadow-md"
                  style={{
                    background: CHART_COLORS.tooltipBg,
                    color: CHART_COLORS.tooltipFg,
                    borderColor: CHART_COLORS.tooltipBorder,
                  }}
                >
                  <div style={{ color: CHART_COLORS.tooltipMuted }}>{fmt(p.t)}</div>
                  <div className="font-semibold">{t('tooltip', { online: p.online, total })}</div>
                  {p.low < p.online && <div>{t('low', { low: p.low })}</div>}
                </div>
              );
            }}
          />
          <Area
            type="stepAfter"
            dataKey="online"
            stroke={CHART_COLORS.line}
            fill={CHART_COLORS.area}
            fillOpacity={0.25}
            strokeWidth={2}
            isAnimationActive={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
