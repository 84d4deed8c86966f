import './charts.css';
import type { DeviceStatus } from '@/lib/devices/status';

/**
 * What charts paint with: CSS variables defined once in charts.css (light, and `.dark` for a dark
 * theme). Components import these names instead of writing colours.
 */
export const STATUS_FILL: Record<DeviceStatus, string> = {
  online: 'var(--chart-online)',
  offline: 'var(--chart-offline)',
  error: 'var(--chart-error)',
  unknown: 'var(--chart-unknown)',
};

export const CHART_COLORS = {
  line: 'var(--chart-line)',
  area: 'var(--chart-area)',
  axis: 'var(--chart-axis)',
  grid: 'var(--chart-grid)',
  cursor: 'var(--chart-cursor)',
  tooltipBg: 'var(--chart-tooltip-bg)',
  tooltipFg: 'var(--chart-tooltip-fg)',
  tooltipMuted: 'var(--chart-tooltip-muted)',
  tooltipBorder: 'var(--chart-tooltip-border)',
} as const;
