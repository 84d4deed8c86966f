import { notFound } from '@/lib/api/problem';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { policyInvalid, policyPatchSchema, policyRuleView, ruleInputOf } from '@/lib/api/schemas-policies';
import type { PolicyService } from '@/lib/policy/service';

export const dynamic = 'force-dynamic';

/** The rule and its place in the order, or a 404. */
async function placed(policy: PolicyService, id: string) {
  const rules = await policy.list();
  const i = rules.findIndex((r) => r.id === id);
  if (i < 0) throw notFound('rule');
  return policyRuleView(rules[i]!, i + 1);
}

export const GET = apiRoute<{ id: string }>({ role: 'admin' }, async (_req, ctx, { id }) =>
  json(await placed(ctx.runtime.policy, id)),
);

/** Change a rule (admins): the fields given replace its own, the rest stay; its place stays. */
export const PATCH = apiRoute<{ id: string }>({ write: true, role: 'admin' }, async (req, ctx, { id }) => {
  const body = await readJson(req, policyPatchSchema, ctx);
  const { policy } = ctx.runtime;
  const current = await policy.get(id);
  if (!current) throw notFound('rule');
  const r = await policy.update(ctx.actor.id, id, ruleInputOf(body, current));
  if (!r.ok) {
    if (r.code === 'not_found') throw notFound('rule');
    throw policyInvalid(r.fields, r.error);
  }
  return json(await placed(policy, id));
});

/** Delete a rule (admins); a built-in one comes back with POST /policies/restore. */
export const DELETE = apiRoute<{ id: string }>({ write: true, role: 'admin' }, async (_req, ctx, { id }) => {
  const r = await ctx.runtime.policy.remove(ctx.actor.id, id);
  if (!r.ok) throw notFound('rule');
  return new Response(null, { status: 204 });
});
