'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formDataArg, idArg, INVALID_REQUEST, parseArgs, prevStateArg } from '@/lib/actions/args';
import { isRole, type Role } from '@/lib/auth/roles';
import type { CliMode } from '@/lib/devices/drivers';
import { modeLabel, POLICY_MODES } from '@/lib/policy/cli';
import { COMMAND_LINE_MAX_CHARS } from '@/lib/policy/match';
import type { PolicyAction } from '@/lib/policy/rules';
import { getRuntime } from '@/lib/server/registry';
import { authoriseAdmin } from '../webhooks/_lib/authorise';
import { ruleFormValues, ruleInputOf, type RuleFormValues } from './_lib/rule-form';
import { localiseFields, localisePolicyError, policiesTranslator } from './_lib/translate';

const PAGE = '/admin/policies';

export interface RuleFormState {
  /** Per field (name, action, matchKind, patterns, vendors…) and `form` for the whole form. */
  errors?: Record<string, string>;
  values?: RuleFormValues;
  ok?: string;
  /** Bumped on every success, so a form can clear or close itself once per save. */
  saved?: number;
  /**
   * Counted by the form on every answer: its fields are drawn again from `values` (a select's
   * default is only read when it is created, so a form reset would otherwise show the first option).
   */
  attempt?: number;
}

export type PolicyState = { ok?: string; error?: string };

/** `before`: the rule the new one goes in front of; empty or absent: at the end. */
const beforeArg = z.union([z.literal(''), idArg]);
const directionArg = z.enum(['up', 'down']);

export async function createRuleAction(_prev: RuleFormState, fd: FormData): Promise<RuleFormState> {
  const t = await policiesTranslator();
  if (!parseArgs([_prev, fd], prevStateArg, formDataArg))
    return { errors: { form: localisePolicyError(t, INVALID_REQUEST) } };
  const before = beforeArg.safeParse(fd.get('before') ?? '');
  if (!before.success) return { errors: { form: localisePolicyError(t, INVALID_REQUEST) } };
  const auth = await authoriseAdmin();
  if (!auth.ok) return { errors: { form: localisePolicyError(t, auth.error) } };
  const values = ruleFormValues(fd);
  const r = await getRuntime().policy.create(auth.user.id, ruleInputOf(values), before.data || undefined);
  if (!r.ok)
    return {
      errors: r.fields ? localiseFields(t, r.fields) : { form: localisePolicyError(t, r.error) },
      values,
    };
  revalidatePath(PAGE);
  return { ok: t('form.created', { name: values.name.trim() }), saved: Date.now() };
}

export async function updateRuleAction(
  ruleId: string,
  _prev: RuleFormState,
  fd: FormData,
): Promise<RuleFormState> {
  const t = await policiesTranslator();
  if (!parseArgs([ruleId, _prev, fd], idArg, prevStateArg, formDataArg))
    return { errors: { form: localisePolicyError(t, INVALID_REQUEST) } };
  const auth = await authoriseAdmin();
  if (!auth.ok) return { errors: { form: localisePolicyError(t, auth.error) } };
  const values = ruleFormValues(fd);
  const r = await getRuntime().policy.update(auth.user.id, ruleId, ruleInputOf(values));
  if (!r.ok)
    return {
      errors: r.fields ? localiseFields(t, r.fields) : { form: localisePolicyError(t, r.error) },
      values,
    };
  revalidatePath(PAGE);
  return { ok: t('form.saved', { name: values.name.trim() }), saved: Date.now() };
}

export async function deleteRuleAction(ruleId: string): Promise<PolicyState> {
  const t = await policiesTranslator();
  if (!parseArgs([ruleId], idArg)) return { error: localisePolicyError(t, INVALID_REQUEST) };
  const auth = await authoriseAdmin();
  if (!auth.ok) return { error: localisePolicyError(t, auth.error) };
  const { policy } = getRuntime();
  const rule = await policy.get(ruleId);
  const r = await policy.remove(auth.user.id, ruleId);
  revalidatePath(PAGE);
  return r.ok
    ? { ok: t('list.deleted', { name: rule?.name ?? '' }) }
    : { error: localisePolicyError(t, r.error) };
}

