import { getCurrentUser } from '@/lib/auth/session';
import { deviceChangeDiff } from '@/lib/automation/task-results';
import { getRuntime } from '@/lib/server/registry';

export const dynamic = 'force-dynamic';

/** One device's output in the task against its previous run of the template, as a unified diff. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string; rowId: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  const { id, rowId } = await params;
  const data = await deviceChangeDiff(getRuntime().db, user, id, rowId);
  if (!data) return Response.json({ error: 'No such task device.' }, { status: 404 });
  return Response.json(data);
}
