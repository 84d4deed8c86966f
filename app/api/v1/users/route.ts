import { ApiProblem } from '@/lib/api/problem';
import { apiRoute, json, readJson, readQuery } from '@/lib/api/route';
import { userInputSchema, userListQuery } from '@/lib/api/schemas';
import { listUserPage, USER_SELECT, userView } from '@/lib/api/users';
import { createUser } from '@/lib/auth/users';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ role: 'admin' }, async (req, ctx) => {
  const q = readQuery(req, userListQuery);
  return json(await listUserPage(q, ctx.runtime));
});

export const POST = apiRoute({ write: true, role: 'admin' }, async (req, ctx) => {
  const body = await readJson(req, userInputSchema, ctx);
  const r = await createUser(
    ctx.user,
    { username: body.username, displayName: body.display_name, role: body.role, password: body.password },
    ctx.services,
  );
  if (!r.ok) {
    const { displayName, form, ...rest } = r.errors;
    if (form) throw new ApiProblem(422, 'invalid', form);
    const errors: Record<string, string> = { ...(rest as Record<string, string>) };
    if (displayName) errors.display_name = displayName;
    const taken = errors.username === 'This username is taken.';
    throw new ApiProblem(taken ? 409 : 422, taken ? 'conflict' : 'invalid', 'The user has invalid fields.', {
      errors,
    });
  }
  const u = await ctx.runtime.db.user.findUniqueOrThrow({ where: { id: r.id }, select: USER_SELECT });
  return json(userView(u), 201);
});
