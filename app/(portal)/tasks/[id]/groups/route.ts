import { getCurrentUser } from '@/lib/auth/session';
import { taskOutputGroups } from '@/lib/automation/task-results';
import { getRuntime } from '@/lib/server/registry';

export const dynamic = 'force-dynamic';

/** The task's succeeded devices grouped by identical output: names and counts, no output text. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  const data = await taskOutputGroups(getRuntime().db, user, (await params).id);
  if (!data) return Response.json({ error: 'No such task.' }, { status: 404 });
  return Response.json(data);
}
