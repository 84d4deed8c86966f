'use client';

import { useTranslations } from 'next-intl';
import { useNotificationText } from '@/app/_components/notification-text';
import Link from 'next/link';
import { useCallback, useEffect, useId, useRef, useState, type RefObject } from 'react';
import { useLive } from './live-provider';
import { Time } from './time';

/**
 * Closes an open panel on Esc (focus goes back to its button, so the keyboard is where it was) and on
 * a press outside it, as people expect of any popover.
 */
function useDismiss(open: boolean, close: () => void, root: RefObject<HTMLElement | null>) {
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      close();
      root.current?.querySelector('button')?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) close();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open, close, root]);
}

/** The header bell: unread badge, recent items, mark all read. */
export function Bell() {
  const live = useLive();
  const t = useTranslations('shell.bell');
  const text = useNotificationText();
  const panelId = useId();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, close, root);
  if (!live) return null;
  return (
    <div className="relative" ref={root}>
      <button
        type="button"
        className="relative rounded-md p-1.5 text-slate-300 hover:bg-slate-800 hover:text-white"
        aria-label={t('button', { count: live.unread })}
        aria-expanded={open}
        aria-haspopup="dialog"
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        <svg
          viewBox="0 0 24 24"
          className="h-5 w-5"
          fill="none"
          stroke="currentColor"
          strokeWidth={2}
          aria-hidden
        >
          <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.7 21a2 2 0 0 1-3.4 0" />
        </svg>
        <span
          data-testid="unread-count"
          className={`absolute -top-1 -right-1 min-w-5 rounded-full px-1 text-center text-xs font-semibold ${live.unread > 0 ? 'bg-red-600 text-white' : 'hidden'}`}
        >
          {live.unread}
        </span>
      </button>
      {/* a phone is narrower than the panel: there it spans the screen below the header */}
      {open && (
        <div
          id={panelId}
          className="card fixed inset-x-2 top-14 z-40 p-2 text-slate-900 sm:absolute sm:inset-x-auto sm:top-auto sm:right-0 sm:mt-2 sm:w-96 dark:text-slate-100"
          role="dialog"
          aria-label={t('panel')}
        >
          <div className="flex items-center justify-between px-1 pb-1">
            <h2 className="text-sm font-semibold">{t('heading')}</h2>
            <button
              type="button"
              className="text-xs text-sky-700 hover:underline dark:text-sky-400"
              onClick={() => void live.markAllRead()}
            >
              {t('markAllRead')}
            </button>
          </div>
          <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto dark:divide-slate-800">
            {live.recent.length === 0 && (
              <li className="p-3 text-sm text-slate-500 dark:text-slate-400">{t('empty')}</li>
            )}
            {live.recent.map((n) => (
              <li
                key={n.id}
                className={`p-2 text-sm ${n.read ? 'text-slate-500 dark:text-slate-400' : ''}`}
                data-seq={n.seq}
              >
                <div className="flex items-start gap-2">
                  {!n.read && (
                    <span className="mt-1.5 h-2 w-2 shrink-0 rounded-full bg-sky-600 dark:bg-sky-400">
                      <span className="sr-only">{t('unread')}</span>
                    </span>
                  )}
                  <div className="flex-1">
                    {n.link ? (
                      <Link
                        href={n.link}
                        className="font-medium hover:underline"
                        onClick={() => {
                          void live.markRead(n.id);
                          setOpen(false); // the page it leads to, not the panel over it
                        }}
                      >
                        {text(n).title}
                      </Link>
                    ) : (
                      <span className="font-medium">{text(n).title}</span>
                    )}
                    {text(n).body && (
                      <div className="text-xs text-slate-500 dark:text-slate-400">{text(n).body}</div>
                    )}
                    <div className="text-xs text-slate-500 dark:text-slate-400">
                      <Time iso={n.created_at} />
                    </div>
                  </div>
                </div>
              </li>
            ))}
          </ul>
          <Link
            href="/notifications"
            className="block px-1 pt-2 text-xs text-sky-700 hover:underline dark:text-sky-400"
            onClick={() => setOpen(false)}
          >
            {t('all')}
          </Link>
        </div>
      )}
    </div>
  );
}
