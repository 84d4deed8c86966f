'use client';

import { useRouter } from 'next/navigation';
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { markAllReadAction, markReadAction } from '@/app/(portal)/notifications/actions';
import type { Channel } from '@/app/_lib/channel';
import { useChannel } from '@/app/_lib/use-channel';
import type { DeviceStatus } from '@/lib/devices/status';
import {
  MSG,
  notificationsServerMessage,
  type NotificationFrame,
  type NotificationsClientMessage,
  type NotificationsServerMessage,
} from '@/lib/realtime/protocol';
import { Toasts } from './toasts';

export interface LiveInitial {
  unread: number;
  lastSeq: number;
  recent: NotificationFrame[];
}

export interface LiveState {
  unread: number;
  recent: NotificationFrame[];
  /** Device id → the status last pushed for it (devices not pushed yet are absent). */
  statuses: Record<string, DeviceStatus>;
  connected: boolean;
  markAllRead(): Promise<void>;
  markRead(id: string): Promise<void>;
}

const Ctx = createContext<LiveState | null>(null);
const RECENT_MAX = 10;
const TOASTS_MAX = 4;
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
  const [statuses, setStatuses] = useState<Record<string, DeviceStatus>>({});
  const [toasts, setToasts] = useState<NotificationFrame[]>([]);
  const lastSeq = useRef(initial.lastSeq);

  const channel = useChannel<NotificationsServerMessage, NotificationsClientMessage>({
    path: 'notifications',
    schema: notificationsServerMessage,
    // first: exactly what was missed, in order
    onOpen: (ch) => hello(ch),
    onMessage: (m, ch) => {
      switch (m.type) {
        case MSG.notification: {
          if (m.seq <= lastSeq.current) return; // already have it
          if (m.seq > lastSeq.current + 1) return hello(ch); // a gap: ask for what is missing
          lastSeq.current = m.seq;
          setRecent((r) => [m, ...r].slice(0, RECENT_MAX));
          // eslint-disable-next-line react-hooks/purity -- runs for a socket frame, never during render
          if (Date.now() - Date.parse(m.created_at) < TOAST_MAX_AGE_MS) {
            setToasts((t) => [...t, m].slice(-TOASTS_MAX));
            setTimeout(() => setToasts((t) => t.filter((x) => x.id !== m.id)), TOAST_MS);
          }
          return;
        }
        case MSG.unreadCount:
          setUnread(m.count);
          return;
        case MSG.notificationResync:
          lastSeq.current = m.last_seq;
          router.refresh();
          return;
        case MSG.deviceStatus:
          setStatuses((s) => ({ ...s, [m.device_id]: m.status }));
          return;
      }
    },
  });
  const connected = channel.kind === 'open';

  function hello(ch: Channel<NotificationsClientMessage>) {
    ch.send({ type: MSG.hello, last_seq: lastSeq.current });
  }

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

  const dismissToast = useCallback((id: string) => setToasts((t) => t.filter((x) => x.id !== id)), []);

  const value = useMemo(
    () => ({ unread, recent, statuses, connected, markAllRead, markRead }),
    [unread, recent, statuses, connected, markAllRead, markRead],
  );
  return (
    <Ctx.Provider value={value}>
      {children}
      <Toasts toasts={toasts} onDismiss={dismissToast} />
    </Ctx.Provider>
  );
}
