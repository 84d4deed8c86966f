'use client';

import { useTranslations } from 'next-intl';
import { useNotificationText } from '@/app/_components/notification-text';
import Link from 'next/link';
import { useState, useTransition } from 'react';
import { useLive } from '@/app/_components/live-provider';
import { Time } from '@/app/_components/time';
import type { NotificationView } from '@/lib/notifications/feed';
import { markAllReadAction, markReadAction } from './actions';

/**
 * The user's notifications. Titles and bodies are shown as stored: the feed keeps the English text
 * the notifier wrote, not the facts it was written from.
 */
export function NotificationList({ items, filtered }: { items: NotificationView[]; filtered: boolean }) {
  const t = useTranslations('notifications.list');
  const text = useNotificationText();
  const live = useLive();
  const [read, setRead] = useState<Set<string>>(new Set());
  const [pending, start] = useTransition();
  const isRead = (n: NotificationView) => n.read || read.has(n.id);
  return (
    <div className="space-y-2">
      <div className="flex items-center gap-3">
        <span className="text-sm text-slate-600 dark:text-slate-300" data-testid="page-unread">
          {t('unread', { count: live?.unread ?? items.filter((n) => !isRead(n)).length })}
        </span>
        <button
          type="button"
          className="btn-secondary"
          disabled={pending}
          onClick={() =>
            start(async () => {
              await (live ? live.markAllRead() : markAllReadAction());
              setRead(new Set(items.map((n) => n.id)));
            })
          }
        >
          {t('markAllRead')}
        </button>
      </div>
      {items.length === 0 ? (
        <div
          className="card p-6 text-center text-sm text-slate-600 dark:text-slate-300"
          data-testid="notification-list"
        >
          {filtered ? (
            <>
              <p>{t('emptyFiltered')}</p>
              <Link
                href="/notifications"
                className="mt-2 inline-block text-sky-700 hover:underline dark:text-sky-400"
              >
                {t('clearFilter')}
              </Link>
            </>
          ) : (
            <p>{t('empty')}</p>
          )}
        </div>
      ) : (
        <ul className="card divide-y divide-slate-100 dark:divide-slate-800" data-testid="notification-list">
          {items.map((n) => (
            <li
              key={n.id}
              className={`flex items-start gap-3 p-3 text-sm ${isRead(n) ? 'text-slate-600 dark:text-slate-400' : ''}`}
              data-kind={n.kind}
              data-read={isRead(n)}
              data-seq={n.seq}
            >
              <span
                className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${isRead(n) ? 'bg-transparent' : 'bg-sky-600 dark:bg-sky-400'}`}
              >
                {!isRead(n) && <span className="sr-only">{t('unreadMark')}</span>}
              </span>
              <div className="min-w-0 flex-1 break-words">
                {n.link ? (
                  <Link href={n.link} className="font-medium hover:underline">
                    {text(n).title}
                  </Link>
                ) : (
                  <span className="font-medium">{text(n).title}</span>
                )}
                {text(n).body && (
                  <div className="text-xs text-slate-600 dark:text-slate-400">{text(n).body}</div>
                )}
                {/* the sequence number is for the live feed's bookkeeping (data-seq), not for people */}
                <div className="text-xs text-slate-500 dark:text-slate-400">
                  <Time iso={n.createdAt} />
                </div>
              </div>
              {!isRead(n) && (
                <button
                  type="button"
                  className="shrink-0 text-xs text-sky-700 hover:underline dark:text-sky-400"
                  onClick={() =>
                    start(async () => {
                      await (live ? live.markRead(n.id) : markReadAction([n.id]));
                      setRead((s) => new Set([...s, n.id]));
                    })
                  }
                >
                  {t('markRead')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
