import { ApiProblem, notFound } from '@/lib/api/problem';
import { apiRoute, json } from '@/lib/api/route';
import { taskView } from '@/lib/api/views';
import { cancelTask, watchTask } from '@/lib/tasks/service';

export const dynamic = 'force-dynamic';

/** Stop a task wherever it runs; devices not started are marked cancelled. */
export const POST = apiRoute<{ id: string }>({ write: true, role: 'operator' }, async (_req, ctx, { id }) => {
  if (!(await watchTask(ctx.actor, id, ctx.runtime)).ok) throw notFound('task');
  const r = await cancelTask(ctx.actor, id, ctx.services);
  if (!r.ok) throw new ApiProblem(409, 'conflict', r.error);
  const w = await watchTask(ctx.actor, id, ctx.runtime);
  if (!w.ok) throw notFound('task');
  return json(taskView(w.task), 202);
});
