'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { markAllReadAction, markReadAction } from '@/app/(portal)/notifications/actions';
import { notificationsServerMessage, type NotificationFrame } from '@/lib/realtime/protocol';
import { StatusBadge } from './status-badge';

export interface LiveInitial {
  unread: number;
  lastSeq: number;
  recent: NotificationFrame[];
}

interface LiveState {
  unread: number;
  recent: NotificationFrame[];
  statuses: Record<string, string>;
  connected: boolean;
  markAllRead(): Promise<void>;
  markRead(id: string): Promise<void>;
}

const Ctx = createContext<LiveState | null>(null);
const RECENT_MAX = 10;
const TOAST_MS = 6000;
/** Only notifications this fresh pop up as toasts (replays after a reconnect do not). */
const TOAST_MAX_AGE_MS = 60_000;

export function useLive(): LiveState | null {
  return useContext(Ctx);
}

/** One socket on /ws/notifications per page: the feed, the unread count and live device status. */
export function LiveProvider({ initial, children }: { initial: LiveInitial; children: ReactNode }) {
  const router = useRouter();
  const [unread, setUnread] = useState(initial.unread);
  const [recent, setRecent] = useState(initial.recent);
  const [statuses, setStatuses] = useState<Record<string, string>>({});
  const [toasts, setToasts] = useState<NotificationFrame[]>([]);
  const [connected, setConnected] = useState(false);
  const lastSeq = useRef(initial.lastSeq);

  useEffect(() => {
    let ws: WebSocket | null = null;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    const hello = () => ws?.send(JSON.stringify({ type: 'hello', last_seq: lastSeq.current }));
    const open = () => {
      const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
      ws = new WebSocket(`${proto}//${location.host}/ws/notifications`);
      ws.onopen = () => {
        attempt = 0;
        setConnected(true);
        hello(); // first: exactly what was missed, in order
      };
      ws.onmessage = (ev) => {
        let parsed;
        try {
          parsed = notificationsServerMessage.safeParse(JSON.parse(ev.data as string));
        } catch {
          return;
        }
        if (!parsed.success) return;
        const m = parsed.data;
        switch (m.type) {
          case 'notification': {
            if (m.seq <= lastSeq.current) return; // already have it
            if (m.seq > lastSeq.current + 1) return hello(); // a gap: ask for what is missing
            lastSeq.current = m.seq;
            setRecent((r) => [m, ...r].slice(0, RECENT_MAX));
            if (Date.now() - Date.parse(m.created_at) < TOAST_MAX_AGE_MS) {
              setToasts((t) => [...t, m].slice(-4));
              setTimeout(() => setToasts((t) => t.filter((x) => x.id !== m.id)), TOAST_MS);
            }
            return;
          }
          case 'unread_count':
            setUnread(m.count);
            return;
          case 'notification_resync':
            lastSeq.current = m.last_seq;
            router.refresh();
            return;
          case 'device_status':
            setStatuses((s) => ({ ...s, [m.device_id]: m.status }));
            return;
        }
      };
      ws.onclose = () => {
        setConnected(false);
        if (stopped) return;
        retry = setTimeout(open, Math.min(10_000, 500 * 2 ** attempt++));
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      ws?.close();
    };
  }, [router]);

  const markAllRead = useCallback(async () => {
    const r = await markAllReadAction();
    if (r.unread !== undefined) setUnread(r.unread);
    setRecent((list) => list.map((n) => ({ ...n, read: true })));
  }, []);
  const markRead = useCallback(async (id: string) => {
    const r = await markReadAction([id]);
    if (r.unread !== undefined) setUnread(r.unread);
    setRecent((list) => list.map((n) => (n.id === id ? { ...n, read: true } : n)));
  }, []);

  const value = useMemo(
    () => ({ unread, recent, statuses, connected, markAllRead, markRead }),
    [unread, recent, statuses, connected, markAllRead, markRead],
  );
  return (
    <Ctx.Provider value={value}>
      {children}
      <div
        className="fixed right-4 bottom-4 z-50 flex w-80 flex-col gap-2"
        aria-live="polite"
        data-testid="toasts"
      >
        {toasts.map((t) => (
          <div
            key={t.id}
            className="card border-l-4 border-l-sky-600 p-3 text-sm shadow-lg"
            data-kind={t.kind}
          >
            <div className="font-medium">{t.title}</div>
            {t.body && <div className="text-xs text-slate-600">{t.body}</div>}
            {t.link && (
              <Link href={t.link} className="text-xs text-sky-700 hover:underline">
                Open
              </Link>
            )}
          </div>
        ))}
      </div>
    </Ctx.Provider>
  );
}

/** The header bell: unread badge, recent items, mark all read. */
export function Bell() {
  const live = useLive();
  const [open, setOpen] = useState(false);
  if (!live) return null;
  return (
    <div className="relative">
      <button
        type="button"
        className="relative rounded-md p-1.5 text-slate-300 hover:bg-slate-800 hover:text-white"
        aria-label={`Notifications (${live.unread} unread)`}
        aria-expanded={open}
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
      {open && (
        <div
          className="card absolute right-0 z-40 mt-2 w-96 p-2 text-slate-900"
          role="dialog"
          aria-label="Recent notifications"
        >
          <div className="flex items-center justify-between px-1 pb-1">
            <span className="text-sm font-semibold">Notifications</span>
            <button
              type="button"
              className="text-xs text-sky-700 hover:underline"
              onClick={() => void live.markAllRead()}
            >
              Mark all read
            </button>
          </div>
          <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto">
            {live.recent.length === 0 && <li className="p-3 text-sm text-slate-500">Nothing yet.</li>}
            {live.recent.map((n) => (
              <li key={n.id} className={`p-2 text-sm ${n.read ? 'text-slate-500' : ''}`} data-seq={n.seq}>
                <div className="flex items-start gap-2">
                  {!n.read && (
                    <span className="mt-1.5 h-2 w-2 shrink-0 rounded-full bg-sky-600" aria-label="unread" />
                  )}
                  <div className="flex-1">
                    {n.link ? (
                      <Link
                        href={n.link}
                        className="font-medium hover:underline"
                        onClick={() => void live.markRead(n.id)}
                      >
                        {n.title}
                      </Link>
                    ) : (
                      <span className="font-medium">{n.title}</span>
                    )}
                    {n.body && <div className="text-xs text-slate-500">{n.body}</div>}
                    <div className="text-xs text-slate-400">
                      {n.created_at.replace('T', ' ').slice(0, 19)} UTC
                    </div>
                  </div>
                </div>
              </li>
            ))}
          </ul>
          <Link
            href="/notifications"
            className="block px-1 pt-2 text-xs text-sky-700 hover:underline"
            onClick={() => setOpen(false)}
          >
            All notifications and preferences →
          </Link>
        </div>
      )}
    </div>
  );
}

/** A device's status dot that follows `device_status` pushes. */
export function LiveStatus({ deviceId, status }: { deviceId: string; status: string }) {
  const live = useLive();
  return <StatusBadge status={live?.statuses[deviceId] ?? status} />;
}

/** Counts by status that follow `device_status` pushes (dashboard summary). */
export function LiveStatusCounts({
  devices,
  statuses,
}: {
  devices: { id: string; status: string }[];
  statuses: readonly string[];
}) {
  const live = useLive();
  const counts: Record<string, number> = {};
  for (const d of devices) {
    const s = live?.statuses[d.id] ?? d.status;
    counts[s] = (counts[s] ?? 0) + 1;
  }
  return (
    <ul className="space-y-1 text-sm">
      {statuses.map((s) => (
        <li key={s} className="flex justify-between">
          <Link href={`/devices?status=${s}`} className="hover:underline">
            <StatusBadge status={s} />
          </Link>
          <span className="font-medium" data-testid={`status-count-${s}`}>
            {counts[s] ?? 0}
          </span>
        </li>
      ))}
    </ul>
  );
}
