import { getCurrentUser } from '@/lib/auth/session';
import { CHANGE_KINDS, taskChangeRows, taskChanges, type ChangeKind } from '@/lib/automation/task-results';
import { getRuntime } from '@/lib/server/registry';

export const dynamic = 'force-dynamic';

/** Row ids one request asks about (a page of the task page holds 25). */
const ROWS_MAX = 100;
const ROW_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * For the task page: ?rows=a,b,c → how many devices changed, stayed the same or are new against their
 * previous run of the template, and those rows' changes; ?change=changed&page=2 → a page of the
 * rows that changed (or stayed the same, or are new).
 */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  const { id } = await params;
  const q = new URL(req.url).searchParams;
  const change = q.get('change');
  const db = getRuntime().db;
  if (change !== null) {
    if (!(CHANGE_KINDS as readonly string[]).includes(change))
      return Response.json({ error: `change must be one of ${CHANGE_KINDS.join(', ')}.` }, { status: 400 });
    const page = Number(q.get('page') ?? '1');
    const data = await taskChangeRows(db, user, id, change as ChangeKind, Number.isFinite(page) ? page : 1);
    if (!data) return Response.json({ error: 'No such task.' }, { status: 404 });
    return Response.json(data);
  }
  const rows = (q.get('rows') ?? '').split(',').filter(Boolean);
  if (rows.length > ROWS_MAX || !rows.every((r) => ROW_ID.test(r)))
    return Response.json({ error: `rows: at most ${ROWS_MAX} row ids.` }, { status: 400 });
  const data = await taskChanges(db, user, id, rows);
  if (!data) return Response.json({ error: 'No such task.' }, { status: 404 });
  return Response.json(data);
}
