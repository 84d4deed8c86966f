import { ApiProblem, notFound } from '@/lib/api/problem';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { teamGrantsInputSchema } from '@/lib/api/schemas';
import { setTeamGrants, teamGrants } from '@/lib/auth/grants';

export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ id: string }>({ role: 'admin' }, async (_req, ctx, { id }) => {
  if (!(await ctx.runtime.db.team.findUnique({ where: { id }, select: { id: true } })))
    throw notFound('team');
  return json(await teamGrants(ctx.runtime.db, id));
});

/**
 * A team's grants, as for a user (a plain id means `operate`; each member's role caps it); a group
 * grant may include `observe`.
 */
export const PUT = apiRoute<{ id: string }>({ write: true, role: 'admin' }, async (req, ctx, { id }) => {
  const body = await readJson(req, teamGrantsInputSchema, ctx);
  const current = body.devices && body.groups ? null : await teamGrants(ctx.runtime.db, id);
  const r = await setTeamGrants(
    ctx.user,
    id,
    { devices: body.devices ?? current?.devices, groups: body.groups ?? current?.groups },
    ctx.services,
  );
  if (!r.ok) {
    if (r.notFound) throw notFound('team');
    throw new ApiProblem(422, 'invalid', r.error);
  }
  return json(r.grants);
});
