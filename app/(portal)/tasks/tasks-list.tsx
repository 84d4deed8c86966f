'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ProgressBar } from '@/app/_components/progress-bar';
import { TaskStatusBadge } from '@/app/_components/task-status';
import { Time } from '@/app/_components/time';
import type { TaskSummary } from '@/lib/tasks/service';
import { tasksKey, useTaskMonitor } from './use-task-monitor';

async function fetchTasks(): Promise<TaskSummary[]> {
  const res = await fetch('/api/tasks', { cache: 'no-store' });
  if (!res.ok) throw new Error(`could not load tasks (${res.status})`);
  return res.json() as Promise<TaskSummary[]>;
}

/**
 * The task table. `owners` (user id → username) is given to admins, who see everyone's tasks and
 * need to know whose each one is; a task by a user created after the page loaded shows "—".
 */
export function TasksList({ initial, owners }: { initial: TaskSummary[]; owners?: Record<string, string> }) {
  const { data: tasks = initial, error } = useQuery({
    queryKey: tasksKey,
    queryFn: fetchTasks,
    initialData: initial,
  });
  const live = useTaskMonitor();
  return (
    <div className="space-y-2">
      <p className="text-xs text-slate-500" data-testid="monitor-state">
        {live ? '● live' : '○ connecting…'}
      </p>
      {error && <p className="field-error">{(error as Error).message}</p>}
      {tasks.length === 0 ? (
        <p className="card p-6 text-center text-sm text-slate-500">No tasks yet.</p>
      ) : (
        <div className="card overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="task-table">
            <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
              <tr>
                <th className="px-4 py-2">Task</th>
                {owners && <th className="px-4 py-2">Owner</th>}
                <th className="px-4 py-2">Status</th>
                <th className="w-64 px-4 py-2">Progress</th>
                <th className="px-4 py-2">Devices</th>
                <th className="px-4 py-2">Created</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tasks.map((t) => (
                <tr key={t.id} data-task={t.name}>
                  <td className="px-4 py-2">
                    <Link href={`/tasks/${t.id}`} className="font-medium text-sky-700 hover:underline">
                      {t.name}
                    </Link>
                    <div className="max-w-xs truncate font-mono text-xs text-slate-500">
                      {t.commands.join(' ; ')}
                    </div>
                  </td>
                  {owners && (
                    <td className="px-4 py-2 whitespace-nowrap" data-testid="task-owner">
                      {owners[t.ownerId] ?? '—'}
                    </td>
                  )}
                  <td className="px-4 py-2">
                    <TaskStatusBadge status={t.status} />
                  </td>
                  <td className="px-4 py-2">
                    <ProgressBar
                      value={t.progress}
                      status={t.status}
                      succeeded={t.succeededDevices}
                      failed={t.failedDevices}
                      total={t.totalDevices}
                    />
                    <div className="mt-0.5 text-xs text-slate-500">
                      {t.progress}%{t.currentDevice ? ` · ${t.currentDevice}` : ''}
                    </div>
                  </td>
                  <td className="px-4 py-2 whitespace-nowrap">
                    {t.completedDevices} / {t.totalDevices}
                    {t.failedDevices > 0 && (
                      <span className="ml-2 text-red-600">{t.failedDevices} failed</span>
                    )}
                  </td>
                  <td className="px-4 py-2 font-mono text-xs whitespace-nowrap">
                    <Time iso={t.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
