import { notFound } from '@/lib/api/problem';
import { apiRoute, json } from '@/lib/api/route';
import { getVisibleDevice } from '@/lib/devices/inventory';
import { testConnection } from '@/lib/devices/test-connection';

export const dynamic = 'force-dynamic';

/**
 * Log in to the device step by step and report each step. A device that fails a step is still a
 * 200: the report is the answer (`ok: false`, the failed step and why). Logging in needs operate
 * access, which the login checks and reports as the failed `access` step. A host key seen for the
 * first time is recorded as offered, never trusted.
 */
export const POST = apiRoute<{ id: string }>({ write: true, role: 'operator' }, async (_req, ctx, { id }) => {
  const d = await getVisibleDevice(ctx.user, id, ctx.runtime);
  if (!d) throw notFound('device');
  return json(await testConnection(d.id, ctx.actor.id, ctx.runtime));
});
