'use client';

import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useTransition } from 'react';
import { ProgressBar } from '@/app/_components/progress-bar';
import { TaskStatusBadge } from '@/app/_components/task-status';
import { formatLocal, formatUtc, useInBrowser } from '@/app/_components/time';
import { plural } from '@/lib/format/plural';
import type { TaskDeviceDetail, TaskDeviceFilter, TaskDeviceRow } from '@/lib/tasks/service';
import { TASK_ACTIVE_STATUSES, TASK_DEVICE_UNFINISHED_STATUSES } from '@/lib/tasks/status';
import { cancelTaskAction, retryFailedAction } from '../actions';
import { CommandResult } from './command-result';
import { TaskCommands } from './task-commands';
import {
  taskDeviceKey,
  taskKey,
  taskPageKey,
  useTaskMonitor,
  type TaskDetailData,
} from '../use-task-monitor';

async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new Error(`could not load (${res.status})`);
  return res.json() as Promise<T>;
}

/** Filter tabs, in the order shown (most wanted first). */
const FILTERS = [
  'all',
  'failed',
  'success',
  'running',
  'pending',
  'cancelled',
] as const satisfies readonly TaskDeviceFilter[];

const isActive = (status: string) => (TASK_ACTIVE_STATUSES as readonly string[]).includes(status);
const isUnfinished = (status: string) =>
  (TASK_DEVICE_UNFINISHED_STATUSES as readonly string[]).includes(status);

