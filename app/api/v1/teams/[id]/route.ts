import { accessProblem, teamView } from '@/lib/api/access';
import { notFound } from '@/lib/api/problem';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { teamPatchSchema } from '@/lib/api/schemas';
import { deleteTeam, setTeamPermissions, updateTeam } from '@/lib/auth/teams';

export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ id: string }>({ role: 'admin' }, async (_req, ctx, { id }) => {
  const t = await teamView(ctx.runtime.db, id);
  if (!t) throw notFound('team');
  return json(t);
});

/** Rename or describe a team, or give it exactly these permissions (`permissions`). */
export const PATCH = apiRoute<{ id: string }>({ write: true, role: 'admin' }, async (req, ctx, { id }) => {
  const { permissions, ...named } = await readJson(req, teamPatchSchema, ctx);
  // a PATCH of the permissions alone is not a rename (no team.update in the audit)
  if (!permissions || named.name !== undefined || named.description !== undefined) {
    const r = await updateTeam(ctx.user, id, named, ctx.services);
    if (!r.ok) throw accessProblem(r, 'team');
  }
  if (permissions) {
    const p = await setTeamPermissions(ctx.user, id, permissions, ctx.services);
    if (!p.ok) throw accessProblem(p, 'team');
  }
  return json(await teamView(ctx.runtime.db, id));
});

/** Delete a team: its members lose what only the team gave them, at once. */
export const DELETE = apiRoute<{ id: string }>({ write: true, role: 'admin' }, async (_req, ctx, { id }) => {
  const r = await deleteTeam(ctx.user, id, ctx.services);
  if (!r.ok) throw accessProblem(r, 'team');
  return new Response(null, { status: 204 });
});
