import { ApiProblem, notFound } from '@/lib/api/problem';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { userPatchSchema } from '@/lib/api/schemas';
import { USER_SELECT, userView } from '@/lib/api/users';
import { resetPassword, setDisabled, setRole } from '@/lib/auth/users';

export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ id: string }>({ role: 'admin' }, async (_req, ctx, { id }) => {
  const u = await ctx.runtime.db.user.findUnique({ where: { id }, select: USER_SELECT });
  if (!u) throw notFound('user');
  return json(userView(u));
});

/** Change role, disabled flag or password (each ends the user's sessions and what they opened). */
export const PATCH = apiRoute<{ id: string }>({ write: true, role: 'admin' }, async (req, ctx, { id }) => {
  const body = await readJson(req, userPatchSchema, ctx);
  if (!(await ctx.runtime.db.user.findUnique({ where: { id }, select: { id: true } })))
    throw notFound('user');
  const steps: [keyof typeof body, () => Promise<{ ok: true } | { ok: false; error: string }>][] = [
    ['role', () => setRole(ctx.user, id, body.role, ctx.services)],
    ['disabled', () => setDisabled(ctx.user, id, body.disabled!, ctx.services)],
    ['password', () => resetPassword(ctx.user, id, body.password, ctx.services)],
  ];
  for (const [field, run] of steps) {
    if (body[field] === undefined) continue;
    const r = await run();
    if (!r.ok) throw new ApiProblem(422, 'invalid', r.error, { errors: { [field]: r.error } });
  }
  const u = await ctx.runtime.db.user.findUniqueOrThrow({ where: { id }, select: USER_SELECT });
  return json(userView(u));
});
