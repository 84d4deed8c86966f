import type { Logger } from 'pino';
import type { PrismaClient } from '../../db/generated/client';
import type { EventBus } from '../../events/types';
import {
  NOTIFICATION_REPLAY_MAX,
  type NotificationFeed,
  type NotificationView,
} from '../../notifications/feed';
import { usersWhoSee } from '../../notifications/notifier';
import type { ChannelHandler, ConnectionManager } from '../connections';
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
    params: n.params,
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
  let manager: ConnectionManager | null = null;
  const online = (userId: string) =>
    manager?.connectionsOf(userId).some((c) => c.route.channel === 'notifications') ?? false;

  const toUser = (userId: string, message: string | { type: string; [k: string]: unknown }) =>
    manager?.broadcastToUser(userId, message, 'notifications');

  const offCreated = deps.bus.subscribe('notification.created', async (e) => {
    if (!online(e.userId)) return;
    const n = await deps.feed.get(e.id);
    if (!n) return;
    toUser(e.userId, notificationFrameOf(n));
    toUser(e.userId, {
      type: MSG.unreadCount,
      count: await deps.feed.unreadCount(e.userId),
      last_seq: n.seq,
    });
  });
  const offRead = deps.bus.subscribe('notification.read', (e) => {
    toUser(e.userId, { type: MSG.unreadCount, count: e.unread });
  });
  const offStatus = deps.bus.subscribe('device.status.changed', async (e) => {
    if (!manager || e.status === 'unknown') return;
    // serialised once; sent to the users who can see the device (admins and grant holders)
    const text = JSON.stringify({
      type: MSG.deviceStatus,
      device_id: e.deviceId,
      status: e.status,
      timestamp: e.at,
    });
    for (const userId of await usersWhoSee(deps.db, e.deviceId)) toUser(userId, text);
  });

  return {
    channel: 'notifications',
    inbound: notificationsClientMessage,
    inboundTypes: notificationsClientMessage.options.map((o) => o.shape.type.value),
    bind(m) {
      manager = m;
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
    dispose() {
      offCreated();
      offRead();
      offStatus();
      manager = null;
    },
  };
}
