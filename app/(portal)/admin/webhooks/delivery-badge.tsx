import { useTranslations } from 'next-intl';
import { isDeliveryStatus, type DeliveryStatus } from './_lib/events';

const STYLE: Record<DeliveryStatus, string> = {
  delivered:
    'border-emerald-200 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-300',
  pending:
    'border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-200',
  failed: 'border-red-200 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950/60 dark:text-red-300',
};

/** A delivery's status as a small word in its colour; `data-status` keeps the raw value. */
export function DeliveryBadge({ status }: { status: string }) {
  const t = useTranslations('webhooks.status');
  const s = isDeliveryStatus(status) ? status : 'pending';
  return (
    <span
      className={`inline-block rounded border px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${STYLE[s]}`}
      data-status={status}
    >
      {t(s)}
    </span>
  );
}

/** Enabled or disabled, as a word in its colour. */
export function EnabledBadge({ enabled }: { enabled: boolean }) {
  const t = useTranslations('webhooks.list');
  return (
    <span
      className={`inline-block rounded border px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${
        enabled
          ? 'border-sky-200 bg-sky-50 text-sky-800 dark:border-sky-800 dark:bg-sky-950/60 dark:text-sky-300'
          : 'border-slate-200 bg-slate-100 text-slate-700 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300'
      }`}
      data-enabled={enabled}
    >
      {enabled ? t('enabled') : t('disabled')}
    </span>
  );
}
