import type { CliMode } from '@/lib/devices/drivers';
import type { Role } from '@/lib/auth/roles';
import type { PolicyAction, PolicyRule } from '@/lib/policy/rules';
import type { RuleInput } from '@/lib/policy/service';

/**
 * The rule form's fields as the browser sends them, and the conversions between them, a stored
 * rule and the service's input. Plain module: the Server Actions and the client form both use it.
 */
export interface RuleFormValues {
  name: string;
  action: string;
  matchKind: string;
  /** The textarea's text: one pattern per line. */
  patterns: string;
  vendors: string[];
  groupIds: string[];
  teamIds: string[];
  userIds: string[];
  roles: string[];
  modes: string[];
  notify: boolean;
  enabled: boolean;
}

/** A rule as the list and the edit form show it: the stored rule and its place (1 = decides first). */
export type RuleView = PolicyRule & { place: number };

/** What a new rule's form starts with. */
export const EMPTY_RULE: RuleFormValues = {
  name: '',
  action: 'deny',
  matchKind: 'words',
  patterns: '',
  vendors: [],
  groupIds: [],
  teamIds: [],
  userIds: [],
  roles: [],
  modes: [],
  notify: false,
  enabled: true,
};

const text = (fd: FormData, key: string) => {
  const v = fd.get(key);
  return typeof v === 'string' ? v : '';
};
const texts = (fd: FormData, key: string) => fd.getAll(key).filter((v): v is string => typeof v === 'string');

export function ruleFormValues(fd: FormData): RuleFormValues {
  return {
    name: text(fd, 'name'),
    action: text(fd, 'action'),
    matchKind: text(fd, 'matchKind'),
    patterns: text(fd, 'patterns'),
    vendors: texts(fd, 'vendors'),
    groupIds: texts(fd, 'groupIds'),
    teamIds: texts(fd, 'teamIds'),
    userIds: texts(fd, 'userIds'),
    roles: texts(fd, 'roles'),
    modes: texts(fd, 'modes'),
    notify: fd.get('notify') === 'on',
    enabled: fd.get('enabled') === 'on',
  };
}

/** The service's input (it validates: unknown vendors, roles or modes are its field errors). */
export function ruleInputOf(v: RuleFormValues): RuleInput {
  return {
    name: v.name,
    enabled: v.enabled,
    matchKind: v.matchKind as RuleInput['matchKind'],
    patterns: v.patterns.split(/\r?\n/),
    action: v.action as PolicyAction,
    notify: v.notify,
    vendors: v.vendors as RuleInput['vendors'],
    groupIds: v.groupIds,
    userIds: v.userIds,
    teamIds: v.teamIds,
    roles: v.roles as RuleInput['roles'],
    modes: v.modes as CliMode[],
  };
}

export function formValuesOf(rule: PolicyRule): RuleFormValues {
  return {
    name: rule.name,
    action: rule.action,
    matchKind: rule.matchKind,
    patterns: rule.patterns.join('\n'),
    vendors: rule.vendors,
    groupIds: rule.groupIds,
    teamIds: rule.teamIds,
    userIds: rule.userIds,
    roles: rule.roles,
    modes: rule.modes,
    notify: rule.notify,
    enabled: rule.enabled,
  };
}

/** What the rule form offers (the page reads groups, teams and users from the database). */
export interface RuleOptions {
  actions: readonly PolicyAction[];
  matchKinds: readonly ('words' | 'regex')[];
  vendors: readonly { value: string; label: string }[];
  roles: readonly Role[];
  modes: readonly CliMode[];
  groups: readonly { id: string; name: string }[];
  teams: readonly { id: string; name: string }[];
  /** Users by the name the portal shows (display name, else user name). */
  users: readonly { id: string; name: string }[];
}
