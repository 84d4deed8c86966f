import { apiRoute, json, readQuery } from '@/lib/api/route';
import { notificationListQuery } from '@/lib/api/schemas';

export const dynamic = 'force-dynamic';

/** The caller's notifications after a sequence number, oldest first (what a poller missed). */
export const GET = apiRoute({}, async (req, ctx) => {
  const q = readQuery(req, notificationListQuery);
  const { feed } = ctx.runtime;
  const [items, lastSeq, unread] = await Promise.all([
    feed.since(ctx.actor.id, q.after_seq, q.limit),
    feed.latestSeq(ctx.actor.id),
    feed.unreadCount(ctx.actor.id),
  ]);
  return json({
    items: items.map((n) => ({
      id: n.id,
      seq: n.seq,
      kind: n.kind,
      title: n.title,
      body: n.body,
      link: n.link,
      created_at: n.createdAt,
      read: n.read,
    })),
    last_seq: lastSeq,
    unread,
  });
});
