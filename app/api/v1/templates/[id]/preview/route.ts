import { resolveDeviceRefs, runProblem } from '@/lib/api/automation';
import { notFound } from '@/lib/api/problem';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { templatePreviewInputSchema } from '@/lib/api/schemas';
import { getTemplate, previewTemplate } from '@/lib/automation/templates';

export const dynamic = 'force-dynamic';

/**
 * Exactly what each device would receive if the template ran now with these inputs, or why it would
 * be skipped (no commands for its vendor) or cannot be rendered (e.g. it lacks a field). Runs nothing.
 */
export const POST = apiRoute<{ id: string }>({ write: true, role: 'operator' }, async (req, ctx, { id }) => {
  const body = await readJson(req, templatePreviewInputSchema, ctx);
  if (!(await getTemplate(ctx.actor, id, ctx.runtime))) throw notFound('template');
  const deviceIds = await resolveDeviceRefs(ctx.runtime.db, ctx.actor, body.devices);
  const r = await previewTemplate(ctx.actor, id, { deviceIds, inputs: body.inputs }, ctx.runtime);
  if (!r.ok) throw runProblem(r);
  return json({
    template_id: r.template.id,
    version: r.template.version,
    inputs: r.inputs,
    items: r.rows.map((row) => ({
      device_id: row.deviceId,
      device: row.device,
      vendor: row.vendor,
      status: row.status,
      ...(row.status === 'ok' ? { commands: row.commands } : { reason: row.reason }),
      ...(row.status === 'error' ? { command: row.command } : {}),
    })),
  });
});
