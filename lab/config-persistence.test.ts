/**
 * A device's running configuration is its own and lasts its lifetime: what one SSH session configures,
 * the next session's `display current-configuration` / `show running-config` / `show configuration`
 * shows, and no other device does.
 */
import type { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { defaultLabFleet, generateHostKey, startLab, type RunningLab } from './server';
import { connectTo, deviceNamed, openShell, type OutputReader } from './test-utils';
import type { LabVendor } from './types';

const creds = { username: 'netops', password: 'S3cret!pw', enablePassword: 'En@ble' };
let lab: RunningLab;
const clients: Client[] = [];

/** Any device name: the prompt changes with `sysname`, so any prompt of the platform ends an output. */
const NAME = String.raw`[^\s<>[\]()@#]+`;

/** Each personality's prompt, its paging-off command, and how it shows and changes the configuration. */
const CLI: Record<
  LabVendor,
  {
    prompt: RegExp;
    setup: string[];
    show: string;
    /** Lines that set the description of `port` to `text`, from the first prompt back to it. */
    describe: (port: string, text: string) => string[];
    port: string;
    /** The line the configuration shows for it. */
    shown: (text: string) => string;
  }
> = {
  huawei_vrp: {
    prompt: new RegExp(String.raw`(?:<${NAME}>|\[${NAME}\]) ?$`),
    setup: ['screen-length 0 temporary'],
    show: 'display current-configuration',
    describe: (port, text) => ['system-view', `interface ${port}`, `description ${text}`, 'return'],
    port: 'GigabitEthernet0/0/10',
    shown: (text) => ` description ${text}`,
  },
  h3c_comware: {
    prompt: new RegExp(String.raw`(?:<${NAME}>|\[${NAME}\]) ?$`),
    setup: ['screen-length disable'],
    show: 'display current-configuration',
    describe: (port, text) => ['system-view', `interface ${port}`, `description ${text}`, 'return'],
    port: 'GigabitEthernet1/0/10',
    shown: (text) => ` description ${text}`,
  },
  cisco_ios: {
    prompt: new RegExp(String.raw`\n${NAME}(?:\([^)\r\n]*\))?[>#] ?$`),
    setup: ['enable', creds.enablePassword, 'terminal length 0'],
    show: 'show running-config',
    describe: (port, text) => ['configure terminal', `interface ${port}`, `description ${text}`, 'end'],
    port: 'GigabitEthernet1/0/10',
    shown: (text) => ` description ${text}`,
  },
  juniper_junos: {
    prompt: new RegExp(String.raw`${creds.username}@${NAME}[>#] ?$`),
    setup: ['set cli screen-length 0'],
    show: 'show configuration',
    describe: (port, text) => [
      'configure',
      `set interfaces ${port} description "${text}"`,
      'commit and-quit',
    ],
    port: 'ge-0/0/9',
    shown: (text) => `        description ${text};`,
  },
};

/** A new SSH session on the device, logged in and paging off; `run` returns a command's output lines. */
async function session(name: string): Promise<{ run: (line: string) => Promise<string[]>; end: () => void }> {
  const device = deviceNamed(lab.devices, name);
  const cli = CLI[device.vendor];
  const client = await connectTo(device);
  clients.push(client);
  const sh: OutputReader = await openShell(client);
  const passwordPrompt = /Password: ?$/;
  await sh.waitFor(cli.prompt);
  const run = async (line: string): Promise<string[]> => {
    sh.write(`${line}\r`);
    const text = await sh.waitFor(line === 'enable' ? passwordPrompt : cli.prompt);
    const lines = text.split(/\r?\n/);
    // the echoed command first, the prompt last
    return lines.slice(1, -1);
  };
  for (const line of cli.setup) await run(line);
  return { run, end: () => client.end() };
}

/** The running configuration, as a fresh session shows it. */
async function runningConfig(name: string): Promise<string[]> {
  const s = await session(name);
  try {
    return await s.run(CLI[deviceNamed(lab.devices, name).vendor].show);
  } finally {
    s.end();
  }
}

/** Lines that differ between two versions of a configuration of the same length (the lab adds no lines here). */
function changedLines(before: string[], after: string[]): [string, string][] {
  expect(after).toHaveLength(before.length);
  return before.flatMap((line, i) => (line === after[i] ? [] : [[line, after[i]!] as [string, string]]));
}

/**
 * Header lines the device rewrites on every change: time stamps, and the size IOS counts. (The lab's
 * VRP derives its `saved at` from the last change too.)
 */
const STAMP =
  /^(?:!Last configuration was (?:updated|saved) at|! Last configuration change at|Current configuration :|## Last commit:)/;

beforeAll(async () => {
  const fleet = [
    ...defaultLabFleet(2, creds, 'huawei_vrp'),
    ...defaultLabFleet(1, creds, 'cisco_ios').map((s) => ({ ...s, name: 'lab-ios-01' })),
    ...defaultLabFleet(1, creds, 'h3c_comware'),
    ...defaultLabFleet(1, creds, 'juniper_junos'),
  ];
  lab = await startLab(fleet, { hostKey: generateHostKey() });
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.end();
  await lab?.close();
});

describe('configuration changes stick for the device lifetime, on that device only', () => {
  it('has the devices this test expects', () => {
    expect(lab.devices.map((d) => [d.name, d.vendor])).toEqual([
      ['lab-vrp-01', 'huawei_vrp'],
      ['lab-vrp-02', 'huawei_vrp'],
      ['lab-ios-01', 'cisco_ios'],
      ['lab-h3c-01', 'h3c_comware'],
      ['lab-junos-01', 'juniper_junos'],
    ]);
  });

  for (const name of ['lab-vrp-01', 'lab-ios-01', 'lab-h3c-01', 'lab-junos-01']) {
    it(`${name}: a description set in one session is exactly the change the next session shows`, async () => {
      const cli = CLI[deviceNamed(lab.devices, name).vendor];
      const text = `Patch-${name}-B12`;
      const before = await runningConfig(name);
      const others = await Promise.all(
        lab.devices
          .filter((d) => d.name !== name)
          .map(async (d) => [d.name, await runningConfig(d.name)] as const),
      );

      const s = await session(name);
      for (const line of cli.describe(cli.port, text)) {
        const out = await s.run(line);
        expect(out.join('\n'), line).not.toMatch(/Error|% |syntax error|unknown command/);
      }
      s.end();

      const after = await runningConfig(name);
      const changes = changedLines(before, after).filter(([, now]) => !STAMP.test(now));
      expect(changes).toHaveLength(1);
      const [was, now] = changes[0]!;
      expect(now).toBe(cli.shown(text));
      // the port's description before: the lab's seed (`Desk-2F-017`), replaced in place
      expect(was).toBe(cli.shown('Desk-2F-017'));
      for (const [other, config] of others) expect(await runningConfig(other), other).toEqual(config);
    }, 60_000);
  }

  it('lab-vrp-01: an account and a community configured later stick, stored the way VRP stores them', async () => {
    const s = await session('lab-vrp-01');
    for (const line of [
      'system-view',
      'aaa',
      'local-user backup password irreversible-cipher Backup#2025',
      'local-user backup privilege level 3',
      'local-user backup service-type ssh',
      'quit',
      'snmp-agent community read cipher NmsRead2025 acl 2000',
      'return',
    ]) {
      const out = await s.run(line);
      expect(out.join('\n'), line).not.toMatch(/Error/);
    }
    s.end();
    const config = await runningConfig('lab-vrp-01');
    const text = config.join('\n');
    expect(text).not.toContain('Backup#2025');
    expect(text).not.toContain('NmsRead2025');
    expect(config.filter((l) => l.startsWith(' local-user backup'))).toEqual([
      expect.stringMatching(/^ local-user backup password irreversible-cipher \$1d\$\S{22}\$$/),
      ' local-user backup privilege level 3',
      ' local-user backup service-type ssh',
    ]);
    expect(config.filter((l) => l.startsWith('snmp-agent community'))).toEqual([
      expect.stringMatching(/^snmp-agent community read cipher %\^%#\S+%\^%#$/),
      expect.stringMatching(/^snmp-agent community read cipher %\^%#\S+%\^%# acl 2000$/),
    ]);
    const other = await runningConfig('lab-vrp-02');
    expect(other.some((l) => l.includes('local-user backup'))).toBe(false);
  }, 60_000);
});
