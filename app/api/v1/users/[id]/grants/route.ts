import { ApiProblem, notFound } from '@/lib/api/problem';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { grantsInputSchema } from '@/lib/api/schemas';
import { setUserGrants, userGrants } from '@/lib/auth/grants';

export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ id: string }>({ role: 'admin' }, async (_req, ctx, { id }) => {
  if (!(await ctx.runtime.db.user.findUnique({ where: { id }, select: { id: true } })))
    throw notFound('user');
  return json(await userGrants(ctx.runtime.db, id));
});

/**
 * Grant exactly these devices and groups, each `view` or `operate` (a plain id: the highest level
 * the user's role allows); a list left out stays as it is. Access taken away closes the user's
 * terminals on those devices at once.
 */
export const PUT = apiRoute<{ id: string }>({ write: true, role: 'admin' }, async (req, ctx, { id }) => {
  const body = await readJson(req, grantsInputSchema, ctx);
  const current = body.devices && body.groups ? null : await userGrants(ctx.runtime.db, id);
  const r = await setUserGrants(
    ctx.user,
    id,
    { devices: body.devices ?? current?.devices, groups: body.groups ?? current?.groups },
    ctx.services,
  );
  if (!r.ok) {
    if (r.notFound) throw notFound('user');
    throw new ApiProblem(422, 'invalid', r.error);
  }
  return json(r.grants);
});
