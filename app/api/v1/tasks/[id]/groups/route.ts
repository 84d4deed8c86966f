import { ignoreForTask } from '@/lib/api/automation';
import { notFound } from '@/lib/api/problem';
import { apiRoute, json } from '@/lib/api/route';
import { groupOutputs, groupSummary } from '@/lib/automation/group';
import { outputDocument } from '@/lib/automation/history';
import type { CommandOutput } from '@/lib/tasks/schema';
import { canSeeTask } from '@/lib/tasks/service';

export const dynamic = 'force-dynamic';

/**
 * The task's devices that succeeded, grouped by identical output (all commands joined, normalised,
 * after the template version's ignore patterns): the majority and the variants to diff against it.
 */
export const GET = apiRoute<{ id: string }>({}, async (_req, ctx, { id }) => {
  const { db } = ctx.runtime;
  const task = await db.task.findUnique({
    where: { id },
    select: { ownerId: true, templateId: true, templateVersion: true },
  });
  if (!task || !canSeeTask(ctx.actor, task.ownerId)) throw notFound('task');
  const rows = await db.taskDevice.findMany({
    where: { taskId: id, status: 'success' },
    select: { deviceName: true, output: true },
  });
  const ignore = await ignoreForTask(db, task);
  const g = groupOutputs(
    rows.map((r) => ({
      device: r.deviceName,
      output: outputDocument(JSON.parse(r.output) as CommandOutput[]),
    })),
    ignore,
  );
  const s = groupSummary(g);
  return json({
    devices: g.devices,
    identical: s.identical,
    variant_devices: s.variantDevices,
    variants: g.variants.map((v) => ({ hash: v.hash, devices: v.devices, sample_device: v.devices[0]! })),
    majority: g.majority,
  });
});
