import type { Logger } from 'pino';
import type { PrismaClient } from '../../db/generated/client';
import { isDeviceStatus } from '../../devices/status';
import { visibleDevicesWhere } from '../../devices/visibility';
import type { EventBus } from '../../events/types';
import {
  NOTIFICATION_REPLAY_MAX,
  type NotificationFeed,
  type NotificationView,
} from '../../notifications/feed';
import { usersWhoSee } from '../../notifications/notifier';
import type { ChannelHandler, Connection, ConnectionManager } from '../connections';
import {
  MSG,
  notificationsClientMessage,
  type DeviceStatusMessage,
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
 * first receives exactly what it missed, in order, then `unread_count`. After a resync (events missed
 * on this node) each socket gets what it was not sent, the unread count and its devices' status.
 */
export function notificationsChannel(deps: {
  db: PrismaClient;
  bus: EventBus;
  feed: NotificationFeed;
  log: Logger;
  /** Notification frames sent to sockets (live, replayed after a reconnect, caught up after a resync). */
  onPushed?: (frames: number) => void;
}): ChannelHandler<NotificationsClientMessage> & { dispose(): void } {
  let manager: ConnectionManager | null = null;
  const online = (userId: string) =>
    manager?.connectionsOf(userId).some((c) => c.route.channel === 'notifications') ?? false;

  const toUser = (userId: string, message: string | { type: string; [k: string]: unknown }) =>
    manager?.broadcastToUser(userId, message, 'notifications');

  /**
   * Per socket, the last sequence number it holds (it said so in `hello`, or was sent up to it, or it
   * existed when the socket opened); null until that first read answers. A resync replays from here.
   */
  const held = new Map<string, number | null>();
  const hold = (connId: string, seq: number) => {
    if (held.has(connId)) held.set(connId, Math.max(held.get(connId) ?? 0, seq));
  };
  const mine = (userId: string): Connection[] =>
    manager?.connectionsOf(userId).filter((c) => c.route.channel === 'notifications') ?? [];

  /** The user's devices' status (as pushed, `unknown` left out), one read per user, one for all admins. */
  async function statusFrames(identity: Connection['identity']): Promise<string[]> {
    const devices = await deps.db.device.findMany({
      where: {
        AND: [
          visibleDevicesWhere({ id: identity.userId, role: identity.role }),
          { status: { not: 'unknown' } },
        ],
      },
      select: { id: true, status: true, statusChangedAt: true },
    });
    const now = new Date().toISOString();
    return devices.flatMap((d) =>
      isDeviceStatus(d.status)
        ? [
            JSON.stringify({
              type: MSG.deviceStatus,
              device_id: d.id,
              status: d.status,
              timestamp: d.statusChangedAt?.toISOString() ?? now,
            } satisfies DeviceStatusMessage),
          ]
        : [],
    );
  }

  /** What one user's sockets missed: each gets the notifications after what it holds, then the count. */
  async function catchUp(userId: string, conns: Connection[]): Promise<void> {
    const [latest, unread] = await Promise.all([deps.feed.latestSeq(userId), deps.feed.unreadCount(userId)]);
    const from = conns.map((c) => held.get(c.id) ?? latest);
    const replayable = from.filter((seq) => latest - seq <= NOTIFICATION_REPLAY_MAX);
    const oldest = Math.min(latest, ...replayable);
    const missed = oldest < latest ? await deps.feed.since(userId, oldest) : [];
    conns.forEach((conn, i) => {
      const after = from[i]!;
      let last = latest;
      if (latest - after > NOTIFICATION_REPLAY_MAX) {
        conn.send({
          type: MSG.notificationResync,
          last_seq: latest,
          reason: `More than ${NOTIFICATION_REPLAY_MAX} notifications were missed; reload the list.`,
        });
      } else {
        for (const n of missed) {
          if (n.seq <= after) continue;
          conn.send(notificationFrameOf(n));
          deps.onPushed?.(1);
          last = Math.max(last, n.seq);
        }
      }
      conn.send({ type: MSG.unreadCount, count: unread, last_seq: latest });
      hold(conn.id, last);
    });
  }

  const offCreated = deps.bus.subscribe('notification.created', async (e) => {
    if (!online(e.userId)) return;
    const n = await deps.feed.get(e.id);
    if (!n) return;
    toUser(e.userId, notificationFrameOf(n));
    const sockets = mine(e.userId);
    for (const c of sockets) hold(c.id, n.seq);
    deps.onPushed?.(sockets.length);
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
    async onOpen(conn) {
      held.set(conn.id, null);
      hold(conn.id, await deps.feed.latestSeq(conn.identity.userId));
    },
    onClose(conn) {
      held.delete(conn.id);
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
        hold(conn.id, latest);
        return;
      }
      if (latest - msg.last_seq > NOTIFICATION_REPLAY_MAX) {
        conn.send({
          type: MSG.notificationResync,
          last_seq: latest,
          reason: `More than ${NOTIFICATION_REPLAY_MAX} notifications were missed; reload the list.`,
        });
        conn.send({ type: MSG.unreadCount, count: unread, last_seq: latest });
        hold(conn.id, latest);
        return;
      }
      let last = latest;
      for (const n of await deps.feed.since(userId, msg.last_seq)) {
        conn.send(notificationFrameOf(n));
        deps.onPushed?.(1);
        last = Math.max(last, n.seq);
      }
      conn.send({ type: MSG.unreadCount, count: unread, last_seq: latest });
      hold(conn.id, last);
    },

    async resync(conns) {
      const byUser = new Map<string, Connection[]>();
      const bySight = new Map<string, Connection[]>();
      for (const c of conns) {
        if (!held.has(c.id)) continue; // closed meanwhile
        const { userId, role } = c.identity;
        byUser.set(userId, [...(byUser.get(userId) ?? []), c]);
        // device_status goes to whoever sees the device: admins see the same devices
        const sight = role === 'admin' ? 'admin' : userId;
        bySight.set(sight, [...(bySight.get(sight) ?? []), c]);
      }
      await Promise.all([
        ...[...byUser].map(([userId, list]) => catchUp(userId, list)),
        ...[...bySight.values()].map(async (list) => {
          const frames = await statusFrames(list[0]!.identity);
          for (const c of list) for (const f of frames) c.sendText(f);
        }),
      ]);
    },
    dispose() {
      offCreated();
      offRead();
      offStatus();
      manager = null;
    },
  };
}
