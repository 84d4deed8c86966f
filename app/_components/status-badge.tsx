import { useTranslations } from 'next-intl';
import { isDeviceStatus, type DeviceStatus } from '@/lib/devices/status';

const DOT: Record<DeviceStatus, string> = {
  online: 'bg-emerald-500',
  offline: 'bg-red-500',
  error: 'bg-amber-500',
  unknown: 'bg-slate-400',
};

/** A device status as a dot and its word in the reader's language; `data-status` keeps the raw value. */
export function StatusBadge({ status }: { status: string }) {
  const t = useTranslations('common.status');
  const s = isDeviceStatus(status) ? status : 'unknown';
  return (
    <span className="inline-flex items-center gap-1.5 text-sm" data-status={status}>
      <span className={`h-2.5 w-2.5 rounded-full ${DOT[s]}`} aria-hidden />
      {t(s)}
    </span>
  );
}

/** Just the dot (its label for screen readers), where a whole badge does not fit, e.g. a picker. */
export function StatusDot({ status }: { status: string }) {
  const t = useTranslations('common.status');
  const s = isDeviceStatus(status) ? status : 'unknown';
  return (
    <span
      className={`inline-block h-2 w-2 shrink-0 rounded-full ${DOT[s]}`}
      data-status={status}
      title={t(s)}
    >
      <span className="sr-only">{t(s)}</span>
    </span>
  );
}
