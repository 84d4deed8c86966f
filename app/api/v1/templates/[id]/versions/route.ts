import { notFound } from '@/lib/api/problem';
import { apiRoute, json } from '@/lib/api/route';
import { listTemplateVersions } from '@/lib/automation/templates';

export const dynamic = 'force-dynamic';

/** Every saved version of a template, newest first (read one with GET /templates/{id}?version=N). */
export const GET = apiRoute<{ id: string }>({}, async (_req, ctx, { id }) => {
  const versions = await listTemplateVersions(ctx.actor, id, ctx.runtime);
  if (!versions) throw notFound('template');
  const authors = await ctx.runtime.db.user.findMany({
    where: { id: { in: [...new Set(versions.map((v) => v.createdById).filter((x) => x !== null))] } },
    select: { id: true, username: true },
  });
  const names = new Map(authors.map((u) => [u.id, u.username]));
  return json({
    items: versions.map((v) => ({
      version: v.version,
      created_at: v.createdAt,
      created_by: v.createdById ? (names.get(v.createdById) ?? null) : null,
    })),
  });
});
