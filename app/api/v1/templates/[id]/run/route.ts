import { idempotencyKeyOf } from '@/lib/api/tasks';
import { resolveDeviceRefs, runProblem } from '@/lib/api/automation';
import { ApiProblem, notFound } from '@/lib/api/problem';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { templateRunInputSchema } from '@/lib/api/schemas';
import { taskView } from '@/lib/api/views';
import { getTemplate, runTemplate } from '@/lib/automation/templates';
import { watchTask } from '@/lib/tasks/service';

export const dynamic = 'force-dynamic';

/**
 * Run a template's current version on devices: a task (201). Every device must render; a repeated
 * Idempotency-Key returns the first task (200, Idempotent-Replayed: true).
 */
export const POST = apiRoute<{ id: string }>({ write: true, role: 'operator' }, async (req, ctx, { id }) => {
  const key = idempotencyKeyOf(req);
  const body = await readJson(req, templateRunInputSchema, ctx);
  if (!(await getTemplate(ctx.actor, id, ctx.runtime))) throw notFound('template');
  const deviceIds = await resolveDeviceRefs(ctx.runtime.db, ctx.actor, body.devices);
  const r = await runTemplate(
    ctx.actor,
    id,
    {
      deviceIds,
      inputs: body.inputs,
      name: body.name,
      concurrency: body.concurrency,
      timeoutSeconds: body.timeout_s,
      confirm: body.confirm,
    },
    ctx.services,
    { idempotencyKey: key },
  );
  if (!r.ok) throw runProblem(r);
  const watched = await watchTask(ctx.actor, r.id, ctx.runtime);
  if (!watched.ok) throw new ApiProblem(500, 'internal', 'The task vanished.');
  return json(
    taskView(watched.task),
    r.created ? 201 : 200,
    r.created ? {} : { 'Idempotent-Replayed': 'true' },
  );
});
