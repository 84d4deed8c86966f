import type { TaskStatus } from '@/lib/tasks/status';

const BAR: Record<TaskStatus, string> = {
  queued: 'bg-sky-500',
  running: 'bg-sky-500',
  completed: 'bg-emerald-500',
  failed: 'bg-red-500',
  cancelled: 'bg-slate-400',
  interrupted: 'bg-red-500',
};

export function ProgressBar({ value, status }: { value: number; status: string }) {
  const colour = Object.hasOwn(BAR, status) ? BAR[status as TaskStatus] : BAR.running;
  return (
    <div
      className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200"
      role="progressbar"
      aria-valuenow={Math.round(value)}
      aria-valuemin={0}
      aria-valuemax={100}
      data-progress={value}
    >
      <div
        className={`h-full ${colour} transition-[width] duration-300`}
        style={{ width: `${Math.min(100, Math.max(0, value))}%` }}
      />
    </div>
  );
}
