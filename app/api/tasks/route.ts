import { getCurrentUser } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { listTasks } from '@/lib/tasks/service';

export const dynamic = 'force-dynamic';

export async function GET() {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  return Response.json(await listTasks(user, getDb()));
}
