import { notFound } from '@/lib/api/problem';
import { apiRoute } from '@/lib/api/route';
import { deleteWebhook } from '@/lib/automation/webhooks';

export const dynamic = 'force-dynamic';

/** Delete a webhook and its delivery log (admins). */
export const DELETE = apiRoute<{ id: string }>({ write: true, role: 'admin' }, async (_req, ctx, { id }) => {
  const r = await deleteWebhook(ctx.actor, id, ctx.services);
  if (!r.ok) throw notFound('webhook');
  return new Response(null, { status: 204 });
});
