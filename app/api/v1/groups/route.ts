import { accessProblem, groupsFor, groupView } from '@/lib/api/access';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { groupInputSchema } from '@/lib/api/schemas';
import { createGroup } from '@/lib/devices/groups';

export const dynamic = 'force-dynamic';

/** Device groups: admins see all; others the groups holding devices they see. */
export const GET = apiRoute({}, async (_req, ctx) =>
  json({ items: (await groupsFor(ctx.runtime.db, ctx.actor)).map(groupView) }),
);

export const POST = apiRoute({ write: true, role: 'admin' }, async (req, ctx) => {
  const body = await readJson(req, groupInputSchema, ctx);
  const r = await createGroup(ctx.user, body, ctx.services);
  if (!r.ok) throw accessProblem(r, 'group');
  const g = (await groupsFor(ctx.runtime.db, ctx.actor)).find((x) => x.id === r.id)!;
  return json(groupView(g), 201);
});