/** Move a rule one place up or down (rules decide in order). */
export async function moveRuleAction(ruleId: string, direction: 'up' | 'down'): Promise<PolicyState> {
  const t = await policiesTranslator();
  if (!parseArgs([ruleId, direction], idArg, directionArg))
    return { error: localisePolicyError(t, INVALID_REQUEST) };
  const auth = await authoriseAdmin();
  if (!auth.ok) return { error: localisePolicyError(t, auth.error) };
  const { policy } = getRuntime();
  const r = await policy.move(auth.user.id, ruleId, direction);
  revalidatePath(PAGE);
  if (!r.ok) return { error: localisePolicyError(t, r.error) };
  const rules = await policy.list();
  const i = rules.findIndex((x) => x.id === ruleId);
  return { ok: t('list.moved', { name: rules[i]?.name ?? '', position: i + 1 }) };
}

/** Put the built-in rules back as shipped (it takes no arguments: any sent are refused). */
export async function restoreBuiltinsAction(...args: unknown[]): Promise<PolicyState> {
  const t = await policiesTranslator();
  if (!parseArgs(args)) return { error: localisePolicyError(t, INVALID_REQUEST) };
  const auth = await authoriseAdmin();
  if (!auth.ok) return { error: localisePolicyError(t, auth.error) };
  const r = await getRuntime().policy.restoreBuiltins(auth.user.id);
  revalidatePath(PAGE);
  return r.ok ? { ok: t('restore.done', { count: r.restored }) } : { error: localisePolicyError(t, r.error) };
}

const testArg = z
  .object({
    command: z.string().max(COMMAND_LINE_MAX_CHARS),
    deviceId: idArg,
    userId: idArg,
    mode: z.enum(POLICY_MODES).nullable(),
  })
  .strict();

export type PolicyTestInput = z.input<typeof testArg>;

/** What the tester shows: the decision, the rule's place in the order, and names as the page words them. */
export interface PolicyTestResult {
  action: PolicyAction;
  rule: { id: string; name: string; place: number } | null;
  /** The command of the line that decided (a line may hold several). */
  command: string;
  mode: CliMode | null;
  /** What the device's vendor calls the mode (`privileged EXEC`, `system view`). */
  modeLabel: string | null;
  /** The user's role: with no rule, its default decided. */
  role: Role;
}

/** Which rule decides this line for this user on this device (the policy tester; nothing is sent). */
export async function testPolicyAction(
  input: PolicyTestInput,
): Promise<{ result?: PolicyTestResult; error?: string }> {
  const t = await policiesTranslator();
  const args = parseArgs([input], testArg);
  if (!args) return { error: localisePolicyError(t, INVALID_REQUEST) };
  const auth = await authoriseAdmin();
  if (!auth.ok) return { error: localisePolicyError(t, auth.error) };
  const [{ command, deviceId, userId, mode }] = args;
  const { db, policy } = getRuntime();
  const [device, user] = await Promise.all([
    db.device.findUnique({ where: { id: deviceId }, select: { id: true, name: true, vendor: true } }),
    db.user.findUnique({ where: { id: userId }, select: { id: true, username: true, role: true } }),
  ]);
  if (!device) return { error: t('errors.noSuchDevice') };
  if (!user || !isRole(user.role)) return { error: t('errors.noSuchUser') };
  const d = await policy.judge(
    { id: user.id, role: user.role, name: user.username },
    device,
    [command],
    mode,
  );
  const place = d.rule ? policy.rules().findIndex((r) => r.id === d.rule!.id) + 1 : 0;
  return {
    result: {
      action: d.action,
      rule: d.rule ? { id: d.rule.id, name: d.rule.name, place } : null,
      command: d.command,
      mode: d.mode,
      modeLabel: d.mode ? modeLabel(device.vendor, d.mode) : null,
      role: user.role,
    },
  };
}
