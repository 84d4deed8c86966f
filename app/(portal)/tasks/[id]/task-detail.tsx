'use client';

import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { useEffect, useState, useTransition } from 'react';
import { ProgressBar } from '@/app/_components/progress-bar';
import { TaskStatusBadge } from '@/app/_components/task-status';
import { formatLocal, formatUtc, useInBrowser } from '@/app/_components/time';
import { formatDuration } from '@/lib/format/duration';
import type { ChangeKind, ChangeRowsPage, DeviceChange, TaskChanges } from '@/lib/automation/task-results';
import type { TaskDeviceDetail, TaskDeviceFilter, TaskDeviceRow } from '@/lib/tasks/service';
import { isFinal, TASK_ACTIVE_STATUSES, TASK_DEVICE_UNFINISHED_STATUSES } from '@/lib/tasks/status';
import { cancelTaskAction, retryFailedAction, runAgainAction } from '../actions';
import { HttpError } from '../http-error';
import { LiveState } from '../live-state';
import { localiseTaskError, type TranslateTaskError } from '../task-errors';
import { ChangeBadge, ChangeDiffPanel, ChangeSummary } from './changes';
import { CommandResult } from './command-result';
import { OutputGroups } from './output-groups';
import { fetchJson, resultsKey } from './results-client';
import { ResultsSearch } from './results-search';
import { TaskCommands } from './task-commands';
import {
  taskDeviceKey,
  taskKey,
  taskPageKey,
  useTaskMonitor,
  type TaskDetailData,
} from '../use-task-monitor';

/** Filter buttons, in the order shown (most wanted first). */
const FILTERS = [
  'all',
  'failed',
  'success',
  'running',
  'pending',
  'cancelled',
  'skipped',
] as const satisfies readonly TaskDeviceFilter[];

const isActive = (status: string) => (TASK_ACTIVE_STATUSES as readonly string[]).includes(status);
const isUnfinished = (status: string) =>
  (TASK_DEVICE_UNFINISHED_STATUSES as readonly string[]).includes(status);

/** A filter's name: "all", or the status as the pills say it. */
function useFilterLabel(): (f: TaskDeviceFilter) => string {
  const t = useTranslations('tasks.detail');
  const ts = useTranslations('common.taskStatus');
  return (f) => (f === 'all' ? t('filterAll') : ts(f));
}

/** A device's run time: to the hundredth under ten seconds, then tenths, then minutes and seconds. */
function useDeviceTime(): (ms: number | null) => string {
  const t = useTranslations('tasks.detail');
  const format = useFormatter();
  const locale = useLocale();
  return (ms) => {
    if (ms === null) return '—';
    if (ms >= 60_000) return formatDuration(ms, locale);
    const digits = ms < 10_000 ? 2 : 1;
    return t('seconds', {
      value: format.number(ms / 1000, { minimumFractionDigits: digits, maximumFractionDigits: digits }),
    });
  };
}

const ELAPSED_TICK_MS = 1000;

/** Time since the task started: ticks while it is active, stops at its finish. */
function Elapsed({ task, active }: { task: TaskDetailData['task']; active: boolean }) {
  const t = useTranslations('tasks.detail');
  const locale = useLocale();
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
  const duration = formatDuration(end - Date.parse(started), locale);
  const time = inBrowser ? formatLocal(new Date(started)) : formatUtc(new Date(started));
  return (
    <span data-testid="task-elapsed" title={t('started', { time })} suppressHydrationWarning>
      {t.rich(active ? 'runningFor' : 'took', {
        duration,
        d: (chunks) => (
          <span className="tabular-nums" suppressHydrationWarning>
            {chunks}
          </span>
        ),
      })}
    </span>
  );
}

