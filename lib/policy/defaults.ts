import type { PolicyRule } from './rules';

/**
 * The rules a new portal starts with (and "Restore built-in rules" puts back): a read-only terminal
 * for viewers, then each vendor family's destructive commands set to confirm for operators. Admins
 * may edit, reorder, disable or delete them; `builtin` keeps the key they were created under.
 */
export type BuiltinRule = Omit<PolicyRule, 'id' | 'enabled' | 'userIds' | 'teamIds' | 'groupIds'>;

const BRACKET = ['huawei_vrp', 'h3c_comware'];
const IOS_FAMILY = ['cisco_ios', 'cisco_nxos', 'arista_eos', 'ruijie_os'];

export const BUILTIN_RULES: readonly BuiltinRule[] = [
  {
    builtin: 'read-only-viewers',
    name: 'Read-only terminal (viewers)',
    matchKind: 'words',
    patterns: ['display *', 'show *', 'ping *', 'tracert *', 'traceroute *'],
    action: 'allow',
    notify: false,
    vendors: [],
    roles: ['viewer'],
    // where a viewer can be: the mode they log in to (no rule lets them change it)
    modes: ['user', 'exec'],
  },
  {
    builtin: 'read-only-viewers-rest',
    name: 'Read-only terminal: everything else (viewers)',
    matchKind: 'words',
    patterns: ['*'],
    action: 'deny',
    notify: false,
    vendors: [],
    roles: ['viewer'],
    modes: [],
  },
  {
    builtin: 'destructive-vrp-comware',
    name: 'Destructive commands (Huawei VRP, H3C Comware)',
    matchKind: 'words',
    patterns: [
      'reboot *',
      'reset saved-configuration *',
      'startup saved-configuration *',
      'format *',
      'delete *',
      'rollback configuration *',
      'undo stelnet server *',
      'undo ssh server *',
      'undo telnet server *',
      'undo user-interface *',
      'undo interface meth*',
    ],
    action: 'confirm',
    notify: false,
    vendors: BRACKET,
    roles: ['operator'],
    modes: [],
  },
  {
    builtin: 'destructive-ios',
    name: 'Destructive commands (Cisco IOS family, Arista, Ruijie)',
    matchKind: 'words',
    patterns: [
      'reload *',
      'erase *',
      'write erase *',
      'format *',
      'delete *',
      'squeeze *',
      'configure replace *',
      'crypto key zeroize *',
      'no line vty *',
      'no ip ssh *',
    ],
    action: 'confirm',
    notify: false,
    vendors: IOS_FAMILY,
    roles: ['operator'],
    modes: [],
  },
  {
    builtin: 'destructive-junos',
    name: 'Destructive commands (Juniper Junos)',
    matchKind: 'words',
    patterns: [
      'request system reboot *',
      'request system halt *',
      'request system power-off *',
      'request system zeroize *',
      'file delete *',
      'load override *',
      'delete system services *',
    ],
    action: 'confirm',
    notify: false,
    vendors: ['juniper_junos'],
    roles: ['operator'],
    modes: [],
  },
  {
    builtin: 'destructive-shell',
    name: 'Destructive commands (Linux shell)',
    matchKind: 'words',
    patterns: [
      'reboot *',
      'shutdown *',
      'halt *',
      'poweroff *',
      'init *',
      'systemctl reboot *',
      'systemctl poweroff *',
      'systemctl halt *',
      'mkfs* *',
    ],
    action: 'confirm',
    notify: false,
    vendors: ['generic'],
    roles: ['operator'],
    modes: [],
  },
];
