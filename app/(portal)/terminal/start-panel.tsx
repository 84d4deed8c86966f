'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { StatusDot } from '@/app/_components/status-badge';
import type { PickableDevice } from './device-picker';

/**
 * What the terminal page shows with no tab open: what a tab is, the device picker, and the devices
 * this browser opened tabs to lately.
 */
export function StartPanel({
  loaded,
  hasDevices,
  recent,
  statuses,
  pickerOpen,
  onChoose,
  onOpen,
}: {
  /** False until the saved tabs were read: a reload with tabs must not flash this panel's text. */
  loaded: boolean;
  hasDevices: boolean;
  recent: PickableDevice[];
  statuses?: Record<string, string>;
  pickerOpen: boolean;
  onChoose(anchor: HTMLButtonElement): void;
  onOpen(device: PickableDevice): void;
}) {
  const t = useTranslations('terminal.empty');
  return (
    <section
      className="card flex flex-1 flex-col items-center justify-center gap-3 overflow-y-auto p-6 text-center"
      aria-labelledby="terminal-start"
      aria-busy={!loaded}
    >
      {loaded ? (
        <>
          <h2 id="terminal-start" className="text-base font-semibold">
            {t('heading')}
          </h2>
          <p className="max-w-md text-sm text-slate-600 dark:text-slate-300">{t('body')}</p>
          <p className="max-w-md text-sm text-slate-500 dark:text-slate-400">{t('more')}</p>
          {hasDevices ? (
            <button
              type="button"
              className="btn-primary"
              onClick={(e) => onChoose(e.currentTarget)}
              aria-haspopup="dialog"
              aria-expanded={pickerOpen}
            >
              {t('choose')}
            </button>
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-300">
              {t('noDevices')}{' '}
              <Link href="/devices" className="text-sky-700 underline dark:text-sky-400">
                {t('toDevices')}
              </Link>
            </p>
          )}
          {recent.length > 0 && (
            <div className="mt-2 w-full max-w-md">
              <h3 className="text-xs font-semibold text-slate-600 uppercase dark:text-slate-400">
                {t('recent')}
              </h3>
              <ul className="mt-2 flex flex-wrap justify-center gap-2" data-testid="terminal-recent">
                {recent.map((d) => (
                  <li key={d.id}>
                    <button
                      type="button"
                      className="btn-secondary flex items-center gap-2"
                      onClick={() => onOpen(d)}
                    >
                      <StatusDot status={statuses?.[d.id] ?? d.status} />
                      <span className="font-medium">{d.name}</span>
                      <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{d.host}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      ) : (
        <p id="terminal-start" className="text-sm text-slate-500 dark:text-slate-400">
          {t('loading')}
        </p>
      )}
    </section>
  );
}
