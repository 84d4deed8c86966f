import { apiRoute, json, readJson } from '@/lib/api/route';
import { notificationsReadSchema } from '@/lib/api/schemas';
import { plural } from '@/lib/format/plural';

export const dynamic = 'force-dynamic';

/** Mark some (`ids`) or all of the caller's notifications read; answers the unread count. */
export const POST = apiRoute({ write: true }, async (req, ctx) => {
  const body = await readJson(req, notificationsReadSchema, ctx);
  const { feed } = ctx.runtime;
  const unread =
    'all' in body ? await feed.markAllRead(ctx.actor.id) : await feed.markRead(ctx.actor.id, body.ids);
  await ctx.audit(
    'notifications.read',
    ctx.actor.username,
    'all' in body ? 'all' : plural(body.ids.length, 'notification'),
  );
  return json({ unread });
});
