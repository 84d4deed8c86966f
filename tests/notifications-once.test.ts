import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '../lib/db/client';
import { InProcessEventBus } from '../lib/events';
import { NotificationFeed } from '../lib/notifications/feed';
import { freshDatabase } from './helpers';

/**
 * In a cluster every node sees a device go down or a task finish and records it: three nodes (three
 * database clients, three feeds) recording the same events at once must leave one entry per user per
 * event, with each user's sequence numbers 1, 2, 3… and no gap. Runs on SQLite and, with
 * TEST_DATABASE=postgres (npm run test:pg), on PostgreSQL.
 */
const NODES = 3;
let url: string;
let clients: PrismaClient[] = [];
let feeds: NotificationFeed[] = [];
const users: string[] = [];
const pushed: { userId: string; seq: number }[] = [];

beforeAll(async () => {
  const fresh = freshDatabase();
  url = fresh.url;
  // a cluster runs on PostgreSQL: one client per node there. SQLite is one node's database, and
  // better-sqlite3 blocks the event loop while it waits for the file lock, so the "nodes" share its
  // client (the unique key is what is tested there).
  clients = [
    fresh.db,
    ...Array.from({ length: NODES - 1 }, () =>
      url.startsWith('file:') ? fresh.db : createPrismaClient(url),
    ),
  ];
  feeds = clients.map((db) => {
    const bus = new InProcessEventBus();
    bus.subscribe('notification.created', (e) => void pushed.push(e));
    return new NotificationFeed(db, bus);
  });
  for (const name of ['noc-a', 'noc-b', 'noc-c', 'noc-d'])
    users.push(
      (await fresh.db.user.create({ data: { username: name, role: 'operator', passwordHash: 'x' } })).id,
    );
});
afterAll(async () => {
  await Promise.all([...new Set(clients)].map((c) => c.$disconnect()));
});

describe('notifications exactly once across nodes', () => {
  it('three nodes recording the same 20 events at once leave one entry per user per event, gap-free', async () => {
    const events = Array.from({ length: 20 }, (_, i) => ({
      kind: 'device_down' as const,
      title: `core-sw-${i} is down`,
      eventKey: `device:dev-${i}:offline:2026-12-03T14:00:${String(i).padStart(2, '0')}.000Z`,
    }));
    const created = await Promise.all(feeds.flatMap((feed) => events.map((e) => feed.notify(users, e))));
    // every event recorded once for each of the four users, whichever node won
    expect(created.reduce((a, b) => a + b, 0)).toBe(events.length * users.length);
    for (const userId of users) {
      const rows = await clients[0]!.notification.findMany({ where: { userId }, orderBy: { seq: 'asc' } });
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
      expect(new Set(rows.map((r) => r.eventKey)).size).toBe(events.length);
      expect(rows).toHaveLength(events.length);
      const user = await clients[0]!.user.findUniqueOrThrow({ where: { id: userId } });
      expect(user.notificationSeq).toBe(events.length);
      // one push per entry: the browser's sequence check sees no duplicate either
      expect(pushed.filter((p) => p.userId === userId)).toHaveLength(events.length);
    }
  });

  it('the same event again later (a node that saw it late) records nothing; a new event does', async () => {
    const userId = users[0]!;
    const before = await clients[0]!.notification.count({ where: { userId } });
    const late = {
      kind: 'task_completed' as const,
      title: 'Task "x" completed',
      eventKey: 'task:t1:completed:1',
    };
    expect(await feeds[0]!.notify([userId], late)).toBe(1);
    expect(await feeds[1]!.notify([userId], late)).toBe(0);
    expect(await feeds[2]!.notify([userId], { ...late, eventKey: 'task:t1:completed:2' })).toBe(1);
    // notifications without a key (older callers) are never merged
    expect(await feeds[2]!.notify([userId], { kind: 'task_completed', title: 'no key' })).toBe(1);
    expect(await feeds[1]!.notify([userId], { kind: 'task_completed', title: 'no key' })).toBe(1);
    expect(await clients[0]!.notification.count({ where: { userId } })).toBe(before + 4);
  });
});
