import type { PrismaClient } from '../db/generated/client';
import type { EventBus } from '../events/types';

export const NOTIFICATION_KINDS = [
  'device_down',
  'device_up',
  'task_completed',
  'task_failed',
  'config_changed',
  'recording_failed',
  'command_guarded',
  'approval_requested',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  device_down: 'A device I can see goes down',
  device_up: 'A device I can see comes back',
  task_completed: 'My task completes',
  task_failed: 'My task fails',
  config_changed: 'A template I follow finds changed output',
  recording_failed: 'Session recordings cannot be stored (admins)',
  command_guarded: 'A guard rail that notifies stops or holds a command (admins)',
  approval_requested: 'A command waits for my approval',
};
/** A reconnecting client is sent at most this many missed notifications; beyond, it is told to reload. */
export const NOTIFICATION_REPLAY_MAX = 200;

export interface NotificationView {
  id: string;
  seq: number;
  kind: string;
  title: string;
  body: string;
  /** The facts behind title and body, for wording them in the reader's language. */
  params: NotificationParams;
  link: string | null;
  createdAt: string;
  read: boolean;
}

export type NotificationParams = Record<string, string | number>;

/** A stored params column back to an object; anything unreadable is no params. */
export function parseParams(json: string): NotificationParams {
  try {
    const v: unknown = JSON.parse(json);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    const out: NotificationParams = {};
    for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number') out[k] = x;
    return out;
  } catch {
    return {};
  }
}

export function parseKinds(csv: string): Set<NotificationKind> {
  return new Set(
    csv
      .split(',')
      .filter((k): k is NotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(k)),
  );
}

type Row = {
  id: string;
  seq: number;
  kind: string;
  title: string;
  body: string;
  params: string;
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
};
export const toView = (n: Row): NotificationView => ({
  id: n.id,
  seq: n.seq,
  kind: n.kind,
  title: n.title,
  body: n.body,
  params: parseParams(n.params),
  link: n.link,
  createdAt: n.createdAt.toISOString(),
  read: n.readAt !== null,
});

/**
 * How long a notification's transaction may wait for a database connection and then run. Every node
 * records the same event for the same users at once, and each transaction holds the user's row (its
 * sequence number) until it commits, so a burst queues behind itself: Prisma's defaults (2 s to get
 * a connection, 5 s to run) dropped notifications of a 20-event burst from three nodes on a loaded
 * machine ("Unable to start a transaction in the given time"). The loser of a race still rolls back.
 */
const NOTIFY_TX_WAIT = { maxWait: 10_000, timeout: 10_000 } as const;

/** Each user's notification feed; the database is the source of truth, pushes follow it. */
export class NotificationFeed {
  constructor(
    private readonly db: PrismaClient,
    private readonly bus: EventBus,
  ) {}

  /**
   * Add a notification for each of these users who wants this kind; returns how many were created.
   * `eventKey` names the event (`task:<id>:completed`): in a cluster every node sees it and calls
   * this, and the unique (user, eventKey) keeps one entry per user — the losing writer's transaction
   * rolls back, sequence number included, so the sequence stays gap-free.
   */
  async notify(
    userIds: string[],
    n: {
      kind: NotificationKind;
      title: string;
      body?: string;
      params?: NotificationParams;
      link?: string;
      eventKey?: string;
    },
  ): Promise<number> {
    let created = 0;
    for (const userId of new Set(userIds)) {
      const user = await this.db.user.findUnique({
        where: { id: userId },
        select: { notifyKinds: true, disabled: true },
      });
      if (!user || user.disabled || !parseKinds(user.notifyKinds).has(n.kind)) continue;
      const eventKey = n.eventKey ?? null;
      // the sequence number and the row are one transaction: no gaps, no duplicates
      let row: { id: string; seq: number };
      try {
        row = await this.db.$transaction(async (tx) => {
          const u = await tx.user.update({
            where: { id: userId },
            data: { notificationSeq: { increment: 1 } },
            select: { notificationSeq: true },
          });
          return tx.notification.create({
            data: {
              userId,
              seq: u.notificationSeq,
              kind: n.kind,
              title: n.title,
              body: n.body ?? '',
              params: JSON.stringify(n.params ?? {}),
              link: n.link ?? null,
              eventKey,
            },
            select: { id: true, seq: true },
          });
        }, NOTIFY_TX_WAIT);
      } catch (err) {
        if (eventKey !== null && isUniqueViolation(err)) continue; // another node recorded it first
        throw err;
      }
      created++;
      await this.bus.publish('notification.created', { userId, seq: row.seq, id: row.id });
    }
    return created;
  }

  async latestSeq(userId: string): Promise<number> {
    return (
      (await this.db.user.findUnique({ where: { id: userId }, select: { notificationSeq: true } }))
        ?.notificationSeq ?? 0
    );
  }

  /** Notifications after `lastSeq`, oldest first, at most `limit`. */
  async since(userId: string, lastSeq: number, limit = NOTIFICATION_REPLAY_MAX): Promise<NotificationView[]> {
    const rows = await this.db.notification.findMany({
      where: { userId, seq: { gt: lastSeq } },
      orderBy: { seq: 'asc' },
      take: limit,
    });
    return rows.map(toView);
  }

  async get(id: string): Promise<(NotificationView & { userId: string }) | null> {
    const n = await this.db.notification.findUnique({ where: { id } });
    return n ? { ...toView(n), userId: n.userId } : null;
  }

  unreadCount(userId: string): Promise<number> {
    return this.db.notification.count({ where: { userId, readAt: null } });
  }

  async list(
    userId: string,
    filter: { kind?: string; unreadOnly?: boolean; limit?: number } = {},
  ): Promise<NotificationView[]> {
    const rows = await this.db.notification.findMany({
      where: {
        userId,
        ...(filter.kind ? { kind: filter.kind } : {}),
        ...(filter.unreadOnly ? { readAt: null } : {}),
      },
      orderBy: { seq: 'desc' },
      take: filter.limit ?? 100,
    });
    return rows.map(toView);
  }

  async markRead(userId: string, ids: string[]): Promise<number> {
    await this.db.notification.updateMany({
      where: { userId, id: { in: ids }, readAt: null },
      data: { readAt: new Date() },
    });
    return this.publishUnread(userId);
  }

  async markAllRead(userId: string): Promise<number> {
    await this.db.notification.updateMany({ where: { userId, readAt: null }, data: { readAt: new Date() } });
    return this.publishUnread(userId);
  }

  private async publishUnread(userId: string): Promise<number> {
    const unread = await this.unreadCount(userId);
    await this.bus.publish('notification.read', { userId, unread });
    return unread;
  }

  async setKinds(userId: string, kinds: string[]): Promise<void> {
    const valid = [...parseKinds(kinds.join(','))];
    await this.db.user.update({ where: { id: userId }, data: { notifyKinds: valid.join(',') } });
  }
}

/** Prisma's unique-constraint failure (P2002), whichever driver adapter raised it. */
function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}
