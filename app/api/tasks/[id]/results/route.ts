import { getCurrentUser } from '@/lib/auth/session';
import { openResultsExport } from '@/lib/tasks/export';
import { getRuntime } from '@/lib/server/registry';

export const dynamic = 'force-dynamic';

/** Download a task's results: ?format=json (default) or csv, streamed a few devices at a time. */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  const format = new URL(req.url).searchParams.get('format') === 'csv' ? 'csv' : 'json';
  const exp = await openResultsExport(user, (await params).id, format, getRuntime());
  if (!exp) return Response.json({ error: 'No such task.' }, { status: 404 });
  return new Response(exp.stream, {
    headers: {
      'Content-Type': exp.contentType,
      'Content-Disposition': `attachment; filename="${exp.filename}"`,
    },
  });
}
