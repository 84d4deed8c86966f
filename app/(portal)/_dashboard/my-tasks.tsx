'use client';

import { useQuery } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { ProgressBar } from '@/app/_components/progress-bar';
import { TaskStatusBadge } from '@/app/_components/task-status';
import { Time } from '@/app/_components/time';
import type { TaskSummary } from '@/lib/tasks/service';
import { TASK_ACTIVE_STATUSES } from '@/lib/tasks/status';
import { tasksKey, useTaskMonitor } from '../tasks/use-task-monitor';

const SHOWN = 6;
const ACTIVE = new Set<string>(TASK_ACTIVE_STATUSES);

async function fetchTasks(): Promise<TaskSummary[]> {
  const res = await fetch('/api/tasks', { cache: 'no-store' });
  if (!res.ok) throw new Error(`could not load tasks (${res.status})`);
  return res.json() as Promise<TaskSummary[]>;
}

/** The user's own running tasks first, then their most recent, with live progress. */
export function MyTasks({
  userId,
  initial,
  canRun,
}: {
  userId: string;
  initial: TaskSummary[];
  canRun: boolean;
}) {
  const t = useTranslations('dashboard.tasks');
  // the same cache entry as the Tasks page: the monitor's live updates land in it
  const { data = initial } = useQuery({ queryKey: tasksKey, queryFn: fetchTasks, initialData: initial });
  useTaskMonitor();
  const mine = data.filter((x) => x.ownerId === userId);
  const shown = [
    ...mine.filter((x) => ACTIVE.has(x.status)),
    ...mine.filter((x) => !ACTIVE.has(x.status)),
  ].slice(0, SHOWN);
  if (shown.length === 0)
    return (
      <div className="text-sm text-slate-600 dark:text-slate-400" data-testid="my-tasks-empty">
        <p>{canRun ? t('empty') : t('emptyViewer')}</p>
        {canRun && (
          <Link href="/tasks/new" className="btn-secondary mt-2">
            {t('run')}
          </Link>
        )}
      </div>
    );
  return (
    <ul className="divide-y divide-slate-100 dark:divide-slate-800" data-testid="my-tasks">
      {shown.map((task) => (
        <li key={task.id} className="space-y-1 py-2" data-task={task.name}>
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <Link
              href={`/tasks/${task.id}`}
              className="min-w-0 font-medium break-all text-sky-700 hover:underline dark:text-sky-400"
            >
              {task.name}
            </Link>
            <TaskStatusBadge status={task.status} />
            <Time
              iso={task.createdAt}
              className="ml-auto font-mono text-xs text-slate-600 dark:text-slate-400"
            />
          </div>
          <ProgressBar
            value={task.progress}
            status={task.status}
            succeeded={task.succeededDevices}
            failed={task.failedDevices}
            total={task.totalDevices}
          />
          <div className="text-xs text-slate-600 dark:text-slate-400">
            {t('devices', { done: task.completedDevices, total: task.totalDevices })}
            {task.failedDevices > 0 && (
              <span className="text-red-700 dark:text-red-400">
                {' '}
                · {t('failed', { count: task.failedDevices })}
              </span>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
