/**
 * A human label for each audit action code the portal writes (the code itself stays on screen: it is
 * what the REST API and the filter use). Codes not listed here show without a label.
 */
export const AUDIT_ACTION_LABELS = {
  login: 'login',
  'login.failed': 'loginFailed',
  'login.disabled': 'loginDisabled',
  'login.throttled': 'loginThrottled',
  'terminal.open': 'terminalOpen',
  'terminal.close': 'terminalClose',
  'terminal.observe': 'terminalObserve',
  'terminal.observe_end': 'terminalObserveEnd',
  'terminal.end': 'terminalEnd',
  'terminal.invite': 'terminalInvite',
  'terminal.uninvite': 'terminalUninvite',
  'terminal.control': 'terminalControl',
  'task.create': 'taskCreate',
  'task.cancel': 'taskCancel',
  'task.retry': 'taskRetry',
  'device.create': 'deviceCreate',
  'device.update': 'deviceUpdate',
  'device.delete': 'deviceDelete',
  'device.import': 'deviceImport',
  'device.export': 'deviceExport',
  'device.hostkey_accept': 'deviceHostkeyAccept',
  'device.hostkey_forget': 'deviceHostkeyForget',
  'user.create': 'userCreate',
  'user.role': 'userRole',
  'user.disable': 'userDisable',
  'user.enable': 'userEnable',
  'user.grants': 'userGrants',
  'user.password_reset': 'userPasswordReset',
  'user.password_change': 'userPasswordChange',
  'user.password_change_failed': 'userPasswordChangeFailed',
  'user.password_change_throttled': 'userPasswordChangeThrottled',
  'user.sign_out_everywhere': 'userSignOutEverywhere',
  'token.create': 'tokenCreate',
  'token.revoke': 'tokenRevoke',
  'group.create': 'groupCreate',
  'group.update': 'groupUpdate',
  'group.delete': 'groupDelete',
  'group.devices_add': 'groupDevicesAdd',
  'group.devices_remove': 'groupDevicesRemove',
  'group.devices_set': 'groupDevicesSet',
  'group.jump_host': 'groupJumpHost',
  'team.create': 'teamCreate',
  'team.update': 'teamUpdate',
  'team.delete': 'teamDelete',
  'team.members': 'teamMembers',
  'team.grants': 'teamGrants',
  'team.permissions': 'teamPermissions',
  'access.revoked': 'accessRevoked',
  'template.create': 'templateCreate',
  'template.update': 'templateUpdate',
  'template.delete': 'templateDelete',
  'template.subscribe': 'templateSubscribe',
  'template.unsubscribe': 'templateUnsubscribe',
  'schedule.create': 'scheduleCreate',
  'schedule.update': 'scheduleUpdate',
  'schedule.delete': 'scheduleDelete',
  'webhook.create': 'webhookCreate',
  'webhook.update': 'webhookUpdate',
  'webhook.delete': 'webhookDelete',
  'webhook.test': 'webhookTest',
  'settings.output': 'settingsOutput',
  'lab.up': 'labUp',
  'lab.down': 'labDown',
} as const;

export type AuditActionLabelKey = (typeof AUDIT_ACTION_LABELS)[keyof typeof AUDIT_ACTION_LABELS];

/** The message key of a code's label, or null for a code without one. */
export function auditActionLabelKey(code: string): AuditActionLabelKey | null {
  return Object.hasOwn(AUDIT_ACTION_LABELS, code)
    ? AUDIT_ACTION_LABELS[code as keyof typeof AUDIT_ACTION_LABELS]
    : null;
}
