/**
 * The lab's configurations carry secrets the way the real platforms store them (hashes and cipher
 * texts, never what was typed), and the portal's redaction hides every one of them.
 */
import { describe, expect, it } from 'vitest';

import { redactSecrets, SECRET_MARK } from '../lib/automation/redact';
import { H3cCli } from './cli-h3c';
import { IosCli } from './cli-ios';
import { JunosCli } from './cli-junos';
import { VrpCli } from './cli-vrp';
import { createDeviceModel, type CliMachine } from './model';
import type { LabVendor } from './types';

const NOW = new Date('2025-11-24T06:19:00Z');

function cli(vendor: LabVendor, name: string): CliMachine {
  const model = createDeviceModel(vendor, name, { now: () => NOW });
  switch (vendor) {
    case 'huawei_vrp':
      return new VrpCli(model);
    case 'h3c_comware':
      return new H3cCli(model);
    case 'cisco_ios':
      return new IosCli(model, { enableSecret: 'En@ble' });
    case 'juniper_junos':
      return new JunosCli(model, { username: 'netops' });
  }
}

function run(machine: CliMachine, lines: string[]): void {
  for (const line of lines) {
    const out = machine.execute(line).lines.join('\n');
    expect(out, line).not.toMatch(/Error|% |syntax error/);
  }
}

const SHOW: Record<LabVendor, string[]> = {
  huawei_vrp: ['display current-configuration'],
  h3c_comware: ['display current-configuration'],
  cisco_ios: ['enable', 'En@ble', 'show running-config'],
  juniper_junos: ['show configuration'],
};

function config(machine: CliMachine): string[] {
  const steps = SHOW[machine.vendor];
  for (const line of steps.slice(0, -1)) machine.execute(line);
  return machine.execute(steps[steps.length - 1]!).lines;
}

/** What a stored secret looks like on each platform. */
const STORED = /%\^%#|\$1d\$|\$c\$3\$|\$h\$6\$|\$9\$|\$6\$/;

describe('lab secrets', () => {
  it('H3C: a local user and a community configured in system view are stored as hash and cipher text', () => {
    const h3c = cli('h3c_comware', 'lab-h3c-01');
    run(h3c, [
      'system-view',
      'local-user backup class manage',
      'password simple Backup#2025',
      'service-type ssh',
      'authorization-attribute user-role network-operator',
      'quit',
      'snmp-agent community write simple NmsWrite2025',
      'return',
    ]);
    const lines = config(h3c);
    const at = lines.indexOf('local-user backup class manage');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at, at + 5)).toEqual([
      'local-user backup class manage',
      expect.stringMatching(/^ password hash \$h\$6\$\S+==$/),
      ' service-type ssh',
      ' authorization-attribute user-role network-operator',
      '#',
    ]);
    expect(lines.filter((l) => l.startsWith(' snmp-agent community'))).toEqual([
      expect.stringMatching(/^ snmp-agent community read cipher \$c\$3\$\S+==$/),
      expect.stringMatching(/^ snmp-agent community write cipher \$c\$3\$\S+==$/),
    ]);
    expect(lines.join('\n')).not.toMatch(/Backup#2025|NmsWrite2025/);
  });

  it('IOS: a username secret typed in clear is kept as its type 9 hash', () => {
    const ios = cli('cisco_ios', 'lab-ios-01');
    run(ios, [
      'enable',
      'En@ble',
      'configure terminal',
      'username backup privilege 5 secret 0 Backup#2025',
      'end',
    ]);
    const lines = config(ios);
    expect(lines.filter((l) => l.startsWith('username backup'))).toEqual([
      expect.stringMatching(/^username backup privilege 5 secret 9 \$9\$\S{14}\$\S{43}$/),
    ]);
    expect(lines.join('\n')).not.toContain('Backup#2025');
  });

  it('VRP: renaming the device changes no stored secret', () => {
    const vrp = cli('huawei_vrp', 'lab-vrp-01');
    const secrets = (): string[] => config(vrp).filter((l) => STORED.test(l));
    const before = secrets();
    expect(before.length).toBeGreaterThanOrEqual(4);
    run(vrp, ['system-view', 'sysname CORE-A', 'return']);
    expect(secrets()).toEqual(before);
  });

  it('VRP: accounts can be changed and removed in the aaa view', () => {
    const vrp = cli('huawei_vrp', 'lab-vrp-01');
    run(vrp, [
      'system-view',
      'aaa',
      'local-user netops privilege level 2',
      'undo local-user admin',
      'return',
    ]);
    const users = config(vrp).filter((l) => l.startsWith(' local-user'));
    expect(users).toEqual([
      expect.stringMatching(/^ local-user netops password irreversible-cipher \$1d\$/),
      ' local-user netops privilege level 2',
      ' local-user netops service-type ssh',
    ]);
  });

  for (const vendor of ['huawei_vrp', 'cisco_ios', 'h3c_comware', 'juniper_junos'] as const) {
    it(`${vendor}: the default configuration has secrets, and redaction hides every one`, () => {
      const text = config(cli(vendor, `lab-${vendor}`)).join('\n');
      expect(text).toMatch(STORED);
      const redacted = redactSecrets(text, vendor);
      expect(redacted.hidden).toBeGreaterThanOrEqual(3);
      expect(redacted.text).not.toMatch(STORED);
      expect(redacted.text).toContain(SECRET_MARK);
      // only secrets went: the line count and every line without one stay
      const before = text.split('\n');
      const after = redacted.text.split('\n');
      expect(after).toHaveLength(before.length);
      for (const [i, line] of after.entries()) if (!line.includes(SECRET_MARK)) expect(line).toBe(before[i]);
    });
  }
});
