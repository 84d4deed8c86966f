import { getCurrentUser } from '@/lib/auth/session';
import { getTaskDetail } from '@/lib/tasks/service';
import { getRuntime } from '@/lib/server/registry';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  const detail = await getTaskDetail(user, (await params).id, getRuntime());
  if (!detail) return Response.json({ error: 'No such task.' }, { status: 404 });
  return Response.json(detail);
}
