import { notFound } from '@/lib/api/problem';
import { apiRoute, json, readQuery } from '@/lib/api/route';
import { taskDeviceListQuery } from '@/lib/api/schemas';
import { listTaskDevicePage } from '@/lib/api/tasks';
import { taskDeviceView } from '@/lib/api/views';
import { watchTask } from '@/lib/tasks/service';

export const dynamic = 'force-dynamic';

/** A task's device rows with their outputs, a page at a time. */
export const GET = apiRoute<{ id: string }>({}, async (req, ctx, { id }) => {
  const q = readQuery(req, taskDeviceListQuery);
  if (!(await watchTask(ctx.actor, id, ctx.runtime)).ok) throw notFound('task');
  const p = await listTaskDevicePage(id, q, ctx.runtime);
  return json({ items: p.items.map(taskDeviceView), next_cursor: p.next_cursor });
});
