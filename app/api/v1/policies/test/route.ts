import { invalid } from '@/lib/api/problem';
import { apiRoute, json, readJson } from '@/lib/api/route';
import { policyDecisionView, policyTestInputSchema } from '@/lib/api/schemas-policies';
import { isRole } from '@/lib/auth/roles';
import { modeLabel } from '@/lib/policy/cli';

export const dynamic = 'force-dynamic';

/**
 * Which rule decides a command line for a user (default: the caller) on a device, in a mode (admins).
 * Runs nothing, changes nothing: a read token is enough.
 */
export const POST = apiRoute({ role: 'admin' }, async (req, ctx) => {
  const body = await readJson(req, policyTestInputSchema, ctx);
  const { db, policy } = ctx.runtime;
  const select = { id: true, name: true, vendor: true } as const;
  const device =
    (await db.device.findUnique({ where: { id: body.device }, select })) ??
    (await db.device.findUnique({ where: { name: body.device }, select }));
  const who = body.user ?? ctx.actor.id;
  const userSelect = { id: true, username: true, role: true } as const;
  const user =
    (await db.user.findUnique({ where: { id: who }, select: userSelect })) ??
    (await db.user.findUnique({ where: { username: who }, select: userSelect }));
  const errors: Record<string, string> = {};
  if (!device) errors.device = 'No such device.';
  if (!user || !isRole(user.role)) errors.user = 'No such user.';
  if (!device || !user || !isRole(user.role)) throw invalid(errors);
  const mode = body.mode ?? null;
  const d = await policy.judge(
    { id: user.id, role: user.role, name: user.username },
    device,
    [body.command],
    mode,
  );
  const position = d.rule ? policy.rules().findIndex((r) => r.id === d.rule!.id) + 1 : 0;
  return json(
    policyDecisionView(d, position, d.mode ? modeLabel(device.vendor, d.mode) : null, device, {
      id: user.id,
      username: user.username,
      role: user.role,
    }),
  );
});
