'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useId, useMemo, useState } from 'react';
import { ProgressBar } from '@/app/_components/progress-bar';
import { TaskStatusBadge } from '@/app/_components/task-status';
import { Time } from '@/app/_components/time';
import type { TaskSummary } from '@/lib/tasks/service';
import { TASK_STATUSES } from '@/lib/tasks/status';
import { LiveState } from './live-state';
import { HttpError } from './http-error';
import { tasksKey, useTaskMonitor } from './use-task-monitor';

async function fetchTasks(): Promise<TaskSummary[]> {
  const res = await fetch('/api/tasks', { cache: 'no-store' });
  if (!res.ok) throw new HttpError(res.status);
  return res.json() as Promise<TaskSummary[]>;
}

/** The tasks a filter keeps: its words in the name or a command, and its status. */
export function filterTasks(tasks: TaskSummary[], q: string, status: string): TaskSummary[] {
  const words = q.trim().toLowerCase();
  return tasks.filter(
    (t) =>
      (!status || t.status === status) &&
      (!words || `${t.name}\n${t.commands.join('\n')}`.toLowerCase().includes(words)),
  );
}

/**
 * The task list: a table from md up, one card per task on a phone (the same rows, laid out as a
 * grid). `owners` (user id → username) is given to admins, who see everyone's tasks and need to
 * know whose each one is; a task by a user created after the page loaded shows "—".
 */
export function TasksList({
  initial,
  owners,
  canRun,
}: {
  initial: TaskSummary[];
  owners?: Record<string, string>;
  canRun: boolean;
}) {
  const t = useTranslations('tasks.list');
  const ts = useTranslations('common.taskStatus');
  const { data: tasks = initial, error } = useQuery({
    queryKey: tasksKey,
    queryFn: fetchTasks,
    initialData: initial,
  });
  const live = useTaskMonitor();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const shown = useMemo(() => filterTasks(tasks, q, status), [tasks, q, status]);
  const filtered = q.trim() !== '' || status !== '';
  const clear = () => {
    setQ('');
    setStatus('');
  };
  const searchId = useId();
  const statusId = useId();

  return (
    <div className="space-y-3">
      {error && (
        <p role="alert" className="field-error">
          {t('loadError', { status: error instanceof HttpError ? error.status : 0 })}
        </p>
      )}
      {tasks.length === 0 ? (
        <EmptyTasks canRun={canRun} />
      ) : (
        <>
          <div role="search" aria-label={t('filter.label')} className="flex flex-wrap items-end gap-2">
            <div className="min-w-0 flex-1 basis-48">
              <label htmlFor={searchId} className="sr-only">
                {t('filter.search')}
              </label>
              <input
                id={searchId}
                type="search"
                className="input mt-0"
                placeholder={t('filter.searchPlaceholder')}
                value={q}
                onChange={(e) => setQ(e.target.value)}
              />
            </div>
            <div>
              <label htmlFor={statusId} className="sr-only">
                {t('filter.status')}
              </label>
              <select
                id={statusId}
                className="input mt-0 w-auto"
                value={status}
                onChange={(e) => setStatus(e.target.value)}
              >
                <option value="">{t('filter.anyStatus')}</option>
                {TASK_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {ts(s)}
                  </option>
                ))}
              </select>
            </div>
            {filtered && (
              <button type="button" className="btn-secondary" onClick={clear}>
                {t('filter.clear')}
              </button>
            )}
            <p className="ml-auto flex items-center gap-3 text-xs text-slate-500 dark:text-slate-400">
              {filtered && (
                <span data-testid="tasks-shown">
                  {t('filter.shown', { shown: shown.length, total: tasks.length })}
                </span>
              )}
              <LiveState live={live} />
            </p>
          </div>
          {shown.length === 0 ? (
            <div className="card p-6 text-center" data-testid="tasks-no-match">
              <p className="font-medium">{t('noMatch.title')}</p>
              <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                {t('noMatch.body', { total: tasks.length })}
              </p>
              <button type="button" className="btn-secondary mt-3" onClick={clear}>
                {t('filter.clear')}
              </button>
            </div>
          ) : (
            <TaskTable tasks={shown} owners={owners} />
          )}
        </>
      )}
    </div>
  );
}

