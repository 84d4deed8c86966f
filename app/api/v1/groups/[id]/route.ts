import { accessProblem, groupsFor, groupView } from '@/lib/api/access';
import { ApiProblem, notFound } from '@/lib/api/problem';
import { apiRoute, json, readJson, readQuery } from '@/lib/api/route';
import { groupDeleteQuery, groupPatchSchema } from '@/lib/api/schemas';
import { deleteGroup, setGroupJumpHost, updateGroup } from '@/lib/devices/groups';

export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ id: string }>({}, async (_req, ctx, { id }) => {
  const g = (await groupsFor(ctx.runtime.db, ctx.actor)).find((x) => x.id === id);
  if (!g) throw notFound('group');
  return json(groupView(g));
});

export const PATCH = apiRoute<{ id: string }>({ write: true, role: 'admin' }, async (req, ctx, { id }) => {
  const { jump_host, ...fields } = await readJson(req, groupPatchSchema, ctx);
  if (fields.name !== undefined || fields.description !== undefined || jump_host === undefined) {
    const r = await updateGroup(ctx.user, id, fields, ctx.services);
    if (!r.ok) throw accessProblem(r, 'group');
  }
  if (jump_host !== undefined) {
    const j = await setGroupJumpHost(ctx.user, id, jump_host, ctx.services);
    if (!j.ok) throw new ApiProblem(422, 'invalid', j.error, { errors: { jump_host: j.error } });
  }
  return json(groupView((await groupsFor(ctx.runtime.db, ctx.actor)).find((x) => x.id === id)!));
});

/** Delete a group (its devices stay). One that grants access needs ?confirm=true; 409 says who loses what. */
export const DELETE = apiRoute<{ id: string }>({ write: true, role: 'admin' }, async (req, ctx, { id }) => {
  const q = readQuery(req, groupDeleteQuery);
  const r = await deleteGroup(ctx.user, id, { confirm: q.confirm === 'true' }, ctx.services);
  if (!r.ok) {
    if (r.impact) throw new ApiProblem(409, 'confirm_required', r.error, { losses: r.impact.losses });
    throw accessProblem(r, 'group');
  }
  return new Response(null, { status: 204 });
});
