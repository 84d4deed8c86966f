import { deviceVersion, ignoreForTask } from '@/lib/api/automation';
import { invalid, notFound } from '@/lib/api/problem';
import { apiRoute, json, readQuery } from '@/lib/api/route';
import { historyDiffQuery } from '@/lib/api/schemas';
import { diffVersions } from '@/lib/automation/history';

export const dynamic = 'force-dynamic';

/**
 * A version against another of the same device (default: its previous one), older first, after the
 * ignore patterns of the template version the newer one ran with.
 */
export const GET = apiRoute<{ id: string; version?: string }>({}, async (req, ctx, { id, version }) => {
  const q = readQuery(req, historyDiffQuery);
  const v = await deviceVersion(ctx, id, version);
  const againstId = q.against ?? v.previousId;
  if (!againstId)
    throw invalid({ against: 'This is the first version; name another version to compare with.' });
  const other = await deviceVersion(ctx, id, againstId);
  const [older, newer] =
    other.createdAt.getTime() < v.createdAt.getTime() ||
    (other.createdAt.getTime() === v.createdAt.getTime() && other.id < v.id)
      ? [other, v]
      : [v, other];
  const task = newer.taskId
    ? await ctx.runtime.db.task.findUnique({
        where: { id: newer.taskId },
        select: { templateId: true, templateVersion: true },
      })
    : null;
  const ignore = await ignoreForTask(
    ctx.runtime.db,
    task ?? { templateId: newer.templateId, templateVersion: null },
  );
  const d = await diffVersions(ctx.runtime.db, older.id, newer.id, ignore);
  if (!d) throw notFound('version');
  return json({
    from: { id: older.id, created_at: older.createdAt.toISOString() },
    to: { id: newer.id, created_at: newer.createdAt.toISOString() },
    changed: d.changed,
    added: d.added,
    removed: d.removed,
    patch: d.patch,
    cut: d.cut,
    too_different: d.tooDifferent,
  });
});
