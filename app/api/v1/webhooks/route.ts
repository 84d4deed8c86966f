import { webhookView } from '@/lib/api/automation';
import { ApiProblem } from '@/lib/api/problem';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { webhookInputSchema } from '@/lib/api/schemas';
import { createWebhook } from '@/lib/automation/webhooks';

export const dynamic = 'force-dynamic';

const FORM_TO_API: Record<string, string> = { allowLocal: 'allow_local', form: '(body)' };

/** Webhooks (admins): where task outcomes and configuration changes are sent. */
export const GET = apiRoute({ role: 'admin' }, async (_req, ctx) => {
  const rows = await ctx.runtime.db.webhook.findMany({ orderBy: { createdAt: 'asc' } });
  return json({ items: rows.map(webhookView) });
});

/** Add a webhook (admins). The signing secret is in this answer only. */
export const POST = apiRoute({ write: true, role: 'admin' }, async (req, ctx) => {
  const b = await readJson(req, webhookInputSchema, ctx);
  const r = await createWebhook(
    ctx.actor,
    {
      url: b.url,
      description: b.description,
      events: b.events,
      enabled: b.enabled,
      allowLocal: b.allow_local,
    },
    ctx.services,
  );
  if (!r.ok) {
    const errors: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.errors)) errors[FORM_TO_API[k] ?? k] = v;
    throw new ApiProblem(422, 'invalid', 'The webhook has invalid fields.', { errors });
  }
  const row = await ctx.runtime.db.webhook.findUniqueOrThrow({ where: { id: r.id } });
  return json({ ...webhookView(row), secret: r.secret }, 201);
});
