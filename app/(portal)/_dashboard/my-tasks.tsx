'use client';

import { useQuery } from '@tanstack/react-query';
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
export function MyTasks({ userId, initial }: { userId: string; initial: TaskSummary[] }) {
  // the same cache entry as the Tasks page: the monitor's live updates land in it
  const { data = initial } = useQuery({ queryKey: tasksKey, queryFn: fetchTasks, initialData: initial });
  useTaskMonitor();
  const mine = data.filter((t) => t.ownerId === userId);
  const shown = [
    ...mine.filter((t) => ACTIVE.has(t.status)),
    ...mine.filter((t) => !ACTIVE.has(t.status)),
  ].slice(0, SHOWN);
  if (shown.length === 0)
    return (
      <p className="text-sm text-slate-500">
        No tasks yet.{' '}
        <Link href="/tasks" className="text-sky-700 hover:underline">
          Tasks
        </Link>
      </p>
    );
  return (
    <ul className="divide-y divide-slate-100" data-testid="my-tasks">
      {shown.map((t) => (
        <li key={t.id} className="space-y-1 py-2" data-task={t.name}>
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <Link
              href={`/tasks/${t.id}`}
              className="min-w-0 font-medium break-all text-sky-700 hover:underline"
            >
              {t.name}
            </Link>
            <TaskStatusBadge status={t.status} />
            <Time iso={t.createdAt} className="ml-auto font-mono text-xs text-slate-500" />
          </div>
          <ProgressBar
            value={t.progress}
            status={t.status}
            succeeded={t.succeededDevices}
            failed={t.failedDevices}
            total={t.totalDevices}
          />
          <div className="text-xs text-slate-500">
            {t.completedDevices} / {t.totalDevices} devices
            {t.failedDevices > 0 && <span className="text-red-700"> · {t.failedDevices} failed</span>}
          </div>
        </li>
      ))}
    </ul>
  );
}
