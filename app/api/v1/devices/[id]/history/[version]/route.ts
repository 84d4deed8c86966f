import { deviceVersion } from '@/lib/api/automation';
import { notFound } from '@/lib/api/problem';
import { apiRoute, json } from '@/lib/api/route';
import { versionText } from '@/lib/automation/history';

export const dynamic = 'force-dynamic';

/** One stored output of the device (secrets were hidden before it was stored). */
export const GET = apiRoute<{ id: string; version?: string }>({}, async (_req, ctx, { id, version }) => {
  const v = await deviceVersion(ctx, id, version);
  const text = await versionText(ctx.runtime.db, v.id);
  if (text === null) throw notFound('version');
  return json({ id: v.id, text });
});
