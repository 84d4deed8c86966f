import { getCurrentUser } from '@/lib/auth/session';
import { getTaskDeviceOutputs } from '@/lib/tasks/service';
import { getRuntime } from '@/lib/server/registry';

export const dynamic = 'force-dynamic';

/** One device row of a task with its outputs: the task page loads it when the row is opened. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string; rowId: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  const { id, rowId } = await params;
  const row = await getTaskDeviceOutputs(user, id, rowId, getRuntime());
  if (!row) return Response.json({ error: 'No such task device.' }, { status: 404 });
  return Response.json(row);
}
