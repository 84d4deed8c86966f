import { getCurrentUser } from '@/lib/auth/session';
import { listTasks } from '@/lib/tasks/service';
import { getRuntime } from '@/lib/server/registry';

export const dynamic = 'force-dynamic';

export async function GET() {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  return Response.json(await listTasks(user, getRuntime()));
}
