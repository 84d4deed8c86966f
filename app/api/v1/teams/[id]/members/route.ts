import { ApiProblem, notFound } from '@/lib/api/problem';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { teamMembersInputSchema } from '@/lib/api/schemas';
import { teamMemberIds } from '@/lib/auth/access-change';
import { setTeamMembers } from '@/lib/auth/teams';

export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ id: string }>({ role: 'admin' }, async (_req, ctx, { id }) => {
  if (!(await ctx.runtime.db.team.findUnique({ where: { id }, select: { id: true } })))
    throw notFound('team');
  return json({ users: (await teamMemberIds(ctx.runtime.db, id)).sort() });
});

/** Exactly these members; a member removed loses the team's access (and terminals) at once. */
export const PUT = apiRoute<{ id: string }>({ write: true, role: 'admin' }, async (req, ctx, { id }) => {
  const body = await readJson(req, teamMembersInputSchema, ctx);
  const r = await setTeamMembers(ctx.user, id, body.users, ctx.services);
  if (!r.ok) {
    if (r.error === 'No such team.') throw notFound('team');
    throw new ApiProblem(422, 'invalid', r.error);
  }
  return json({ users: (await teamMemberIds(ctx.runtime.db, id)).sort() });
});
