import type { Logger } from 'pino';
import type { PrismaClient } from '../../db/generated/client';
import type { EventBus } from '../../events/types';
import {
  NOTIFICATION_REPLAY_MAX,
  type NotificationFeed,
  type NotificationView,
} from '../../notifications/feed';
import { usersWhoSee } from '../../notifications/notifier';
import type { ChannelHandler, Connection } from '../connections';
import {
  MSG,
  notificationsClientMessage,
  type NotificationFrame,
  type NotificationsClientMessage,
} from '../protocol';

export function notificationFrameOf(n: NotificationView): NotificationFrame {
  return {
    type: MSG.notification,
    seq: n.seq,
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    link: n.link,
    created_at: n.createdAt,
    read: n.read,
  };
}

/**
 * /ws/notifications: `notification` and `device_status` pushes for what the user may see, on every
 * open connection of that user. A client says `hello {last_seq}` (on connect and after a gap) and
 * first receives exactly what it missed, in order, then `unread_count`.
 */
export function notificationsChannel(deps: {
  db: PrismaClient;
  bus: EventBus;
  feed: NotificationFeed;
  log: Logger;
}): ChannelHandler<NotificationsClientMessage> & { dispose(): void } {
  const conns = new Map<string, Connection>();
  const ofUser = (userId: string) => [...conns.values()].filter((c) => c.identity.userId === userId);

  const offCreated = deps.bus.subscribe('notification.created', async (e) => {
    const targets = ofUser(e.userId);
    if (targets.length === 0) return;
    const n = await deps.feed.get(e.id);
    if (!n) return;
    const text = JSON.stringify(notificationFrameOf(n));
    const unread = JSON.stringify({
      type: MSG.unreadCount,
      count: await deps.feed.unreadCount(e.userId),
      last_seq: n.seq,
    });
    for (const c of targets) {
      c.sendText(text);
      c.sendText(unread);
    }
  });
  const offRead = deps.bus.subscribe('notification.read', (e) => {
    const text = JSON.stringify({ type: MSG.unreadCount, count: e.unread });
    for (const c of ofUser(e.userId)) c.sendText(text);
  });
  const offStatus = deps.bus.subscribe('device.status.changed', async (e) => {
    if (conns.size === 0 || e.status === 'unknown') return;
    const allowed = new Set(await usersWhoSee(deps.db, e.deviceId));
    const text = JSON.stringify({
      type: MSG.deviceStatus,
      device_id: e.deviceId,
      status: e.status,
      timestamp: e.at,
    });
    for (const c of conns.values()) if (allowed.has(c.identity.userId)) c.sendText(text);
  });

  return {
    channel: 'notifications',
    inbound: notificationsClientMessage,
    inboundTypes: notificationsClientMessage.options.map((o) => o.shape.type.value),
    onOpen(conn) {
      conns.set(conn.id, conn);
    },
    async onMessage(conn, msg) {
      const userId = conn.identity.userId;
      const latest = await deps.feed.latestSeq(userId);
      const unread = await deps.feed.unreadCount(userId);
      if (msg.last_seq > latest) {
        conn.sendError('bad_sequence', `Sequence ${msg.last_seq} is ahead of this feed (last is ${latest}).`);
        conn.send({
          type: MSG.notificationResync,
          last_seq: latest,
          reason: 'Your sequence number is ahead of the server.',
        });
        conn.send({ type: MSG.unreadCount, count: unread, last_seq: latest });
        return;
      }
      if (latest - msg.last_seq > NOTIFICATION_REPLAY_MAX) {
        conn.send({
          type: MSG.notificationResync,
          last_seq: latest,
          reason: `More than ${NOTIFICATION_REPLAY_MAX} notifications were missed; reload the list.`,
        });
        conn.send({ type: MSG.unreadCount, count: unread, last_seq: latest });
        return;
      }
      for (const n of await deps.feed.since(userId, msg.last_seq)) conn.send(notificationFrameOf(n));
      conn.send({ type: MSG.unreadCount, count: unread, last_seq: latest });
    },
    onClose(conn) {
      conns.delete(conn.id);
    },
    dispose() {
      offCreated();
      offRead();
      offStatus();
      conns.clear();
    },
  };
}