function EmptyTasks({ canRun }: { canRun: boolean }) {
  const t = useTranslations('tasks.list.empty');
  return (
    <div className="card p-8 text-center" data-testid="tasks-empty">
      <p className="text-lg font-semibold">{t('title')}</p>
      <p className="mx-auto mt-2 max-w-prose text-sm text-slate-600 dark:text-slate-400">
        {canRun ? t('operator') : t('viewer')}
      </p>
      {canRun && (
        <Link href="/tasks/new" className="btn-primary mt-4">
          {t('action')}
        </Link>
      )}
    </div>
  );
}

// Phone: each row is a card, a two-column grid (name and status on top, the bar across, devices and
// time below). From md up the same elements are an ordinary table.
const CELL = 'block md:table-cell md:px-4 md:py-2 md:align-top';

function TaskTable({ tasks, owners }: { tasks: TaskSummary[]; owners?: Record<string, string> }) {
  const t = useTranslations('tasks.list');
  return (
    <div className="md:card md:overflow-x-auto">
      <table className="block w-full text-sm md:table md:min-w-full" data-testid="task-table">
        <caption className="sr-only">{t('table.caption')}</caption>
        <thead className="sr-only bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase md:not-sr-only md:table-header-group dark:bg-slate-800/60 dark:text-slate-400">
          <tr>
            <th className="px-4 py-2">{t('table.task')}</th>
            {owners && <th className="px-4 py-2">{t('table.owner')}</th>}
            <th className="px-4 py-2">{t('table.status')}</th>
            <th className="w-64 px-4 py-2">{t('table.progress')}</th>
            <th className="px-4 py-2">{t('table.devices')}</th>
            <th className="px-4 py-2">{t('table.created')}</th>
          </tr>
        </thead>
        <tbody className="block space-y-2 md:table-row-group md:space-y-0 md:divide-y md:divide-slate-100 md:dark:divide-slate-800">
          {tasks.map((task) => (
            <TaskRow key={task.id} task={task} owners={owners} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TaskRow({ task, owners }: { task: TaskSummary; owners?: Record<string, string> }) {
  const t = useTranslations('tasks.list');
  return (
    <tr
      data-task={task.name}
      className="card grid grid-cols-[minmax(0,1fr)_auto] gap-x-3 gap-y-2 p-3 md:table-row md:rounded-none md:border-0 md:bg-transparent md:p-0 md:shadow-none md:dark:bg-transparent"
    >
      <td className={`${CELL} min-w-0`}>
        <Link
          href={`/tasks/${task.id}`}
          className="font-medium [overflow-wrap:anywhere] text-sky-700 hover:underline dark:text-sky-400"
        >
          {task.name}
        </Link>
        <div className="truncate font-mono text-xs text-slate-500 md:max-w-xs dark:text-slate-400">
          {task.commands.join(' ; ')}
        </div>
      </td>
      {owners && (
        <td className={`${CELL} col-span-2 text-xs whitespace-nowrap md:text-sm`}>
          <span className="text-slate-500 md:hidden dark:text-slate-400">{t('table.owner')}: </span>
          <span data-testid="task-owner">{owners[task.ownerId] ?? t('unknownOwner')}</span>
        </td>
      )}
      <td className={`${CELL} col-start-2 row-start-1 text-right md:text-left`}>
        <TaskStatusBadge status={task.status} />
      </td>
      <td className={`${CELL} col-span-2`}>
        <ProgressBar
          value={task.progress}
          status={task.status}
          succeeded={task.succeededDevices}
          failed={task.failedDevices}
          total={task.totalDevices}
        />
        <div className="mt-0.5 truncate text-xs text-slate-500 dark:text-slate-400">
          {t('percent', { progress: task.progress })}
          {task.currentDevice ? ` · ${t('current', { device: task.currentDevice })}` : ''}
        </div>
      </td>
      <td className={`${CELL} text-xs whitespace-nowrap md:text-sm`}>
        <span className="md:hidden">{t('table.devices')}: </span>
        {t('devicesDone', { done: task.completedDevices, total: task.totalDevices })}
        {task.failedDevices > 0 && (
          <span className="ml-2 text-red-600 dark:text-red-400">
            {t('failed', { count: task.failedDevices })}
          </span>
        )}
      </td>
      <td
        className={`${CELL} text-right font-mono text-xs whitespace-nowrap text-slate-600 md:text-left dark:text-slate-400`}
      >
        <Time iso={task.createdAt} />
      </td>
    </tr>
  );
}
