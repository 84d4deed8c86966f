import { webhookDeliveryView } from '@/lib/api/automation';
import { notFound } from '@/lib/api/problem';
import { apiRoute, json } from '@/lib/api/route';

export const dynamic = 'force-dynamic';

const DELIVERIES_SHOWN = 100;

/** A webhook's latest deliveries with their outcome (admins). */
export const GET = apiRoute<{ id: string }>({ role: 'admin' }, async (_req, ctx, { id }) => {
  const { db } = ctx.runtime;
  if (!(await db.webhook.findUnique({ where: { id }, select: { id: true } }))) throw notFound('webhook');
  const rows = await db.webhookDelivery.findMany({
    where: { webhookId: id },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: DELIVERIES_SHOWN,
  });
  return json({ items: rows.map(webhookDeliveryView) });
});