export function TaskDetail({
  initial,
  initialChanges,
  canRun,
}: {
  initial: TaskDetailData;
  /** The first page's changes against the previous run (server-rendered); `templated` false: none. */
  initialChanges: TaskChanges;
  canRun: boolean;
}) {
  const tc = useTranslations('results.changes');
  const t = useTranslations('tasks.detail');
  const tTasks = useTranslations('tasks');
  const tErrors = useTranslations('tasks.errors');
  const tr: TranslateTaskError = (key, values) => tErrors(key, values);
  const locale = useLocale();
  const filterLabel = useFilterLabel();
  const id = initial.task.id;
  const qc = useQueryClient();
  const [filter, setFilter] = useState<TaskDeviceFilter>('all');
  const [page, setPage] = useState(1);
  const { data = initial, error: loadError } = useQuery({
    queryKey: taskPageKey(id, filter, page),
    queryFn: () => fetchJson<TaskDetailData>(`/api/tasks/${id}?status=${filter}&page=${page}`),
    initialData: filter === 'all' && page === 1 ? initial : undefined,
    placeholderData: keepPreviousData,
  });
  const live = useTaskMonitor(id);
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const { task, devices: statusRows, counts } = data;
  const templated = initialChanges.templated;
  const succeeded = counts.success ?? 0;
  // a change filter (changed / unchanged / new) lists its own rows, a page at a time
  const [change, setChange] = useState<ChangeKind | null>(null);
  const [changePage, setChangePage] = useState(1);
  const changeRows = useQuery({
    // refetched as devices succeed (the monitor refreshes the page's counts as they do)
    queryKey: [...resultsKey(id), 'change-rows', change, changePage, succeeded, task.status],
    queryFn: () => fetchJson<ChangeRowsPage>(`/tasks/${id}/changes?change=${change}&page=${changePage}`),
    enabled: templated && change !== null,
    placeholderData: keepPreviousData,
  });
  const byChange = templated && change !== null;
  const shown = byChange ? (changeRows.data?.devices ?? []) : statusRows;
  const rowKey = shown.map((r) => r.id).join(',');
  const initialRowKey = initial.devices.map((r) => r.id).join(',');
  const changes = useQuery({
    queryKey: [...resultsKey(id), 'changes', rowKey, succeeded, task.status],
    queryFn: () => fetchJson<TaskChanges>(`/tasks/${id}/changes?rows=${rowKey}`),
    enabled: templated,
    initialData:
      rowKey === initialRowKey &&
      succeeded === (initial.counts.success ?? 0) &&
      task.status === initial.task.status
        ? initialChanges
        : undefined,
    placeholderData: keepPreviousData,
  });
  const rowChanges: Record<string, DeviceChange> = {
    ...changes.data?.rows,
    ...(byChange ? changeRows.data?.changes : {}),
  };
  const choose = (f: TaskDeviceFilter) => {
    setFilter(f);
    setPage(1);
    setChange(null);
  };
  const chooseChange = (c: ChangeKind) => {
    setChange(change === c ? null : c);
    setChangePage(1);
    setFilter('all');
    setPage(1);
  };
  const pager = byChange
    ? { page: changeRows.data?.page ?? 1, pages: changeRows.data?.pages ?? 1, go: setChangePage }
    : { page: data.page, pages: data.pages, go: setPage };
  const active = isActive(task.status);
  const failedCount = counts.failed ?? 0;
  const run = (fn: () => Promise<{ error?: string }>, done: string) =>
    start(async () => {
      const r = await fn();
      setError(r.error ?? null);
      setNotice(r.error ? null : done);
      setConfirming(false);
      void qc.invalidateQueries({ queryKey: taskKey(id) });
    });

  return (
    <div className="space-y-4">
      <div className="card space-y-3 p-4">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
          <h1 className="min-w-0 text-2xl font-semibold tracking-tight [overflow-wrap:anywhere]">
            {task.name}
          </h1>
          <TaskStatusBadge status={task.status} />
          <LiveState live={live} />
          <div className="flex w-full flex-wrap gap-2 sm:ml-auto sm:w-auto">
            {canRun && active && !confirming && (
              <button
                type="button"
                className="btn-danger"
                disabled={pending}
                onClick={() => setConfirming(true)}
              >
                {t('cancel')}
              </button>
            )}
            {canRun && !active && failedCount > 0 && (
              <button
                type="button"
                className="btn-primary"
                disabled={pending}
                onClick={() => run(() => retryFailedAction(id), t('retrying', { count: failedCount }))}
              >
                {t('retryFailed', { count: failedCount })}
              </button>
            )}
            {canRun && !active && (
              <button
                type="button"
                className="btn-secondary"
                disabled={pending}
                data-testid="run-again"
                onClick={() => run(() => runAgainAction(id), t('runAgainStarted'))}
              >
                {t('runAgain')}
              </button>
            )}
            <a
              className="btn-secondary"
              href={`/api/tasks/${id}/results?format=json`}
              download
              aria-label={t('download', { format: 'JSON' })}
              title={t('download', { format: 'JSON' })}
            >
              JSON
            </a>
            <a
              className="btn-secondary"
              href={`/api/tasks/${id}/results?format=csv`}
              download
              aria-label={t('download', { format: 'CSV' })}
              title={t('download', { format: 'CSV' })}
            >
              CSV
            </a>
          </div>
        </div>
        {canRun && active && confirming && (
          <div
            role="group"
            aria-label={t('confirmGroup')}
            className="flex flex-wrap items-center gap-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/40 dark:text-red-200"
          >
            <p className="min-w-0 flex-1 basis-64">{t('cancelConfirm')}</p>
            <button
              type="button"
              className="btn-danger"
              disabled={pending}
              onClick={() => run(() => cancelTaskAction(id), t('cancelled'))}
            >
              {t('cancelYes')}
            </button>
            <button type="button" className="btn-secondary" onClick={() => setConfirming(false)}>
              {t('cancelNo')}
            </button>
          </div>
        )}
        <ProgressBar
          value={task.progress}
          status={task.status}
          succeeded={counts.success ?? 0}
          failed={failedCount}
          total={task.totalDevices}
        />
        <div
          className="flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-600 dark:text-slate-300"
          data-testid="task-counts"
        >
          <span>
            <strong data-testid="task-progress">{task.progress}%</strong> ·{' '}
            {t('doneOf', { done: task.completedDevices, total: task.totalDevices })}
          </span>
          <span className="text-emerald-700 dark:text-emerald-400">
            {t('succeeded', { count: counts.success ?? 0 })}
          </span>
          <span className="text-red-600 dark:text-red-400">{t('failed', { count: failedCount })}</span>
          {(counts.skipped ?? 0) > 0 && <span>{t('skippedCount', { count: counts.skipped ?? 0 })}</span>}
          {(counts.cancelled ?? 0) > 0 && (
            <span>{t('cancelledCount', { count: counts.cancelled ?? 0 })}</span>
          )}
          {task.currentDevice && active && <span>{t('now', { device: task.currentDevice })}</span>}
          <Elapsed task={task} active={active} />
          <span>
            {t('settings', {
              concurrency: task.concurrency,
              timeout: formatDuration(task.timeoutMs, locale),
            })}
          </span>
        </div>
        {task.statusReason && (
          <p className="text-sm text-amber-700 dark:text-amber-300">
            {localiseTaskError(task.statusReason, tr)}
          </p>
        )}
        {templated && (
          <ChangeSummary
            counts={changes.data?.counts ?? initialChanges.counts}
            active={change}
            onChoose={chooseChange}
          />
        )}
        <TaskCommands task={task} />
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
        <p role="status" className="text-sm text-slate-700 empty:hidden dark:text-slate-300">
          {notice}
        </p>
        {loadError && (
          <p role="alert" className="field-error">
            {tTasks('loadError', { status: loadError instanceof HttpError ? loadError.status : 0 })}
          </p>
        )}
      </div>

      {task.totalDevices > 0 && (
        <div className="grid items-start gap-4 lg:grid-cols-2">
          <ResultsSearch taskId={id} />
          {isFinal(task.status) && succeeded >= 2 && (
            <OutputGroups taskId={id} stamp={`${task.status}|${task.finishedAt}|${succeeded}`} />
          )}
        </div>
      )}

      <div className="flex flex-wrap gap-1" role="group" aria-label={t('filterLabel')}>
        {FILTERS.map((f) => (
          <button
            key={f}
            type="button"
            aria-pressed={filter === f && !byChange}
            className={`rounded-md px-3 py-1 text-sm ring-1 ${
              filter === f && !byChange
                ? 'bg-slate-800 text-white ring-slate-800 dark:bg-slate-100 dark:text-slate-900 dark:ring-slate-100'
                : 'bg-white text-slate-700 ring-slate-200 hover:bg-slate-100 dark:bg-slate-900 dark:text-slate-200 dark:ring-slate-700 dark:hover:bg-slate-800'
            }`}
            onClick={() => choose(f)}
          >
            {t('filterCount', {
              status: filterLabel(f),
              count: f === 'all' ? task.totalDevices : (counts[f] ?? 0),
            })}
          </button>
        ))}
      </div>

      <div
        className="space-y-2 sm:card sm:space-y-0 sm:divide-y sm:divide-slate-100 sm:dark:divide-slate-800"
        data-testid="task-devices"
      >
        {shown.length > 0 && (
          <div
            aria-hidden="true"
            className="hidden gap-x-3 px-4 py-2 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase sm:flex dark:text-slate-400"
          >
            <span className="w-44 flex-none">{t('table.device')}</span>
            <span className="w-24 flex-none">{t('table.status')}</span>
            {templated && <span className="w-32 flex-none">{tc('column')}</span>}
            <span className="w-20 flex-none text-right">{t('table.time')}</span>
            <span className="flex-1">{t('table.result')}</span>
          </div>
        )}
        {shown.map((d) => (
          <DeviceRow key={d.id} taskId={id} row={d} templated={templated} change={rowChanges[d.id]} />
        ))}
        {shown.length === 0 && (
          <div className="card p-6 text-center text-sm text-slate-600 sm:border-0 sm:shadow-none dark:text-slate-400">
            {byChange ? (
              changeRows.isPending ? null : (
                <>
                  <p data-testid="task-devices-empty">
                    {change === 'changed'
                      ? tc('emptyChanged')
                      : change === 'unchanged'
                        ? tc('emptyUnchanged')
                        : tc('emptyNew')}
                  </p>
                  <button type="button" className="btn-secondary mt-3" onClick={() => setChange(null)}>
                    {tc('showAll')}
                  </button>
                </>
              )
            ) : filter === 'all' ? (
              <p>{t('noDevices')}</p>
            ) : (
              <>
                <p data-testid="task-devices-empty">{t('emptyFilter', { status: filterLabel(filter) })}</p>
                <button type="button" className="btn-secondary mt-3" onClick={() => choose('all')}>
                  {t('showAll')}
                </button>
              </>
            )}
          </div>
        )}
      </div>

      <nav className="flex items-center justify-between gap-2" aria-label={t('pagesLabel')}>
        <button
          type="button"
          className="btn-secondary"
          disabled={pager.page <= 1}
          onClick={() => pager.go(Math.max(1, pager.page - 1))}
        >
          {t('previousPage')}
        </button>
        <span className="text-sm text-slate-600 dark:text-slate-300" data-testid="device-page">
          <PageOf page={pager.page} pages={pager.pages} />
        </span>
        <button
          type="button"
          className="btn-secondary"
          disabled={pager.page >= pager.pages}
          onClick={() => pager.go(Math.min(pager.pages, pager.page + 1))}
        >
          {t('nextPage')}
        </button>
      </nav>
    </div>
  );
}

