import { useTranslations } from 'next-intl';
import type { TaskDeviceStatus, TaskStatus } from '@/lib/tasks/status';

const STYLES: Record<TaskStatus | TaskDeviceStatus, string> = {
  queued: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200',
  running: 'bg-sky-100 text-sky-800 dark:bg-sky-900/50 dark:text-sky-200',
  completed: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200',
  failed: 'bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-200',
  cancelled: 'bg-slate-200 text-slate-700 dark:bg-slate-700 dark:text-slate-200',
  interrupted: 'bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-200',
  pending: 'bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300',
  success: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200',
  skipped: 'bg-slate-100 text-slate-600 italic dark:bg-slate-800 dark:text-slate-300',
};

const isKnown = (status: string): status is keyof typeof STYLES => Object.hasOwn(STYLES, status);

/**
 * A task's or a task device's status as a small pill, in the reader's language (unknown values look
 * like `queued` and show as they are); `data-status` keeps the raw value.
 */
export function TaskStatusBadge({ status }: { status: string }) {
  const t = useTranslations('common.taskStatus');
  return (
    <span
      className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${STYLES[isKnown(status) ? status : 'queued']}`}
      data-status={status}
    >
      {isKnown(status) ? t(status) : status}
    </span>
  );
}
