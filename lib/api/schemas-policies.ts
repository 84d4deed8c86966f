import 'zod-openapi';
import { z } from 'zod';
import { ROLES } from '../auth/roles';
import { VENDORS } from '../devices/schema';
import { POLICY_MODES } from '../policy/cli';
import { COMMAND_LINE_MAX_CHARS, RULE_PATTERNS_MAX } from '../policy/match';
import { MATCH_KINDS, POLICY_ACTIONS, type Decision, type PolicyRule } from '../policy/rules';
import { RULE_NAME_MAX_CHARS, type RuleInput } from '../policy/service';
import { invalid } from './problem';

/**
 * The REST shapes of the command guard rails (/api/v1/policies…), in snake_case, beside the other
 * schemas (lib/api/schemas.ts); the OpenAPI document is generated from these too. The rules
 * themselves are checked by lib/policy (patterns are compiled), whose field errors are renamed here.
 */

/** Scope lists as the service takes them (lib/policy/service.ts). */
const SCOPE_MAX = 500;
const id = z.string().min(1).max(64);

const ruleFields = {
  name: z.string().max(RULE_NAME_MAX_CHARS),
  enabled: z.boolean().meta({ description: 'A disabled rule decides nothing and keeps its place' }),
  match_kind: z.enum(MATCH_KINDS).meta({
    description:
      '`words`: commands as engineers write them (`*` any word(s), `dis(play)` shortest abbreviation, pipes ignored, typed abbreviations match); `regex`: RE2 regular expressions on the whole command',
  }),
  patterns: z
    .array(z.string().max(1000))
    .max(RULE_PATTERNS_MAX)
    .meta({ description: 'Any of them matching is a match; nested repetition such as `(a+)+` is refused' }),
  action: z.enum(POLICY_ACTIONS).meta({
    description:
      '`allow`; `deny`; `confirm` (the device name is typed to run it); `approve` (an admin approves it first)',
  }),
  notify: z.boolean().meta({ description: 'Admins are notified of each decision the rule makes' }),
  vendors: z.array(z.enum(VENDORS)).max(SCOPE_MAX).meta({ description: 'Empty: every vendor' }),
  group_ids: z.array(id).max(SCOPE_MAX).meta({ description: 'Device groups; empty: every device' }),
  user_ids: z.array(id).max(SCOPE_MAX),
  team_ids: z.array(id).max(SCOPE_MAX),
  roles: z
    .array(z.enum(ROLES))
    .max(SCOPE_MAX)
    .meta({ description: 'With user_ids and team_ids: anyone in any of them; all empty: everyone' }),
  modes: z.array(z.enum(POLICY_MODES)).max(SCOPE_MAX).meta({
    description:
      'CLI modes; empty: every mode. VRP: exec = user view, config = system view; IOS: user = user EXEC, exec = privileged EXEC',
  }),
};

export const policyRuleSchema = z
  .object({
    id: z.string(),
    position: z.number().int().meta({ description: 'Its place in the order, 1 = decides first' }),
    ...ruleFields,
    builtin: z.string().nullable().meta({
      description: "A built-in rule's key (POST /policies/restore puts it back as shipped); null for others",
    }),
  })
  .meta({ id: 'PolicyRule' });

export const policyListSchema = z.object({ items: z.array(policyRuleSchema) }).meta({ id: 'PolicyRuleList' });

export const policyInputSchema = z
  .object({
    name: ruleFields.name,
    enabled: ruleFields.enabled.optional().meta({ description: 'Default true' }),
    match_kind: ruleFields.match_kind.optional().meta({ description: 'Default `words`' }),
    patterns: ruleFields.patterns,
    action: ruleFields.action,
    notify: ruleFields.notify.optional(),
    vendors: ruleFields.vendors.optional(),
    group_ids: ruleFields.group_ids.optional(),
    user_ids: ruleFields.user_ids.optional(),
    team_ids: ruleFields.team_ids.optional(),
    roles: ruleFields.roles.optional(),
    modes: ruleFields.modes.optional(),
    before: id.optional().meta({ description: 'Insert before this rule; absent: at the end' }),
  })
  .strict()
  .meta({ id: 'PolicyRuleInput' });

export const policyPatchSchema = z
  .object({
    name: ruleFields.name.optional(),
    enabled: ruleFields.enabled.optional(),
    match_kind: ruleFields.match_kind.optional(),
    patterns: ruleFields.patterns.optional(),
    action: ruleFields.action.optional(),
    notify: ruleFields.notify.optional(),
    vendors: ruleFields.vendors.optional(),
    group_ids: ruleFields.group_ids.optional(),
    user_ids: ruleFields.user_ids.optional(),
    team_ids: ruleFields.team_ids.optional(),
    roles: ruleFields.roles.optional(),
    modes: ruleFields.modes.optional(),
  })
  .strict()
  .meta({ id: 'PolicyRulePatch', description: 'The fields given replace the rule’s; the rest stay.' });

