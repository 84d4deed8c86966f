import { getCurrentUser } from '@/lib/auth/session';
import { searchTaskResults } from '@/lib/automation/task-results';
import { getRuntime } from '@/lib/server/registry';

export const dynamic = 'force-dynamic';

/** ?q=text or ?q=/pattern/ → the task's devices whose output matches, with their first matching lines. */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  const q = new URL(req.url).searchParams.get('q') ?? '';
  const data = await searchTaskResults(getRuntime().db, user, (await params).id, q);
  if (!data) return Response.json({ error: 'No such task.' }, { status: 404 });
  // a refused query is an answer the page shows (which part of it is wrong), not a failed request
  return Response.json(data);
}
