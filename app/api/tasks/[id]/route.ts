import { getCurrentUser } from '@/lib/auth/session';
import { getTaskPage, TASK_DEVICE_FILTERS, type TaskDeviceFilter } from '@/lib/tasks/service';
import { getRuntime } from '@/lib/server/registry';

export const dynamic = 'force-dynamic';

/** The task with one page of its device rows (no outputs): ?page=1&status=all|pending|…|cancelled. */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  const q = new URL(req.url).searchParams;
  const status = q.get('status') ?? 'all';
  if (!(TASK_DEVICE_FILTERS as readonly string[]).includes(status))
    return Response.json(
      { error: `status must be one of ${TASK_DEVICE_FILTERS.join(', ')}.` },
      { status: 400 },
    );
  const page = Number(q.get('page') ?? '1');
  const data = await getTaskPage(
    user,
    (await params).id,
    { page: Number.isFinite(page) ? page : 1, status: status as TaskDeviceFilter },
    getRuntime(),
  );
  if (!data) return Response.json({ error: 'No such task.' }, { status: 404 });
  return Response.json(data);
}
