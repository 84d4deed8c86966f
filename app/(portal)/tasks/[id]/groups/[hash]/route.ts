import { getCurrentUser } from '@/lib/auth/session';
import { variantDiff } from '@/lib/automation/task-results';
import { getRuntime } from '@/lib/server/registry';

export const dynamic = 'force-dynamic';

/** One variant's output against the majority's, as a unified diff (loaded when the user asks). */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string; hash: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  const { id, hash } = await params;
  const data = await variantDiff(getRuntime().db, user, id, hash);
  if (!data) return Response.json({ error: 'No such variant.' }, { status: 404 });
  return Response.json(data);
}