function seconds(ms: number | null): string {
  return ms === null ? '—' : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** Elapsed time as people read it: 42 s, 3:05, 1:02:09. */
function elapsedText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}:${pad(m)}:${pad(s)}`;
  return m > 0 ? `${m}:${pad(s)}` : `${s} s`;
}

const ELAPSED_TICK_MS = 1000;

/** Time since the task started: ticks while it is active, stops at its finish. */
function Elapsed({ task, active }: { task: TaskDetailData['task']; active: boolean }) {
  const inBrowser = useInBrowser();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), ELAPSED_TICK_MS);
    return () => clearInterval(timer);
  }, [active]);
  const started = task.startedAt ?? (active ? task.createdAt : null);
  if (!started) return null;
  const end = task.finishedAt && !active ? Date.parse(task.finishedAt) : now;
  return (
    <span
      data-testid="task-elapsed"
      title={`Started ${inBrowser ? formatLocal(new Date(started)) : formatUtc(new Date(started))}`}
    >
      {active ? 'running for ' : 'took '}
      <span className="font-mono tabular-nums" suppressHydrationWarning>
        {elapsedText(end - Date.parse(started))}
      </span>
    </span>
  );
}

export function TaskDetail({ initial, canRun }: { initial: TaskDetailData; canRun: boolean }) {
  const id = initial.task.id;
  const qc = useQueryClient();
  const [filter, setFilter] = useState<TaskDeviceFilter>('all');
  const [page, setPage] = useState(1);
  const { data = initial } = useQuery({
    queryKey: taskPageKey(id, filter, page),
    queryFn: () => fetchJson<TaskDetailData>(`/api/tasks/${id}?status=${filter}&page=${page}`),
    initialData: filter === 'all' && page === 1 ? initial : undefined,
    placeholderData: keepPreviousData,
  });
  const live = useTaskMonitor(id);
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const { task, devices: shown, counts } = data;
  const choose = (f: TaskDeviceFilter) => {
    setFilter(f);
    setPage(1);
  };
  const active = isActive(task.status);
  const run = (fn: () => Promise<{ error?: string }>) =>
    start(async () => {
      const r = await fn();
      setError(r.error ?? null);
      void qc.invalidateQueries({ queryKey: taskKey(id) });
    });

  return (
    <div className="space-y-4">
      <div className="card space-y-3 p-4">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">{task.name}</h1>
          <TaskStatusBadge status={task.status} />
          <span className="text-xs text-slate-500">{live ? '● live' : '○ connecting…'}</span>
          <div className="ml-auto flex gap-2">
            {canRun && active && (
              <button
                type="button"
                className="btn-danger"
                disabled={pending}
                onClick={() => run(() => cancelTaskAction(id))}
              >
                Cancel
              </button>
            )}
            {canRun && !active && (counts.failed ?? 0) > 0 && (
              <button
                type="button"
                className="btn-primary"
                disabled={pending}
                onClick={() => run(() => retryFailedAction(id))}
              >
                Retry failed ({counts.failed})
              </button>
            )}
            <a className="btn-secondary" href={`/api/tasks/${id}/results?format=json`} download>
              JSON
            </a>
            <a className="btn-secondary" href={`/api/tasks/${id}/results?format=csv`} download>
              CSV
            </a>
          </div>
        </div>
        <ProgressBar
          value={task.progress}
          status={task.status}
          succeeded={counts.success ?? 0}
          failed={counts.failed ?? 0}
          total={task.totalDevices}
        />
        <div className="flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-600" data-testid="task-counts">
          <span>
            <strong data-testid="task-progress">{task.progress}%</strong> · {task.completedDevices} of{' '}
            {plural(task.totalDevices, 'device')} done
          </span>
          <span className="text-emerald-700">{counts.success ?? 0} succeeded</span>
          <span className="text-red-600">{counts.failed ?? 0} failed</span>
          {(counts.cancelled ?? 0) > 0 && <span>{counts.cancelled} cancelled</span>}
          {task.currentDevice && active && <span>now: {task.currentDevice}</span>}
          <Elapsed task={task} active={active} />
          <span>
            concurrency {task.concurrency} · timeout {task.timeoutMs / 1000} s
          </span>
        </div>
        {task.statusReason && <p className="text-sm text-amber-700">{task.statusReason}</p>}
        <TaskCommands task={task} />
        {error && <p className="field-error">{error}</p>}
      </div>

      <div className="flex flex-wrap gap-1" role="tablist" aria-label="Filter devices">
        {FILTERS.map((f) => (
          <button
            key={f}
            type="button"
            role="tab"
            aria-selected={filter === f}
            className={`rounded-md px-3 py-1 text-sm ${filter === f ? 'bg-slate-800 text-white' : 'bg-white text-slate-700 hover:bg-slate-100'}`}
            onClick={() => choose(f)}
          >
            {f} {f === 'all' ? task.totalDevices : (counts[f] ?? 0)}
          </button>
        ))}
      </div>

      <div className="card divide-y divide-slate-100" data-testid="task-devices">
        {shown.map((d) => (
          <DeviceRow key={d.id} taskId={id} row={d} />
        ))}
        {shown.length === 0 && (
          <p className="p-4 text-center text-sm text-slate-500">No devices in this state.</p>
        )}
      </div>

      <nav className="flex items-center justify-between gap-2" aria-label="Device pages">
        <button
          type="button"
          className="btn-secondary"
          disabled={data.page <= 1}
          onClick={() => setPage(Math.max(1, data.page - 1))}
        >
          Previous page
        </button>
        <span className="text-sm text-slate-600" data-testid="device-page">
          Page {data.page} of {data.pages}
        </span>
        <button
          type="button"
          className="btn-secondary"
          disabled={data.page >= data.pages}
          onClick={() => setPage(Math.min(data.pages, data.page + 1))}
        >
          Next page
        </button>
      </nav>
    </div>
  );
}

/** One device's row; its outputs are fetched when the user opens it. */
function DeviceRow({ taskId, row: d }: { taskId: string; row: TaskDeviceRow }) {
  const [open, setOpen] = useState(false);
  return (
    <details
      className="group"
      data-device={d.deviceName}
      data-status={d.status}
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2 text-sm">
        <span className="min-w-0 flex-1 truncate font-medium sm:w-44 sm:flex-none">{d.deviceName}</span>
        <TaskStatusBadge status={d.status} />
        <Attempts n={d.attempts} />
        <span className="w-16 text-right font-mono text-xs text-slate-500 sm:w-20">
          {seconds(d.durationMs)}
        </span>
        {d.error ? (
          <span className="min-w-0 basis-full truncate text-xs text-red-600 sm:flex-1 sm:basis-0">
            {d.error}
          </span>
        ) : (
          <span className="hidden flex-1 sm:block" />
        )}
        <span className="hidden text-xs text-slate-400 sm:inline sm:group-open:hidden">
          {isUnfinished(d.status) ? '' : 'show output'}
        </span>
      </summary>
      {open && <DeviceOutputs taskId={taskId} row={d} />}
    </details>
  );
}

/** How many times a device has run: shown only past the first, where it explains a result (or a slow one). */
function Attempts({ n }: { n: number }) {
  if (n < 2) return null;
  return (
    <span
      className="rounded bg-amber-50 px-1.5 py-0.5 text-[11px] text-amber-800 ring-1 ring-amber-200"
      data-testid="attempts"
      title={`Run ${n} times on this device (retried after a failure, or resumed after a restart)`}
    >
      {plural(n, 'attempt')}
    </span>
  );
}

function DeviceOutputs({ taskId, row }: { taskId: string; row: TaskDeviceRow }) {
  const { data, isPending, isError } = useQuery({
    queryKey: taskDeviceKey(taskId, row.id),
    queryFn: () => fetchJson<TaskDeviceDetail>(`/api/tasks/${taskId}/devices/${row.id}`),
  });
  return (
    <div className="space-y-2 px-4 pb-3">
      {isPending && <p className="text-xs text-slate-500">Loading output…</p>}
      {isError && <p className="field-error">Could not load the output.</p>}
      {data && data.outputs.length === 0 && (
        <p className="text-xs text-slate-500">No output{isUnfinished(row.status) ? ' yet' : ''}.</p>
      )}
      {data?.outputs.map((o, i) => (
        <CommandResult key={i} result={o} />
      ))}
    </div>
  );
}