function PageOf({ page, pages }: { page: number; pages: number }) {
  const t = useTranslations('common.pager');
  return <>{t('page', { page, pages })}</>;
}

/**
 * One device: a card on a phone (name and status, then its result and time), a row from sm up.
 * Its outputs are fetched when the user opens it.
 */
function DeviceRow({
  taskId,
  row: d,
  templated,
  change,
}: {
  taskId: string;
  row: TaskDeviceRow;
  templated: boolean;
  change: DeviceChange | undefined;
}) {
  const t = useTranslations('tasks.detail');
  const deviceTime = useDeviceTime();
  const tErrors = useTranslations('tasks.errors');
  const tr: TranslateTaskError = (key, values) => tErrors(key, values);
  const [open, setOpen] = useState(false);
  const result = d.error
    ? null
    : d.status === 'success'
      ? t('resultOk')
      : d.status === 'pending'
        ? t('resultWaiting')
        : d.status === 'running'
          ? t('resultRunning')
          : d.status === 'cancelled'
            ? t('resultCancelled')
            : d.status === 'skipped'
              ? t('resultSkipped')
              : '';
  return (
    <details
      className="group card sm:rounded-none sm:border-0 sm:bg-transparent sm:shadow-none sm:dark:bg-transparent"
      data-device={d.deviceName}
      data-status={d.status}
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary className="flex cursor-pointer list-none flex-wrap items-center gap-x-3 gap-y-1 rounded-lg px-3 py-2 text-sm hover:bg-slate-50 sm:flex-nowrap sm:rounded-none sm:px-4 dark:hover:bg-slate-800/60 [&::-webkit-details-marker]:hidden">
        <span className="min-w-0 flex-1 truncate font-medium sm:w-44 sm:flex-none">{d.deviceName}</span>
        <span className="flex-none sm:w-24">
          <TaskStatusBadge status={d.status} />
        </span>
        {templated && (
          <span className="flex-none sm:w-32" data-testid="device-change">
            <ChangeBadge change={change} />
          </span>
        )}
        <Attempts n={d.attempts} />
        <span
          aria-hidden="true"
          className="flex-none text-xs text-slate-500 transition-transform group-open:rotate-90 sm:hidden dark:text-slate-400"
        >
          ▶
        </span>
        <span className="flex min-w-0 basis-full items-center gap-3 sm:flex-1 sm:basis-0">
          <span className="order-2 ml-auto flex-none text-right font-mono text-xs text-slate-600 sm:order-1 sm:ml-0 sm:w-20 dark:text-slate-400">
            {deviceTime(d.durationMs)}
          </span>
          {d.error ? (
            <span
              className={`order-1 min-w-0 flex-1 truncate text-xs sm:order-2 ${
                d.status === 'skipped'
                  ? 'text-slate-600 dark:text-slate-400'
                  : 'text-red-700 dark:text-red-400'
              }`}
              title={d.error}
            >
              {localiseTaskError(d.error, tr)}
            </span>
          ) : (
            <span className="order-1 min-w-0 flex-1 truncate text-xs text-slate-600 sm:order-2 dark:text-slate-400">
              {result}
            </span>
          )}
        </span>
        <span className="hidden flex-none text-xs text-slate-500 sm:inline sm:group-open:hidden dark:text-slate-400">
          {isUnfinished(d.status) ? '' : t('showOutput')}
        </span>
      </summary>
      {open &&
        (change?.change === 'changed' ? (
          <ChangedDevice taskId={taskId} row={d} />
        ) : (
          <DeviceOutputs taskId={taskId} row={d} />
        ))}
    </details>
  );
}

