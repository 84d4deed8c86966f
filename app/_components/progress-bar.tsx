import { useTranslations } from 'next-intl';
import type { TaskStatus } from '@/lib/tasks/status';

const BAR: Record<TaskStatus, string> = {
  queued: 'bg-sky-500',
  running: 'bg-sky-500',
  completed: 'bg-emerald-500',
  failed: 'bg-red-500',
  cancelled: 'bg-slate-400',
  interrupted: 'bg-red-500',
};

const clamp = (n: number) => Math.min(100, Math.max(0, n));

/**
 * A task's progress. With the device counts it is split: green for succeeded, red for failed, the
 * rest of the done part (cancelled, or finished since the counts were read) in the status colour,
 * and the light track for devices not done yet — so a half-failed task no longer reads all red.
 */
export function ProgressBar({
  value,
  status,
  succeeded,
  failed,
  total,
  label,
}: {
  value: number;
  status: string;
  succeeded?: number;
  failed?: number;
  total?: number;
  /** What is progressing, for screen readers (default: "Progress"). */
  label?: string;
}) {
  const t = useTranslations('shell.progress');
  const colour = Object.hasOwn(BAR, status) ? BAR[status as TaskStatus] : BAR.running;
  const done = clamp(value);
  const split = total !== undefined && total > 0 && succeeded !== undefined && failed !== undefined;
  const ok = split ? clamp((succeeded / total) * 100) : 0;
  const bad = split ? Math.min(clamp((failed / total) * 100), 100 - ok) : 0;
  const other = split ? Math.max(0, done - ok - bad) : done;
  const segment = 'h-full shrink-0 transition-[width] duration-300';
  return (
    <div
      className="flex h-2.5 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
      role="progressbar"
      aria-label={label ?? t('label')}
      aria-valuenow={Math.round(value)}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuetext={split ? t('valueText', { value: Math.round(value), succeeded, failed }) : undefined}
      data-progress={value}
    >
      {split && (
        <>
          <div className={`${segment} bg-emerald-500`} style={{ width: `${ok}%` }} data-segment="succeeded" />
          <div className={`${segment} bg-red-500`} style={{ width: `${bad}%` }} data-segment="failed" />
        </>
      )}
      <div
        className={`${segment} ${split && !(status === 'queued' || status === 'running') ? BAR.cancelled : colour}`}
        style={{ width: `${other}%` }}
        data-segment="other"
      />
    </div>
  );
}
