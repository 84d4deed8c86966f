import { outputVersionView } from '@/lib/api/automation';
import { notFound } from '@/lib/api/problem';
import { apiRoute, json, readQuery } from '@/lib/api/route';
import { historyQuery } from '@/lib/api/schemas';
import { deviceHistory } from '@/lib/automation/history';
import { visibleTemplatesWhere } from '@/lib/automation/templates';
import { userCanSeeDevice } from '@/lib/devices/visibility';

export const dynamic = 'force-dynamic';

/** The device's stored outputs of templated runs (configuration history), newest first. */
export const GET = apiRoute<{ id: string }>({}, async (req, ctx, { id }) => {
  const q = readQuery(req, historyQuery);
  if (!(await userCanSeeDevice(ctx.runtime.db, ctx.actor, id))) throw notFound('device');
  const rows = await deviceHistory(ctx.runtime.db, id, {
    templateId: q.template,
    take: q.limit,
    templates: visibleTemplatesWhere(ctx.actor),
  });
  return json({ items: rows.map(outputVersionView) });
});
