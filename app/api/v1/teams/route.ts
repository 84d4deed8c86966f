import { accessProblem, teamView } from '@/lib/api/access';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { teamInputSchema } from '@/lib/api/schemas';
import { createTeam, listTeams } from '@/lib/auth/teams';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ role: 'admin' }, async (_req, ctx) =>
  json({ items: await listTeams(ctx.runtime.db) }),
);

export const POST = apiRoute({ write: true, role: 'admin' }, async (req, ctx) => {
  const body = await readJson(req, teamInputSchema, ctx);
  const r = await createTeam(ctx.user, body, ctx.services);
  if (!r.ok) throw accessProblem(r, 'team');
  return json(await teamView(ctx.runtime.db, r.id), 201);
});
