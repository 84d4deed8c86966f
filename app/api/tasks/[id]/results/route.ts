import { getCurrentUser } from '@/lib/auth/session';
import { getTaskDetail, resultsCsv } from '@/lib/tasks/service';
import { getRuntime } from '@/lib/server/registry';

export const dynamic = 'force-dynamic';

/** Download a task's results: ?format=json (default) or csv. */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  const detail = await getTaskDetail(user, (await params).id, getRuntime());
  if (!detail) return Response.json({ error: 'No such task.' }, { status: 404 });
  const format = new URL(req.url).searchParams.get('format') === 'csv' ? 'csv' : 'json';
  const base = `task-${detail.task.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60)}-${detail.task.id.slice(0, 8)}`;
  const body = format === 'csv' ? resultsCsv(detail) : JSON.stringify(detail, null, 2);
  return new Response(body, {
    headers: {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${base}.${format}"`,
    },
  });
}
