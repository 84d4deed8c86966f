import type { PolicyRule } from './rules';

/** A rule for tests: an enabled `deny` of `reload` for everyone everywhere, with `over` on top. */
export function policyRule(over: Partial<PolicyRule> = {}): PolicyRule {
  return {
    id: over.name ?? 'r',
    name: 'r',
    enabled: true,
    matchKind: 'words',
    patterns: ['reload'],
    action: 'deny',
    notify: false,
    vendors: [],
    groupIds: [],
    userIds: [],
    teamIds: [],
    roles: [],
    modes: [],
    builtin: null,
    ...over,
  };
}
