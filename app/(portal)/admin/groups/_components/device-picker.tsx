'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
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
  label = 'Find devices',
}: {
  control: (row: DeviceRow) => ReactNode;
  groupId?: string;
  initialScope?: 'all' | 'in' | 'out';
  /** Shown beside the pager (e.g. "Select page"); gets the rows on screen. */
  toolbar?: (rows: DeviceRow[]) => ReactNode;
  label?: string;
}) {
  const id = useId();
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
            <label htmlFor={`${id}-q`}>{label}</label>
            {stale && <span className="text-xs text-slate-400">searching…</span>}
          </div>
          <input
            id={`${id}-q`}
            type="search"
            className="input"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Name, host or vendor"
            autoComplete="off"
          />
        </div>
        {groupId && (
          <div className="basis-40">
            <label htmlFor={`${id}-scope`}>Show</label>
            <select
              id={`${id}-scope`}
              className="input"
              value={scope}
              onChange={(e) => {
                setScope(e.target.value as typeof scope);
                setPage(0);
              }}
            >
              <option value="all">All devices</option>
              <option value="in">In this group</option>
              <option value="out">Not in this group</option>
            </select>
          </div>
        )}
      </div>
      {error && <p className="field-error">{(error as Error).message}</p>}
      <ul className="divide-y divide-slate-100 rounded border border-slate-200" data-testid="device-picker">
        {rows.map((d) => (
          <li key={d.id} className="flex min-w-0 items-center gap-2 px-3 py-1.5 text-sm" data-device={d.name}>
            {control(d)}
            <span className="min-w-0 truncate font-medium">{d.name}</span>
            <span className="hidden truncate font-mono text-xs text-slate-500 sm:inline">{d.host}</span>
            <span className="ml-auto shrink-0 text-xs text-slate-500">{d.vendor}</span>
            {d.inGroup && (
              <span className="shrink-0 rounded bg-sky-50 px-1.5 py-0.5 text-xs text-sky-800 ring-1 ring-sky-200">
                in group
              </span>
            )}
          </li>
        ))}
        {data && rows.length === 0 && <li className="px-3 py-2 text-sm text-slate-500">No devices match.</li>}
        {!data && !error && <li className="px-3 py-2 text-sm text-slate-400">Loading…</li>}
      </ul>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        {toolbar?.(rows)}
        <span className="ml-auto text-slate-500" data-testid="picker-range">
          {first}–{last} of {total}
        </span>
        <button
          type="button"
          className="btn-secondary"
          aria-label="Previous page"
          disabled={page === 0}
          onClick={() => setPage((p) => Math.max(0, p - 1))}
        >
          ‹
        </button>
        <button
          type="button"
          className="btn-secondary"
          aria-label="Next page"
          disabled={last >= total}
          onClick={() => setPage((p) => p + 1)}
        >
          ›
        </button>
      </div>
    </div>
  );
}
