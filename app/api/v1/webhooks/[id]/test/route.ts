import { notFound } from '@/lib/api/problem';
import { apiRoute, json } from '@/lib/api/route';
import { testWebhook } from '@/lib/automation/webhooks';

export const dynamic = 'force-dynamic';

/** Queue a signed `ping` (admins); it is delivered and logged like any event. */
export const POST = apiRoute<{ id: string }>({ write: true, role: 'admin' }, async (_req, ctx, { id }) => {
  const r = await testWebhook(ctx.actor, id, ctx.runtime.db);
  if (!r.ok) throw notFound('webhook');
  await ctx.audit('webhook.test', id);
  return json({ queued: true }, 202);
});
