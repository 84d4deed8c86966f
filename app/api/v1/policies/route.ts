import { ApiProblem } from '@/lib/api/problem';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { policyInputSchema, policyInvalid, policyRuleView, ruleInputOf } from '@/lib/api/schemas-policies';

export const dynamic = 'force-dynamic';

/** The command guard rails (admins), in the order they decide. */
export const GET = apiRoute({ role: 'admin' }, async (_req, ctx) => {
  const rules = await ctx.runtime.policy.list();
  return json({ items: rules.map((r, i) => policyRuleView(r, i + 1)) });
});

/** Add a rule (admins): at the end, or before the rule `before`. */
export const POST = apiRoute({ write: true, role: 'admin' }, async (req, ctx) => {
  const { before, ...body } = await readJson(req, policyInputSchema, ctx);
  const { policy } = ctx.runtime;
  const r = await policy.create(ctx.actor.id, ruleInputOf(body), before);
  if (!r.ok) {
    if (r.code === 'not_found')
      throw new ApiProblem(422, 'invalid', r.error, { errors: { before: r.error } });
    throw policyInvalid(r.fields, r.error);
  }
  const rules = await policy.list();
  const i = rules.findIndex((x) => x.id === r.id);
  return json(policyRuleView(rules[i]!, i + 1), 201);
});
