'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useEffect, useId, useState, type ReactNode } from 'react';
import { searchDevicesAction } from '../actions';
import type { DevicePage, DeviceRow, DeviceSearch } from './device-search';

/** Typing pauses this long before the server is asked: one request per word, not per key. */
export const PICKER_DEBOUNCE_MS = 250;

export const pickerKey = ['admin-device-search'] as const;

async function fetchPage(query: DeviceSearch): Promise<DevicePage> {
  const r = await searchDevicesAction(query);
  if ('error' in r) throw new Error(r.error);
  return r;
}

/**
 * A searchable, paginated list of the whole inventory for admins: the search runs in the database
 * and one page (25 rows) is rendered, whatever the size of the inventory. Each row gets the
 * caller's control (a checkbox, a button) in front of the device's name.
 */
export function DevicePicker({
  control,
  groupId,
  initialScope = 'all',
  toolbar,
  label,
  inputId,
}: {
  control: (row: DeviceRow) => ReactNode;
  groupId?: string;
  initialScope?: 'all' | 'in' | 'out';
  /** Shown beside the pager (e.g. "Select page"); gets the rows on screen. */
  toolbar?: (rows: DeviceRow[]) => ReactNode;
  label?: string;
  /** The search field's id, for an empty state that sends the reader to it. */
  inputId?: string;
}) {
  const t = useTranslations('admin.picker');
  const tc = useTranslations('common');
  const auto = useId();
  const id = inputId ?? auto;
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(0);
  const [scope, setScope] = useState(initialScope);
  useEffect(() => {
    const t = setTimeout(() => {
      setQ(text.trim());
      setPage(0);
    }, PICKER_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text]);
  const query: DeviceSearch = { q, page, ...(groupId ? { groupId, scope } : {}) };
  const { data, error, isFetching } = useQuery({
    queryKey: [...pickerKey, query],
    queryFn: () => fetchPage(query),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  const rows = data?.rows ?? [];
  const total = data?.total ?? 0;
  const first = total === 0 ? 0 : page * (data?.pageSize ?? 25) + 1;
  const last = Math.min(total, (page + 1) * (data?.pageSize ?? 25));
  const stale = text.trim() !== q || isFetching;
  return (
    <div className="space-y-2" aria-busy={stale}>
      <div className="flex flex-wrap items-end gap-2">
        <div className="min-w-0 flex-1 basis-48">
          <div className="flex items-baseline gap-2">
            <label htmlFor={id}>{label ?? t('find')}</label>
            {stale && <span className="text-xs text-slate-500 dark:text-slate-400">{t('searching')}</span>}
          </div>
          <input
            id={id}
            type="search"
            className="input"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('placeholder')}
            autoComplete="off"
          />
        </div>
        {groupId && (
          <div className="basis-40">
            <label htmlFor={`${id}-scope`}>{t('show')}</label>
            <select
              id={`${id}-scope`}
              className="input"
              value={scope}
              onChange={(e) => {
                setScope(e.target.value as typeof scope);
                setPage(0);
              }}
            >
              <option value="all">{t('scopeAll')}</option>
              <option value="in">{t('scopeIn')}</option>
              <option value="out">{t('scopeOut')}</option>
            </select>
          </div>
        )}
      </div>
      {error && <p className="field-error">{(error as Error).message}</p>}
      <ul
        className="divide-y divide-slate-100 rounded border border-slate-200 dark:divide-slate-800 dark:border-slate-700"
        data-testid="device-picker"
      >
        {rows.map((d) => (
          <li key={d.id} className="flex min-w-0 items-center gap-2 px-3 py-1.5 text-sm" data-device={d.name}>
            {control(d)}
            <span className="min-w-0 truncate font-medium">{d.name}</span>
            <span className="hidden truncate font-mono text-xs text-slate-500 sm:inline dark:text-slate-400">
              {d.host}
            </span>
            <span className="ml-auto shrink-0 text-xs text-slate-500 dark:text-slate-400">{d.vendor}</span>
            {d.inGroup && (
              <span className="shrink-0 rounded bg-sky-50 px-1.5 py-0.5 text-xs text-sky-800 ring-1 ring-sky-200 dark:bg-sky-950/40 dark:text-sky-200 dark:ring-sky-800">
                {t('inGroup')}
              </span>
            )}
          </li>
        ))}
        {data && rows.length === 0 && (
          <li className="flex flex-wrap items-center gap-2 px-3 py-2 text-sm text-slate-500 dark:text-slate-400">
            {t('noMatch')}
            {text.trim() !== '' && (
              <button type="button" className="btn-secondary px-2 py-1 text-xs" onClick={() => setText('')}>
                {t('clearSearch')}
              </button>
            )}
          </li>
        )}
        {!data && !error && (
          <li className="px-3 py-2 text-sm text-slate-500 dark:text-slate-400">{tc('states.loading')}</li>
        )}
      </ul>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        {toolbar?.(rows)}
        <span className="ml-auto text-slate-500 dark:text-slate-400" data-testid="picker-range">
          {t('range', { first, last, total })}
        </span>
        <button
          type="button"
          className="btn-secondary"
          aria-label={t('previous')}
          disabled={page === 0}
          onClick={() => setPage((p) => Math.max(0, p - 1))}
        >
          ‹
        </button>
        <button
          type="button"
          className="btn-secondary"
          aria-label={t('next')}
          disabled={last >= total}
          onClick={() => setPage((p) => p + 1)}
        >
          ›
        </button>
      </div>
    </div>
  );
}