/** How many times a device has run: shown only past the first, where it explains a result (or a slow one). */
function Attempts({ n }: { n: number }) {
  const t = useTranslations('tasks.detail');
  if (n < 2) return null;
  return (
    <span
      className="flex-none rounded bg-amber-50 px-1.5 py-0.5 text-[11px] text-amber-800 ring-1 ring-amber-200 dark:bg-amber-950/40 dark:text-amber-200 dark:ring-amber-800"
      data-testid="attempts"
      title={t('attemptsTitle', { count: n })}
    >
      {t('attempts', { count: n })}
    </span>
  );
}

function DeviceOutputs({ taskId, row }: { taskId: string; row: TaskDeviceRow }) {
  const t = useTranslations('tasks.detail');
  const { data, isPending, isError } = useQuery({
    queryKey: taskDeviceKey(taskId, row.id),
    queryFn: () => fetchJson<TaskDeviceDetail>(`/api/tasks/${taskId}/devices/${row.id}`),
  });
  return (
    <div className="space-y-2 px-3 pb-3 sm:px-4">
      {isPending && <p className="text-xs text-slate-600 dark:text-slate-400">{t('loadingOutput')}</p>}
      {isError && <p className="field-error">{t('outputError')}</p>}
      {data && data.outputs.length === 0 && (
        <p className="text-xs text-slate-600 dark:text-slate-400">
          {isUnfinished(row.status) ? t('noOutputYet') : t('noOutput')}
        </p>
      )}
      {data?.outputs.map((o, i) => (
        <CommandResult key={i} result={o} />
      ))}
    </div>
  );
}

