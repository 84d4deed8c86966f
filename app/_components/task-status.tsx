import type { TaskDeviceStatus, TaskStatus } from '@/lib/tasks/status';

const STYLES: Record<TaskStatus | TaskDeviceStatus, string> = {
  queued: 'bg-slate-100 text-slate-700',
  running: 'bg-sky-100 text-sky-800',
  completed: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
  cancelled: 'bg-slate-200 text-slate-700',
  interrupted: 'bg-amber-100 text-amber-800',
  pending: 'bg-slate-100 text-slate-600',
  success: 'bg-emerald-100 text-emerald-800',
};

function styleOf(status: string): string {
  return Object.hasOwn(STYLES, status) ? STYLES[status as keyof typeof STYLES] : STYLES.queued;
}

/** A task's or a task device's status as a small pill (unknown values look like `queued`). */
export function TaskStatusBadge({ status }: { status: string }) {
  return (
    <span
      className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${styleOf(status)}`}
      data-status={status}
    >
      {status}
    </span>
  );
}
