import { parseUnionBody } from '@/lib/api/tasks';
import { templateFormFields, templateProblem, templateView } from '@/lib/api/automation';
import { apiRoute, json, readBody } from '@/lib/api/route';
import { templateInputSchema } from '@/lib/api/schemas';
import { createTemplate, getTemplate, listTemplates } from '@/lib/automation/templates';

export const dynamic = 'force-dynamic';

/** The templates the caller sees: their own, their teams' shared ones (admins: all); built-in first. */
export const GET = apiRoute({}, async (_req, ctx) => {
  const rows = await listTemplates(ctx.actor, ctx.runtime);
  return json({
    items: rows.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      owner: t.owner,
      team: t.team,
      built_in: t.builtIn,
      version: t.version,
      editable: t.editable,
      updated_at: t.updatedAt,
    })),
  });
});

export const POST = apiRoute({ write: true, role: 'operator' }, async (req, ctx) => {
  const body = parseUnionBody(templateInputSchema, await readBody(req, ctx));
  const r = await createTemplate(ctx.actor, templateFormFields(body), ctx.services);
  if (!r.ok) throw templateProblem(r.errors);
  const t = (await getTemplate(ctx.actor, r.id, ctx.runtime))!;
  return json(templateView(t, t.version), 201);
});
