'use client';

import Link from 'next/link';
import { useState, useTransition } from 'react';
import { useLive } from '@/app/_components/live-provider';
import { Time } from '@/app/_components/time';
import type { NotificationView } from '@/lib/notifications/feed';
import { markAllReadAction, markReadAction } from './actions';

export function NotificationList({ items }: { items: NotificationView[] }) {
  const live = useLive();
  const [read, setRead] = useState<Set<string>>(new Set());
  const [pending, start] = useTransition();
  const isRead = (n: NotificationView) => n.read || read.has(n.id);
  return (
    <div className="space-y-2">
      <div className="flex items-center gap-3">
        <span className="text-sm text-slate-600" data-testid="page-unread">
          {live?.unread ?? items.filter((n) => !isRead(n)).length} unread
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
          Mark all read
        </button>
      </div>
      <ul className="card divide-y divide-slate-100" data-testid="notification-list">
        {items.length === 0 && <li className="p-6 text-center text-sm text-slate-500">No notifications.</li>}
        {items.map((n) => (
          <li
            key={n.id}
            className={`flex items-start gap-3 p-3 text-sm ${isRead(n) ? 'text-slate-500' : ''}`}
            data-kind={n.kind}
            data-read={isRead(n)}
            data-seq={n.seq}
          >
            <span
              className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${isRead(n) ? 'bg-transparent' : 'bg-sky-600'}`}
              aria-hidden
            />
            <div className="flex-1">
              {n.link ? (
                <Link href={n.link} className="font-medium hover:underline">
                  {n.title}
                </Link>
              ) : (
                <span className="font-medium">{n.title}</span>
              )}
              {n.body && <div className="text-xs text-slate-500">{n.body}</div>}
              {/* the sequence number is for the live feed's bookkeeping (data-seq), not for people */}
              <div className="text-xs text-slate-400">
                <Time iso={n.createdAt} />
              </div>
            </div>
            {!isRead(n) && (
              <button
                type="button"
                className="text-xs text-sky-700 hover:underline"
                onClick={() =>
                  start(async () => {
                    await (live ? live.markRead(n.id) : markReadAction([n.id]));
                    setRead((s) => new Set([...s, n.id]));
                  })
                }
              >
                Mark read
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
