import type { AuditSink } from '../audit';
import type { PrismaClient } from '../db/generated/client';
import { createTemplate } from './templates';

/** The configuration backup every portal has: each vendor's "show the running configuration". */
export const CONFIG_BACKUP_NAME = 'Configuration backup';

export const CONFIG_BACKUP = {
  name: CONFIG_BACKUP_NAME,
  description:
    'The running configuration of every device, kept as configuration history on each device page with a diff against the previous backup. Secrets are hidden before anything is stored.',
  commands: '',
  vendorCommands: JSON.stringify({
    huawei_vrp: 'display current-configuration',
    h3c_comware: 'display current-configuration',
    cisco_ios: 'show running-config',
    cisco_nxos: 'show running-config',
    arista_eos: 'show running-config',
    ruijie_os: 'show running-config',
    juniper_junos: 'show configuration | display set',
  }),
  concurrency: '20',
  timeoutSeconds: '120',
  inputs: '[]',
  // what every vendor stamps on a configuration by itself: a change of clock, not of configuration
  ignorePatterns: [
    '^!Last configuration was (updated|saved) at .*$',
    '^! Last configuration change at .*$',
    '^! NVRAM config last updated at .*$',
    '^! No configuration change since last restart$',
    '^Building configuration\\.\\.\\.$',
    '^Current configuration : \\d+ bytes$',
    '^!Time: .*$',
    '^!Running configuration last done at: .*$',
    '^## Last commit: .*$',
    '^ntp clock-period \\d+$',
  ].join('\n'),
};

/** Create the built-in templates that are missing (first start, or an upgrade that adds one). */
export async function ensureBuiltInTemplates(deps: { db: PrismaClient; audit: AuditSink }): Promise<string[]> {
  const created: string[] = [];
  const exists = await deps.db.taskTemplate.findFirst({ where: { builtIn: true, name: CONFIG_BACKUP_NAME } });
  if (exists) return created;
  const owner = await deps.db.user.findFirst({ where: { role: 'admin' }, orderBy: { createdAt: 'asc' } });
  if (!owner) return created;
  const r = await createTemplate({ id: owner.id, role: 'admin' }, CONFIG_BACKUP, deps, { builtIn: true });
  if (r.ok) created.push(CONFIG_BACKUP_NAME);
  return created;
}
