import type { AppLocale } from '@/lib/i18n/config';
import en_common from './en/common.json';
import en_auth from './en/auth.json';
import en_dashboard from './en/dashboard.json';
import en_notifications from './en/notifications.json';
import en_account from './en/account.json';
import en_devices from './en/devices.json';
import en_device from './en/device.json';
import en_terminal from './en/terminal.json';
import en_tasks from './en/tasks.json';
import en_admin from './en/admin.json';
import en_shell from './en/shell.json';
import en_automation from './en/automation.json';
import en_results from './en/results.json';
import en_history from './en/history.json';
import en_webhooks from './en/webhooks.json';
import en_sessions from './en/sessions.json';
import en_policies from './en/policies.json';
import zh_common from './zh-CN/common.json';
import zh_auth from './zh-CN/auth.json';
import zh_dashboard from './zh-CN/dashboard.json';
import zh_notifications from './zh-CN/notifications.json';
import zh_account from './zh-CN/account.json';
import zh_devices from './zh-CN/devices.json';
import zh_device from './zh-CN/device.json';
import zh_terminal from './zh-CN/terminal.json';
import zh_tasks from './zh-CN/tasks.json';
import zh_admin from './zh-CN/admin.json';
import zh_shell from './zh-CN/shell.json';
import zh_automation from './zh-CN/automation.json';
import zh_results from './zh-CN/results.json';
import zh_history from './zh-CN/history.json';
import zh_webhooks from './zh-CN/webhooks.json';
import zh_sessions from './zh-CN/sessions.json';
import zh_policies from './zh-CN/policies.json';

// One JSON file per namespace and language (messages/<locale>/<namespace>.json), so areas of the UI
// can be translated independently. English is the reference: its shape types every t('…') call
// (global.d.ts), and tests/i18n-messages.test.ts fails when zh-CN lacks a key or has an extra one.
export const en = {
  common: en_common,
  auth: en_auth,
  dashboard: en_dashboard,
  notifications: en_notifications,
  account: en_account,
  devices: en_devices,
  device: en_device,
  terminal: en_terminal,
  tasks: en_tasks,
  admin: en_admin,
  shell: en_shell,
  automation: en_automation,
  results: en_results,
  history: en_history,
  webhooks: en_webhooks,
  sessions: en_sessions,
  policies: en_policies,
};

export type Messages = typeof en;

const zhCN = {
  common: zh_common,
  auth: zh_auth,
  dashboard: zh_dashboard,
  notifications: zh_notifications,
  account: zh_account,
  devices: zh_devices,
  device: zh_device,
  terminal: zh_terminal,
  tasks: zh_tasks,
  admin: zh_admin,
  shell: zh_shell,
  automation: zh_automation,
  results: zh_results,
  history: zh_history,
  webhooks: zh_webhooks,
  sessions: zh_sessions,
  policies: zh_policies,
};

export const MESSAGES: Record<AppLocale, Messages> = { en, 'zh-CN': zhCN as Messages };

/** Both languages' messages as loaded, for the completeness test. */
export const ALL_MESSAGES: Record<AppLocale, Record<string, unknown>> = { en, 'zh-CN': zhCN };
