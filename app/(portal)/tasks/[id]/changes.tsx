'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import type { ChangeDiff, ChangeKind, DeviceChange } from '@/lib/automation/task-results';
import { DiffView } from './diff-view';
import { fetchJson, resultsKey } from './results-client';

/** The change kinds in the order the summary names them. */
export const CHANGE_ORDER = ['changed', 'unchanged', 'new'] as const satisfies readonly ChangeKind[];

const BADGE: Record<ChangeKind, string> = {
  changed: 'bg-amber-100 text-amber-900 dark:bg-amber-900/50 dark:text-amber-100',
  unchanged: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200',
  new: 'bg-sky-100 text-sky-900 dark:bg-sky-900/50 dark:text-sky-100',
};

const DOT: Record<ChangeKind, string> = {
  changed: 'bg-amber-500',
  unchanged: 'bg-slate-400',
  new: 'bg-sky-500',
};

/**
 * "3 changed · 5 unchanged · 0 new" against each device's previous run of the template; each count
 * is a toggle that shows only those devices.
 */
export function ChangeSummary({
  counts,
  active,
  onChoose,
}: {
  counts: Record<ChangeKind, number>;
  active: ChangeKind | null;
  onChoose: (c: ChangeKind) => void;
}) {
  const t = useTranslations('results.changes');
  return (
    <div
      className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm"
      role="group"
      aria-label={t('filterLabel')}
      data-testid="task-changes"
    >
      <span className="text-slate-600 dark:text-slate-300">{t('label')}</span>
      {CHANGE_ORDER.map((c) => (
        <button
          key={c}
          type="button"
          aria-pressed={active === c}
          data-change={c}
          className={`inline-flex items-center gap-1.5 rounded-md px-2.5 py-1 text-sm ring-1 ${
            active === c
              ? 'bg-slate-800 text-white ring-slate-800 dark:bg-slate-100 dark:text-slate-900 dark:ring-slate-100'
              : 'bg-white text-slate-800 ring-slate-200 hover:bg-slate-100 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800'
          }`}
          onClick={() => onChoose(c)}
        >
          <span aria-hidden="true" className={`h-2 w-2 rounded-full ${DOT[c]}`} />
          {t(c, { count: counts[c] })}
        </button>
      ))}
    </div>
  );
}

/** A device row's change against its previous run: a pill, with +added −removed when it changed. */
export function ChangeBadge({ change }: { change: DeviceChange | undefined }) {
  const t = useTranslations('results.changes');
  if (!change) return null;
  return (
    <span className="inline-flex items-center gap-1 whitespace-nowrap" data-change={change.change}>
      <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${BADGE[change.change]}`}>
        {t(`badge.${change.change}`)}
      </span>
      {change.change === 'changed' && (
        <span
          className="font-mono text-xs text-slate-700 dark:text-slate-300"
          title={t('linesTitle', { added: change.added, removed: change.removed })}
          data-testid="change-lines"
        >
          {t('lines', { added: change.added, removed: change.removed })}
        </span>
      )}
    </span>
  );
}

/** A device's output in this task against its previous run of the template, fetched when shown. */
export function ChangeDiffPanel({ taskId, rowId }: { taskId: string; rowId: string }) {
  const t = useTranslations('results.diff');
  const { data, isPending, isError } = useQuery({
    queryKey: [...resultsKey(taskId), 'change-diff', rowId],
    queryFn: () => fetchJson<ChangeDiff>(`/tasks/${taskId}/changes/${rowId}`),
    staleTime: Infinity, // a finished device's versions do not change
  });
  if (isPending) return <p className="text-xs text-slate-600 dark:text-slate-400">{t('loading')}</p>;
  if (isError || !data) return <p className="field-error">{t('error')}</p>;
  return (
    <div className="space-y-2" data-testid="change-diff">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs">
        <span className="font-medium text-slate-800 dark:text-slate-200">
          {t('title', { device: data.deviceName })}
        </span>
        {data.deviceId && (
          <Link
            href={`/devices/${data.deviceId}`}
            className="text-sky-700 hover:underline dark:text-sky-400"
            data-testid="device-link"
          >
            {t('devicePage')}
          </Link>
        )}
      </div>
      {data.previous === 'ok' && data.diff ? (
        <DiffView diff={data.diff} />
      ) : (
        <p className="text-xs text-slate-600 dark:text-slate-400">
          {t(data.previous === 'ok' ? 'gone' : data.previous)}
        </p>
      )}
    </div>
  );
}
