'use client';

import { useTranslations } from 'next-intl';
import { useNotificationText } from '@/app/_components/notification-text';
import Link from 'next/link';
import type { NotificationFrame } from '@/lib/realtime/protocol';

/**
 * Fresh notifications in the bottom-right corner (the live provider decides which and for how long);
 * each can be dismissed at once, so none stays over what the user wants to click.
 * The region is always in the page, so a screen reader announces each toast as it is added.
 */
export function Toasts({
  toasts,
  onDismiss,
}: {
  toasts: NotificationFrame[];
  onDismiss: (id: string) => void;
}) {
  const t = useTranslations('shell.toasts');
  const text = useNotificationText();
  return (
    <div
      // the gaps between toasts are not part of them: a click there reaches the page beneath
      className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-80 max-w-[calc(100vw-2rem)] flex-col gap-2"
      aria-live="polite"
      aria-relevant="additions"
      data-testid="toasts"
    >
      {toasts.map((n) => (
        <div
          key={n.id}
          className="card pointer-events-auto relative border-l-4 border-l-sky-600 p-3 pr-9 text-sm break-words shadow-lg dark:border-l-sky-400"
          data-kind={n.kind}
          data-toast={n.id}
        >
          <button
            type="button"
            onClick={() => onDismiss(n.id)}
            aria-label={t('dismiss')}
            title={t('dismiss')}
            className="absolute top-1.5 right-1.5 rounded px-2 py-0.5 text-base leading-none text-slate-500 hover:bg-slate-100 hover:text-slate-800 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100"
          >
            ×
          </button>
          <div className="font-medium">{text(n).title}</div>
          {text(n).body && <div className="text-xs text-slate-600 dark:text-slate-300">{text(n).body}</div>}
          {n.link && (
            <Link href={n.link} className="text-xs text-sky-700 hover:underline dark:text-sky-400">
              {t('open')}
            </Link>
          )}
        </div>
      ))}
    </div>
  );
}
