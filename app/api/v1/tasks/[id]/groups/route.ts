import { notFound } from '@/lib/api/problem';
import { apiRoute, json } from '@/lib/api/route';
import { taskOutputGroups } from '@/lib/automation/task-results';

export const dynamic = 'force-dynamic';

/**
 * The task's devices that succeeded, grouped by identical output (all commands joined, normalised,
 * after the template version's ignore patterns): the majority and the variants to diff against it.
 * The task page shows the same groups (lib/automation/task-results.ts); the API lists every variant.
 */
export const GET = apiRoute<{ id: string }>({}, async (_req, ctx, { id }) => {
  const g = await taskOutputGroups(ctx.runtime.db, ctx.actor, id, {
    maxVariants: Infinity,
    maxNamesPerVariant: Infinity,
  });
  if (!g) throw notFound('task');
  return json({
    devices: g.devices,
    identical: g.identical,
    variant_devices: g.variantDevices,
    variants: g.variants.map((v) => ({ hash: v.hash, devices: v.devices, sample_device: v.sampleDevice })),
    majority: g.majority,
  });
});