/** A device that changed since its previous run opens on its diff, its output one click away. */
function ChangedDevice({ taskId, row }: { taskId: string; row: TaskDeviceRow }) {
  const t = useTranslations('results.diff');
  const [view, setView] = useState<'diff' | 'output'>('diff');
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-1 px-3 sm:px-4" role="group" aria-label={t('viewLabel')}>
        {(['diff', 'output'] as const).map((v) => (
          <button
            key={v}
            type="button"
            aria-pressed={view === v}
            className={`rounded-md px-2.5 py-1 text-xs ring-1 ${
              view === v
                ? 'bg-slate-800 text-white ring-slate-800 dark:bg-slate-100 dark:text-slate-900 dark:ring-slate-100'
                : 'bg-white text-slate-700 ring-slate-200 hover:bg-slate-100 dark:bg-slate-900 dark:text-slate-200 dark:ring-slate-700 dark:hover:bg-slate-800'
            }`}
            onClick={() => setView(v)}
          >
            {v === 'diff' ? t('showDiff') : t('showOutput')}
          </button>
        ))}
      </div>
      {view === 'diff' ? (
        <div className="px-3 pb-3 sm:px-4">
          <ChangeDiffPanel taskId={taskId} rowId={row.id} />
        </div>
      ) : (
        <DeviceOutputs taskId={taskId} row={row} />
      )}
    </div>
  );
}
