import { ApiProblem, notFound } from '@/lib/api/problem';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { grantsInputSchema } from '@/lib/api/schemas';
import { setGrants } from '@/lib/auth/users';

export const dynamic = 'force-dynamic';

const grantsOf = async (db: import('@/lib/db/client').PrismaClient, userId: string) =>
  (
    await db.deviceGrant.findMany({
      where: { userId },
      select: { deviceId: true },
      orderBy: { deviceId: 'asc' },
    })
  ).map((g) => g.deviceId);

export const GET = apiRoute<{ id: string }>({ role: 'admin' }, async (_req, ctx, { id }) => {
  if (!(await ctx.runtime.db.user.findUnique({ where: { id }, select: { id: true } })))
    throw notFound('user');
  return json({ devices: await grantsOf(ctx.runtime.db, id) });
});

/** Grant exactly these devices (a removed grant closes that user's terminals to the device). */
export const PUT = apiRoute<{ id: string }>({ write: true, role: 'admin' }, async (req, ctx, { id }) => {
  const body = await readJson(req, grantsInputSchema, ctx);
  const r = await setGrants(ctx.user, id, body.devices, ctx.services);
  if (!r.ok) {
    if (r.error === 'No such user.') throw notFound('user');
    throw new ApiProblem(422, 'invalid', r.error);
  }
  return json({ devices: await grantsOf(ctx.runtime.db, id) });
});
