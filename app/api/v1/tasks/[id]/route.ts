import { notFound } from '@/lib/api/problem';
import { apiRoute, json } from '@/lib/api/route';
import { taskView } from '@/lib/api/views';
import { watchTask } from '@/lib/tasks/service';

export const dynamic = 'force-dynamic';

/** A task's state (its devices: /devices; results: /results). Another user's task is a 404. */
export const GET = apiRoute<{ id: string }>({}, async (_req, ctx, { id }) => {
  const w = await watchTask(ctx.actor, id, ctx.runtime);
  if (!w.ok) throw notFound('task');
  return json(taskView(w.task));
});
