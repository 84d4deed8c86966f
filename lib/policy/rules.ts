import type { CliMode } from '../devices/drivers';
import type { Role } from '../auth/roles';
import { abbreviates, commandsOf } from './cli';
import { guardText } from './guard-text';
import { compilePattern, patternMatches, type CommandPattern } from './match';

/**
 * Guard-rail rules and the decision they make on one command line. Rules are ordered: for each command
 * of the line the first enabled rule whose scope covers the acting user, the device and the CLI mode,
 * and whose pattern matches, decides; a line with several commands (a shell chain, an alias) gets the
 * strictest of their decisions. Pure; the service (service.ts) loads and caches the rules.
 */

export const POLICY_ACTIONS = ['allow', 'deny', 'confirm', 'approve'] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];
export const MATCH_KINDS = ['words', 'regex'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

/** Strictness: a line with several commands gets the strictest decision among them. */
const STRICTNESS: Record<PolicyAction, number> = { allow: 0, confirm: 1, approve: 2, deny: 3 };

export interface PolicyRule {
  id: string;
  name: string;
  enabled: boolean;
  matchKind: MatchKind;
  /** Any of them matching is a match (words patterns, or regular expressions). */
  patterns: string[];
  action: PolicyAction;
  /** Admins are notified of each decision this rule makes. */
  notify: boolean;
  /** Scope; an empty list is no restriction. Where: the device's vendor and groups (both, when set). */
  vendors: string[];
  groupIds: string[];
  /** Who: users, teams or roles (any of them, when any is set). */
  userIds: string[];
  teamIds: string[];
  roles: Role[];
  /** The CLI modes the rule applies in. */
  modes: CliMode[];
  /** A built-in rule's key (editable; restoring the defaults finds it by this), null for one an admin wrote. */
  builtin: string | null;
}

export interface CompiledRule extends PolicyRule {
  compiled: CommandPattern[];
}

/** Compile stored rules (already validated when saved; a pattern that no longer compiles is left out). */
export function compileRules(rules: PolicyRule[]): CompiledRule[] {
  return rules.map((r) => ({
    ...r,
    compiled: r.patterns.flatMap((p) => {
      const c = compilePattern(r.matchKind, p);
      return c.ok ? [c.pattern] : [];
    }),
  }));
}

export interface PolicyActor {
  userId: string;
  role: Role;
  teamIds: readonly string[];
}

export interface PolicyTarget {
  vendor: string;
  groupIds: readonly string[];
}

export interface Decision {
  action: PolicyAction;
  /** The rule that decided; null when none matched (the default for the role). */
  rule: { id: string; name: string; notify: boolean } | null;
  /** The command (of the line) that decided, as judged. */
  command: string;
  mode: CliMode | null;
  /** One sentence for the user and the audit trail. */
  reason: string;
}

function overlaps(list: readonly string[], values: readonly string[]): boolean {
  return list.some((v) => values.includes(v));
}

/**
 * Whether the rule covers this user, device and mode. A mode that is not known (a task's command after
 * `quit`) is covered by rules that restrict and never by rules that allow: not knowing never opens
 * anything.
 */
export function inScope(
  rule: PolicyRule,
  actor: PolicyActor,
  target: PolicyTarget,
  mode: CliMode | null,
): boolean {
  if (!rule.enabled) return false;
  if (rule.vendors.length > 0 && !rule.vendors.includes(target.vendor)) return false;
  if (rule.groupIds.length > 0 && !overlaps(rule.groupIds, target.groupIds)) return false;
  const who = rule.userIds.length + rule.teamIds.length + rule.roles.length;
  if (
    who > 0 &&
    !rule.userIds.includes(actor.userId) &&
    !overlaps(rule.teamIds, actor.teamIds) &&
    !rule.roles.includes(actor.role)
  )
    return false;
  if (rule.modes.length > 0) {
    if (mode === null) return rule.action !== 'allow';
    if (!rule.modes.includes(mode)) return false;
  }
  return true;
}

/**
 * What happens when no rule matches: viewers may only run what a rule allows (their terminal is
 * read-only), everyone else may run it.
 */
export function defaultAction(role: Role): PolicyAction {
  return role === 'viewer' ? 'deny' : 'allow';
}

/** The decision on one command line typed (or sent) at a device, in the mode its prompt shows. */
export function decide(
  rules: readonly CompiledRule[],
  line: string,
  actor: PolicyActor,
  target: PolicyTarget,
  mode: CliMode | null,
): Decision {
  const commands = commandsOf(target.vendor, line, mode);
  let worst: Decision | null = null;
  const abbreviated = abbreviates(target.vendor);
  for (const c of commands) {
    const rule =
      rules.find(
        (r) =>
          inScope(r, actor, target, c.mode) &&
          r.compiled.some((p) => patternMatches(p, c.command, abbreviated)),
      ) ?? null;
    const action = rule ? rule.action : defaultAction(actor.role);
    if (worst && STRICTNESS[action] <= STRICTNESS[worst.action]) continue;
    worst = {
      action,
      rule: rule ? { id: rule.id, name: rule.name, notify: rule.notify } : null,
      command: c.command,
      mode: c.mode,
      reason: guardText().decision(action, c.command, rule?.name ?? null),
    };
  }
  return worst ?? { action: 'allow', rule: null, command: '', mode, reason: 'Nothing to run.' };
}

/** Whether any rule could decide anything but `allow` for this user (if not, lines need no judging). */
export function mayRestrict(
  rules: readonly CompiledRule[],
  actor: PolicyActor,
  target: PolicyTarget,
): boolean {
  if (defaultAction(actor.role) !== 'allow') return true;
  return rules.some((r) => r.action !== 'allow' && inScope(r, actor, target, null));
}

/** The stricter of two decisions (the first when they are as strict). */
export function stricter(a: Decision, b: Decision): Decision {
  return STRICTNESS[b.action] > STRICTNESS[a.action] ? b : a;
}

/** The strictest decision over several readings of one line (the text after a prompt, the whole line). */
export function decideAll(
  rules: readonly CompiledRule[],
  lines: readonly string[],
  actor: PolicyActor,
  target: PolicyTarget,
  mode: CliMode | null,
): Decision {
  let worst: Decision | null = null;
  for (const line of lines) {
    const d = decide(rules, line, actor, target, mode);
    if (!worst || STRICTNESS[d.action] > STRICTNESS[worst.action]) worst = d;
  }
  return worst ?? decide(rules, '', actor, target, mode);
}
