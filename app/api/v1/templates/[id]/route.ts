import { parseUnionBody } from '@/lib/api/tasks';
import { templateFormFields, templateProblem, templateView } from '@/lib/api/automation';
import { ApiProblem, notFound } from '@/lib/api/problem';
import { apiRoute, json, readBody, readQuery } from '@/lib/api/route';
import { templateInputSchema, templateQuery } from '@/lib/api/schemas';
import { deleteTemplate, getTemplate, updateTemplate } from '@/lib/automation/templates';

export const dynamic = 'force-dynamic';

type Params = { id: string };

/** A template at its current version, or an older one (?version=N). Another user's private one is a 404. */
export const GET = apiRoute<Params>({}, async (req, ctx, { id }) => {
  const q = readQuery(req, templateQuery);
  const current = await getTemplate(ctx.actor, id, ctx.runtime);
  if (!current) throw notFound('template');
  if (q.version === undefined || q.version === current.version)
    return json(templateView(current, current.version));
  const older = await getTemplate(ctx.actor, id, ctx.runtime, q.version);
  if (!older) throw notFound('template version');
  return json(templateView(older, current.version));
});

/** Save the body (the same fields as POST) as the template's next version; running tasks keep theirs. */
export const PATCH = apiRoute<Params>({ write: true, role: 'operator' }, async (req, ctx, { id }) => {
  const body = parseUnionBody(templateInputSchema, await readBody(req, ctx));
  const r = await updateTemplate(ctx.actor, id, templateFormFields(body), ctx.services);
  if (!r.ok) throw templateProblem(r.errors);
  const t = (await getTemplate(ctx.actor, id, ctx.runtime))!;
  return json(templateView(t, t.version));
});

export const DELETE = apiRoute<Params>({ write: true, role: 'operator' }, async (_req, ctx, { id }) => {
  const r = await deleteTemplate(ctx.actor, id, ctx.services);
  if (!r.ok) {
    if (r.error === 'No such template.') throw notFound('template');
    if (r.error.startsWith('A built-in')) throw new ApiProblem(409, 'built_in', r.error);
    throw new ApiProblem(403, 'not_owner', r.error);
  }
  return new Response(null, { status: 204 });
});
