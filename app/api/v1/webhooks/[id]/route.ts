import { webhookPatchSchema, webhookUpdateFields, webhookView } from '@/lib/api/automation';
import { ApiProblem, notFound } from '@/lib/api/problem';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { deleteWebhook, updateWebhook } from '@/lib/automation/webhooks';

export const dynamic = 'force-dynamic';

const FORM_TO_API: Record<string, string> = { allowLocal: 'allow_local', form: '(body)' };

/** Change a webhook's URL, description, events, enabled or allow_local (admins); the rest stays. */
export const PATCH = apiRoute<{ id: string }>({ write: true, role: 'admin' }, async (req, ctx, { id }) => {
  const body = await readJson(req, webhookPatchSchema, ctx);
  const r = await updateWebhook(ctx.actor, id, webhookUpdateFields(body), ctx.services);
  if (!r.ok) {
    if (r.notFound) throw notFound('webhook');
    const errors: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.errors)) errors[FORM_TO_API[k] ?? k] = v;
    throw new ApiProblem(422, 'invalid', 'The webhook has invalid fields.', { errors });
  }
  return json(webhookView(await ctx.runtime.db.webhook.findUniqueOrThrow({ where: { id } })));
});

/** Delete a webhook and its delivery log (admins). */
export const DELETE = apiRoute<{ id: string }>({ write: true, role: 'admin' }, async (_req, ctx, { id }) => {
  const r = await deleteWebhook(ctx.actor, id, ctx.services);
  if (!r.ok) throw notFound('webhook');
  return new Response(null, { status: 204 });
});
