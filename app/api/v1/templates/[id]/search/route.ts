import { invalid, notFound } from '@/lib/api/problem';
import { apiRoute, json, readQuery } from '@/lib/api/route';
import { outputSearchQuery } from '@/lib/api/schemas';
import { searchTemplateFor } from '@/lib/automation/template-search';

export const dynamic = 'force-dynamic';

/** Devices (that you see) whose latest output of this template matches `q` (text, or /RE2/). */
export const GET = apiRoute<{ id: string }>({}, async (req, ctx, { id }) => {
  const { q } = readQuery(req, outputSearchQuery);
  const r = await searchTemplateFor(ctx.actor, id, q, ctx.runtime.db);
  if (!r.ok) throw r.code === 'not_found' ? notFound('template') : invalid({ q: r.error }, r.error);
  return json({
    searched: r.searched,
    items: r.hits.map((h) => ({ device: h.device, device_id: h.deviceId, lines: h.lines, more: h.more })),
  });
});