export const policyMoveSchema = z
  .object({ direction: z.enum(['up', 'down']) })
  .strict()
  .meta({ id: 'PolicyMove', description: 'One place up (decides earlier) or down.' });

export const policyRestoreSchema = z
  .object({
    restored: z.number().int().meta({ description: 'How many built-in rules were put back' }),
    items: z.array(policyRuleSchema).meta({ description: 'Every rule, in order' }),
  })
  .meta({ id: 'PolicyRestore' });

export const policyTestInputSchema = z
  .object({
    command: z.string().max(COMMAND_LINE_MAX_CHARS).meta({ description: 'A command line as typed (`rel`)' }),
    device: z.string().min(1).max(128).meta({ description: 'A device id or name' }),
    user: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .meta({ description: 'A user id or username; default: the caller' }),
    mode: z
      .enum(POLICY_MODES)
      .nullable()
      .optional()
      .meta({ description: 'The CLI mode the line is typed in; absent or null: not known' }),
  })
  .strict()
  .meta({ id: 'PolicyTestInput' });

export const policyDecisionSchema = z
  .object({
    action: z.enum(POLICY_ACTIONS),
    rule: z
      .object({
        id: z.string(),
        name: z.string(),
        notify: z.boolean(),
        position: z.number().int(),
      })
      .nullable()
      .meta({
        description:
          "The rule that decided; null: none matched (the role's default: viewers deny, others allow)",
      }),
    command: z
      .string()
      .meta({ description: 'The command of the line that decided (a line may hold several)' }),
    mode: z.enum(POLICY_MODES).nullable(),
    mode_label: z
      .string()
      .nullable()
      .meta({ description: 'What the vendor calls the mode (`privileged EXEC`, `system view`)' }),
    reason: z.string(),
    device: z.object({ id: z.string(), name: z.string(), vendor: z.string() }),
    user: z.object({ id: z.string(), username: z.string(), role: z.enum(ROLES) }),
  })
  .meta({ id: 'PolicyDecision' });

export function policyRuleView(r: PolicyRule, position: number): z.output<typeof policyRuleSchema> {
  return {
    id: r.id,
    position,
    name: r.name,
    enabled: r.enabled,
    match_kind: r.matchKind,
    patterns: r.patterns,
    action: r.action,
    notify: r.notify,
    vendors: r.vendors as z.output<typeof policyRuleSchema>['vendors'],
    group_ids: r.groupIds,
    user_ids: r.userIds,
    team_ids: r.teamIds,
    roles: r.roles,
    modes: r.modes,
    builtin: r.builtin,
  };
}

export function policyDecisionView(
  d: Decision,
  position: number,
  modeLabel: string | null,
  device: { id: string; name: string; vendor: string },
  user: z.output<typeof policyDecisionSchema>['user'],
): z.output<typeof policyDecisionSchema> {
  return {
    action: d.action,
    rule: d.rule ? { ...d.rule, position } : null,
    command: d.command,
    mode: d.mode,
    mode_label: modeLabel,
    reason: d.reason,
    device,
    user,
  };
}

type Body = z.output<typeof policyPatchSchema>;

/** The service's input from a body, over a rule's current fields (a PATCH) or nothing (a POST). */
export function ruleInputOf(b: Body, base?: PolicyRule): RuleInput {
  return {
    name: b.name ?? base?.name ?? '',
    enabled: b.enabled ?? base?.enabled,
    matchKind: b.match_kind ?? base?.matchKind,
    patterns: b.patterns ?? base?.patterns ?? [],
    action: b.action ?? base?.action ?? ('' as RuleInput['action']),
    notify: b.notify ?? base?.notify,
    vendors: b.vendors ?? (base?.vendors as RuleInput['vendors']),
    groupIds: b.group_ids ?? base?.groupIds,
    userIds: b.user_ids ?? base?.userIds,
    teamIds: b.team_ids ?? base?.teamIds,
    roles: b.roles ?? base?.roles,
    modes: b.modes ?? base?.modes,
  };
}

const FIELD_TO_API: Record<string, string> = {
  matchKind: 'match_kind',
  groupIds: 'group_ids',
  userIds: 'user_ids',
  teamIds: 'team_ids',
  form: '(body)',
};

/** lib/policy's field errors (`matchKind`, `patterns`…) as a 422 naming the API's fields. */
export function policyInvalid(fields: Record<string, string> | undefined, error: string) {
  const errors: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields ?? { form: error })) errors[FIELD_TO_API[k] ?? k] = v;
  return invalid(errors, 'The rule has invalid fields.');
}
