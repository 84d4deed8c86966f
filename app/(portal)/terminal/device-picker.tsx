'use client';

import { useTranslations } from 'next-intl';
import { useMemo, useState } from 'react';
import { StatusDot } from '@/app/_components/status-badge';

export interface PickableDevice {
  id: string;
  name: string;
  host: string;
  vendor: string;
  status: string;
  /** The user may only view it: its terminal is read-only (guard rails). */
  readOnly?: boolean;
}

/** The picker lists this many matches at most (typing narrows it down). */
const PICKER_MAX = 200;

/**
 * The device picker of "+ New tab" (and of the start panel): a filter box and the devices the user may
 * see (those they may only view marked read-only), each with its live status dot. Fixed, so it hangs below the button that opened it, over
 * the terminal, clamped to the screen by the caller.
 */
export function DevicePicker({
  devices,
  statuses,
  position,
  onPick,
  onClose,
}: {
  devices: PickableDevice[];
  /** Live statuses pushed since the page loaded, by device id. */
  statuses?: Record<string, string>;
  position: { top: number; left: number };
  onPick(device: PickableDevice): void;
  onClose(): void;
}) {
  const t = useTranslations('terminal.picker');
  const [filter, setFilter] = useState('');
  const matching = useMemo(
    () =>
      devices.filter((d) => `${d.name} ${d.host} ${d.vendor}`.toLowerCase().includes(filter.toLowerCase())),
    [devices, filter],
  );
  const shown = matching.slice(0, PICKER_MAX);
  return (
    <div
      className="card fixed z-30 w-80 max-w-[calc(100vw-1rem)] p-2 text-slate-900 shadow-lg dark:border-slate-700 dark:text-slate-100"
      style={{ top: position.top, left: position.left }}
      role="dialog"
      aria-label={t('label')}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <input
        autoFocus
        className="input mt-0"
        placeholder={t('filter')}
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        aria-label={t('filter')}
      />
      <ul className="mt-2 max-h-72 overflow-y-auto text-sm">
        {shown.map((d) => (
          <li key={d.id}>
            <button
              type="button"
              className="flex w-full items-center justify-between gap-2 rounded px-2 py-1 text-left hover:bg-sky-50 dark:hover:bg-slate-800"
              onClick={() => onPick(d)}
            >
              {/* the dot shows first, but is read after the name */}
              <span className="flex min-w-0 items-center gap-2">
                <span className="truncate font-medium">{d.name}</span>
                {d.readOnly && (
                  <span className="shrink-0 rounded bg-slate-200 px-1.5 text-xs leading-5 text-slate-700 dark:bg-slate-700 dark:text-slate-200">
                    {t('readOnly')}
                  </span>
                )}
                <span className="order-first flex">
                  <StatusDot status={statuses?.[d.id] ?? d.status} />
                </span>
              </span>
              <span className="shrink-0 font-mono text-xs text-slate-500 dark:text-slate-400">{d.host}</span>
            </button>
          </li>
        ))}
        {devices.length === 0 && (
          <li className="px-2 py-1 text-slate-500 dark:text-slate-400">{t('noDevices')}</li>
        )}
        {devices.length > 0 && shown.length === 0 && (
          <li className="flex flex-wrap items-center gap-2 px-2 py-1 text-slate-500 dark:text-slate-400">
            {t('noMatch', { filter })}
            <button
              type="button"
              className="text-sky-700 underline hover:text-sky-900 dark:text-sky-400 dark:hover:text-sky-300"
              onClick={() => setFilter('')}
            >
              {t('clearFilter')}
            </button>
          </li>
        )}
      </ul>
      {matching.length > PICKER_MAX && (
        <p className="mt-1 px-2 text-xs text-slate-500 dark:text-slate-400">
          {t('more', { count: PICKER_MAX })}
        </p>
      )}
    </div>
  );
}
