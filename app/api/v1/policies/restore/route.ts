import { ApiProblem } from '@/lib/api/problem';
import { apiRoute, json } from '@/lib/api/route';
import { policyRuleView } from '@/lib/api/schemas-policies';

export const dynamic = 'force-dynamic';

/**
 * Put the built-in rules back as shipped (admins): edited ones are reset where they stand, deleted
 * ones return at the top; rules admins wrote stay.
 */
export const POST = apiRoute({ write: true, role: 'admin' }, async (_req, ctx) => {
  const { policy } = ctx.runtime;
  const r = await policy.restoreBuiltins(ctx.actor.id);
  if (!r.ok) throw new ApiProblem(500, 'internal', r.error);
  const rules = await policy.list();
  return json({ restored: r.restored, items: rules.map((x, i) => policyRuleView(x, i + 1)) });
});
