import { ApiProblem, notFound } from '@/lib/api/problem';
import { apiRoute, json } from '@/lib/api/route';
import { detectDeviceVendor } from '@/lib/devices/detect-vendor';
import { getVisibleDevice } from '@/lib/devices/inventory';

export const dynamic = 'force-dynamic';

/**
 * Log in to the device and propose its vendor. Logging in needs operate access, which the device
 * login checks (a viewer of the device gets 403); nothing is changed on the device or here.
 */
export const POST = apiRoute<{ id: string }>({ write: true, role: 'operator' }, async (_req, ctx, { id }) => {
  const d = await getVisibleDevice(ctx.user, id, ctx.runtime);
  if (!d) throw notFound('device');
  const r = await detectDeviceVendor(d.id, ctx.actor.id, ctx.runtime);
  if (!r.ok) {
    if (r.code === 'forbidden') throw new ApiProblem(403, 'forbidden', r.message);
    if (r.code === 'unknown_device') throw notFound('device');
    throw new ApiProblem(502, 'device_failed', r.message);
  }
  return json({
    vendor: r.detected?.vendor ?? null,
    confidence: r.detected?.confidence ?? null,
    reason: r.detected?.reason ?? null,
    current_vendor: d.vendor,
    prompt: r.prompt,
    server_ident: r.serverIdent,
    version_command: r.versionCommand,
    version_excerpt: r.versionExcerpt,
  });
});
