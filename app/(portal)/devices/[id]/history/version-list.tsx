'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Time } from '@/app/_components/time';
import type { HistoryVersion } from '@/lib/devices/history-page';
import { downloadHref, historyHref, sizeParts, type HistoryParams } from './urls';

const link = 'text-sky-700 hover:underline dark:text-sky-400';

/** new / changed (+a −r) / unchanged, in words and colour. */
export function ChangeBadge({ v }: { v: Pick<HistoryVersion, 'change' | 'added' | 'removed'> }) {
  const t = useTranslations('history');
  const tone = {
    new: 'bg-sky-100 text-sky-800 dark:bg-sky-900/60 dark:text-sky-200',
    changed: 'bg-amber-100 text-amber-900 dark:bg-amber-900/50 dark:text-amber-200',
    unchanged: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
  }[v.change];
  return (
    <span className="inline-flex items-center gap-1.5 text-xs whitespace-nowrap" data-change={v.change}>
      <span className={`rounded px-1.5 py-0.5 font-medium ${tone}`}>{t(`change.${v.change}`)}</span>
      {v.change === 'changed' && (
        <span
          className="font-mono"
          aria-label={t('change.countsLabel', { added: v.added, removed: v.removed })}
          data-testid="change-counts"
        >
          <span className="text-emerald-700 dark:text-emerald-300">+{v.added}</span>{' '}
          <span className="text-red-700 dark:text-red-300">−{v.removed}</span>
        </span>
      )}
    </span>
  );
}

export function Size({ bytes }: { bytes: number }) {
  const t = useTranslations('history');
  const s = sizeParts(bytes);
  return <>{t(`size.${s.unit}`, { value: s.value })}</>;
}

/**
 * The versions of one template, newest first: tick two and Compare (the selection keeps the last
 * two ticked); each version can be viewed, downloaded or compared with the one before it.
 */
export function VersionList({
  deviceId,
  base,
  versions,
  selected,
  viewing,
}: {
  deviceId: string;
  /** The list's own place (template, page): kept in every link. */
  base: Pick<HistoryParams, 'template' | 'page'>;
  versions: HistoryVersion[];
  /** The versions being compared, if any. */
  selected: string[];
  viewing: string | null;
}) {
  const t = useTranslations('history');
  const router = useRouter();
  const [pending, start] = useTransition();
  const [sel, setSel] = useState<string[]>(selected);
  const toggle = (id: string) =>
    setSel((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id].slice(-2)));
  const compare = () => {
    const [from, to] = sel;
    if (!from || !to) return;
    start(() => router.push(historyHref(deviceId, { ...base, from, to })));
  };

  return (
    <div className="space-y-2">
      <div
        className="sticky top-0 z-10 -mx-4 flex flex-wrap items-center gap-3 border-b border-slate-200 bg-white/95 px-4 py-2 dark:border-slate-800 dark:bg-slate-900/95"
        data-testid="compare-bar"
      >
        <button
          type="button"
          className="btn-primary min-h-11"
          disabled={sel.length !== 2 || pending}
          onClick={compare}
        >
          {t('list.compare')}
        </button>
        <span className="text-xs text-slate-600 dark:text-slate-400" aria-live="polite">
          {sel.length === 2 ? t('list.selected', { count: 2 }) : t('list.compareHint')}
        </span>
        {sel.length > 0 && (
          <button
            type="button"
            className="min-h-11 text-xs text-sky-700 hover:underline dark:text-sky-400"
            onClick={() => setSel([])}
          >
            {t('list.clear')}
          </button>
        )}
      </div>
      <ul
        className="divide-y divide-slate-100 text-sm dark:divide-slate-800"
        aria-label={t('list.label')}
        data-testid="history-versions"
      >
        {versions.map((v) => {
          const on = sel.includes(v.id);
          return (
            <li
              key={v.id}
              className={`flex flex-wrap items-center gap-x-3 gap-y-1 rounded px-1 py-2 ${on ? 'bg-sky-50 dark:bg-sky-950/40' : ''}`}
              data-version={v.id}
              data-task={v.task?.id ?? ''}
              aria-current={viewing === v.id ? 'true' : undefined}
            >
              <label className="-my-1 flex min-h-11 cursor-pointer items-center gap-2 pl-1 font-normal">
                <input
                  type="checkbox"
                  className="h-5 w-5 accent-sky-700"
                  checked={on}
                  onChange={() => toggle(v.id)}
                  data-testid="select-version"
                />
                <span className="sr-only">{t('list.select')}: </span>
                <Time iso={v.createdAt} className="font-mono text-xs text-slate-800 dark:text-slate-200" />
              </label>
              <ChangeBadge v={v} />
              <span className="min-w-0 text-xs break-all text-slate-600 dark:text-slate-400">
                {v.task ? (
                  v.task.visible ? (
                    <Link href={`/tasks/${v.task.id}`} className={link} data-testid="version-task">
                      {v.task.name}
                    </Link>
                  ) : (
                    <>
                      {v.task.name} ({t('list.taskHidden')})
                    </>
                  )
                ) : (
                  t('list.taskGone')
                )}
              </span>
              <span className="text-xs text-slate-600 dark:text-slate-400">
                <Size bytes={v.bytes} />
              </span>
              <span className="ml-auto flex flex-wrap items-center gap-x-3 text-xs">
                <Link
                  href={historyHref(deviceId, { ...base, view: v.id })}
                  className={`inline-flex min-h-11 items-center ${link}`}
                >
                  {t('list.view')}
                </Link>
                <a
                  href={downloadHref(deviceId, v.id)}
                  className={`inline-flex min-h-11 items-center ${link}`}
                  download
                >
                  {t('list.download')}
                </a>
                {v.previousId && v.change !== 'new' && (
                  <Link
                    href={historyHref(deviceId, { ...base, from: v.previousId, to: v.id })}
                    className={`inline-flex min-h-11 items-center ${link}`}
                  >
                    {t('list.diffPrevious')}
                  </Link>
                )}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
