import { notFound } from '@/lib/api/problem';
import { apiRoute, json } from '@/lib/api/route';
import { isSubscribed, setSubscription } from '@/lib/automation/subscriptions';
import { getTemplate } from '@/lib/automation/templates';

export const dynamic = 'force-dynamic';

type Params = { id: string };

/** Whether you follow a template (told when a run of it finds changed output). */
export const GET = apiRoute<Params>({}, async (_req, ctx, { id }) => {
  if (!(await getTemplate(ctx.actor, id, ctx.runtime))) throw notFound('template');
  return json({ subscribed: await isSubscribed(ctx.runtime.db, ctx.actor.id, id) });
});

async function set(ctx: Parameters<Parameters<typeof apiRoute>[1]>[1], id: string, on: boolean) {
  const r = await setSubscription(ctx.actor, id, on, ctx.runtime);
  if (!r.ok) throw notFound('template');
  return json({ subscribed: r.subscribed });
}

/** Follow a template. */
export const PUT = apiRoute<Params>({ write: true }, async (_req, ctx, { id }) => set(ctx, id, true));

/** Stop following a template. */
export const DELETE = apiRoute<Params>({ write: true }, async (_req, ctx, { id }) => set(ctx, id, false));
