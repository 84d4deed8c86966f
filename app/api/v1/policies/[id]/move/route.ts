import { notFound } from '@/lib/api/problem';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { policyMoveSchema, policyRuleView } from '@/lib/api/schemas-policies';

export const dynamic = 'force-dynamic';

/** Move a rule one place up or down (admins); at the top (or bottom) already, it stays. */
export const POST = apiRoute<{ id: string }>({ write: true, role: 'admin' }, async (req, ctx, { id }) => {
  const { direction } = await readJson(req, policyMoveSchema, ctx);
  const { policy } = ctx.runtime;
  const r = await policy.move(ctx.actor.id, id, direction);
  if (!r.ok) throw notFound('rule');
  const rules = await policy.list();
  const i = rules.findIndex((x) => x.id === id);
  if (i < 0) throw notFound('rule');
  return json(policyRuleView(rules[i]!, i + 1));
});
