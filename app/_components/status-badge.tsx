import { isDeviceStatus, type DeviceStatus } from '@/lib/devices/status';

const STYLES: Record<DeviceStatus, { dot: string; label: string }> = {
  online: { dot: 'bg-emerald-500', label: 'Online' },
  offline: { dot: 'bg-red-500', label: 'Offline' },
  error: { dot: 'bg-amber-500', label: 'Error' },
  unknown: { dot: 'bg-slate-400', label: 'Unknown' },
};

export function StatusBadge({ status }: { status: string }) {
  const s = STYLES[isDeviceStatus(status) ? status : 'unknown'];
  return (
    <span className="inline-flex items-center gap-1.5 text-sm" data-status={status}>
      <span className={`h-2.5 w-2.5 rounded-full ${s.dot}`} aria-hidden />
      {s.label}
    </span>
  );
}

/** Just the dot (its label for screen readers), where a whole badge does not fit, e.g. a picker. */
export function StatusDot({ status }: { status: string }) {
  const s = STYLES[isDeviceStatus(status) ? status : 'unknown'];
  return (
    <span
      className={`inline-block h-2 w-2 shrink-0 rounded-full ${s.dot}`}
      data-status={status}
      title={s.label}
    >
      <span className="sr-only">{s.label}</span>
    </span>
  );
}
