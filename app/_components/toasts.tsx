'use client';

import { useTranslations } from 'next-intl';
import { useNotificationText } from '@/app/_components/notification-text';
import Link from 'next/link';
import type { NotificationFrame } from '@/lib/realtime/protocol';

/**
 * Fresh notifications in the bottom-right corner (the live provider decides which and for how long).
 * The region is always in the page, so a screen reader announces each toast as it is added.
 */
export function Toasts({ toasts }: { toasts: NotificationFrame[] }) {
  const t = useTranslations('shell.toasts');
  const text = useNotificationText();
  return (
    <div
      className="fixed right-4 bottom-4 z-50 flex w-80 max-w-[calc(100vw-2rem)] flex-col gap-2"
      aria-live="polite"
      aria-relevant="additions"
      data-testid="toasts"
    >
      {toasts.map((n) => (
        <div
          key={n.id}
          className="card border-l-4 border-l-sky-600 p-3 text-sm break-words shadow-lg dark:border-l-sky-400"
          data-kind={n.kind}
        >
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
