/** The H3C Comware and Junos personalities over SSH: prompts, modes, paging, errors, questions, reboot. */

import type { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { JUNOS_PAGER_ERASE } from './cli-junos';
import { VRP_PAGER_ERASE } from './cli-vrp';
import { defaultLabFleet, generateHostKey, startLab, type RunningLab } from './server';
import { connectTo, deviceNamed, firstLineFrom, openShell, type OutputReader } from './test-utils';
import type { RunningLabDevice } from './types';

const creds = { username: 'netops', password: 'S3cret!pw', enablePassword: 'En@ble' };
let lab: RunningLab;
const clients: Client[] = [];

const device = (name: string): RunningLabDevice => deviceNamed(lab.devices, name);

async function login(name: string): Promise<{ client: Client; sh: OutputReader }> {
  const client = await connectTo(device(name));
  clients.push(client);
  return { client, sh: await openShell(client) };
}

/** Answers a question that ends the session and checks it ended cleanly (exit status), not dropped. */
async function expectCleanClose(client: Client, sh: OutputReader, answer: string): Promise<void> {
  let exitCode: number | undefined;
  sh.channel.on('exit', (code: number) => (exitCode = code));
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  sh.write(answer);
  await sh.waitClosed();
  await closed;
  expect(exitCode).toBe(0);
}

beforeAll(async () => {
  const fleet = [...defaultLabFleet(1, creds, 'h3c_comware'), ...defaultLabFleet(1, creds, 'juniper_junos')];
  lab = await startLab(fleet, { hostKey: generateHostKey() });
});

afterAll(async () => {
  for (const c of clients) c.end();
  await lab?.close();
});

describe('fleet', () => {
  it('names single-vendor fleets lab-h3c-NN and lab-junos-NN and keeps the mix VRP / IOS', () => {
    expect(defaultLabFleet(2, creds, 'h3c_comware').map((s) => [s.name, s.vendor])).toEqual([
      ['lab-h3c-01', 'h3c_comware'],
      ['lab-h3c-02', 'h3c_comware'],
    ]);
    expect(defaultLabFleet(1, creds, 'juniper_junos')[0]).toMatchObject({
      name: 'lab-junos-01',
      encoding: 'utf-8',
    });
    expect(defaultLabFleet(4, creds).map((s) => s.vendor)).toEqual([
      'huawei_vrp',
      'cisco_ios',
      'huawei_vrp',
      'cisco_ios',
    ]);
  });
});

describe('H3C Comware over SSH', () => {
  it('announces Comware, shows the banner and <name>, walks the views', async () => {
    expect(await firstLineFrom(device('lab-h3c-01').port)).toBe('SSH-2.0-Comware-7.1.070');
    const { sh } = await login('lab-h3c-01');
    await sh.waitFor(
      /no decompiling or reverse-engineering shall be allowed\. +\*\r\n\*+\r\n\r\n<lab-h3c-01>$/,
    );
    sh.write('system-view\r');
    await sh.waitFor(/System View: return to User View with Ctrl\+Z\.\r\n\[lab-h3c-01\]$/);
    sh.write('interface GigabitEthernet1/0/1\r');
    await sh.waitFor(/\r\n\[lab-h3c-01-GigabitEthernet1\/0\/1\]$/);
    sh.write('quit\r');
    await sh.waitFor(/quit\r\n\[lab-h3c-01\]$/);
    sh.write('return\r');
    await sh.waitFor(/return\r\n<lab-h3c-01>$/);
    sh.write('display foo\r');
    expect(await sh.waitFor(/<lab-h3c-01>$/)).toBe(
      `display foo\r\n${' '.repeat(12 + 8)}^\r\n % Unrecognized command found at '^' position.\r\n<lab-h3c-01>`,
    );
  });

  it('pages with ---- More ---- until screen-length disable', async () => {
    const { sh } = await login('lab-h3c-01');
    await sh.waitFor(/<lab-h3c-01>$/);
    sh.write('display current-configuration\r');
    const page1 = await sh.waitFor(/ {2}---- More ----$/);
    expect(page1.split('\r\n')).toHaveLength(1 + 23 + 1);
    sh.write(' ');
    const page2 = await sh.waitFor(/ {2}---- More ----$/);
    expect(page2.startsWith(VRP_PAGER_ERASE)).toBe(true);
    sh.write('q');
    expect(await sh.waitFor(/<lab-h3c-01>$/)).toBe(`${VRP_PAGER_ERASE}<lab-h3c-01>`);
    sh.write('screen-length disable\r');
    expect(await sh.waitFor(/<lab-h3c-01>$/)).toBe('screen-length disable\r\n<lab-h3c-01>');
    sh.write('display current-configuration\r');
    const all = await sh.waitFor(/\r\nreturn\r\n<lab-h3c-01>$/);
    expect(all).not.toContain('More');
    expect(all).toContain(' sysname lab-h3c-01');
  });

  it('save asks [Y/N] and the file name; reboot y closes the session and the device takes new logins', async () => {
    const { client, sh } = await login('lab-h3c-01');
    await sh.waitFor(/<lab-h3c-01>$/);
    sh.write('save\r');
    await sh.waitFor(
      /save\r\nThe current configuration will be written to the device\. Are you sure\? \[Y\/N\]:$/,
    );
    sh.write('y\r');
    await sh.waitFor(
      /y\r\nPlease input the file name\(\*\.cfg\)\[flash:\/startup\.cfg\]\r\n\(To leave the existing filename unchanged, press the enter key\):$/,
    );
    sh.write('\r');
    await sh.waitFor(/Saved the current configuration to mainboard device successfully\.\r\n<lab-h3c-01>$/);
    sh.write('reboot\r');
    await sh.waitFor(/please wait\.{9}DONE!\r\nThis command will reboot the device\. Continue\? \[Y\/N\]:$/);
    await expectCleanClose(client, sh, 'y\r');
    expect(sh.text).toContain('Now rebooting, please wait...\r\n');
    const again = await login('lab-h3c-01');
    await again.sh.waitFor(/<lab-h3c-01>$/);
  });
});

describe('Junos over SSH', () => {
  const PROMPT = 'netops@lab-junos-01> ';

  it('logs in to user@host> , enters configuration mode with [edit], marks unknown commands', async () => {
    expect(await firstLineFrom(device('lab-junos-01').port)).toBe('SSH-2.0-OpenSSH_7.5');
    const { sh } = await login('lab-junos-01');
    await sh.waitFor(
      /^Last login: .* from 10\.0\.100\.5\r\n--- JUNOS 21\.4R3-S5\.4 Kernel 64-bit .*\r\nnetops@lab-junos-01> $/,
    );
    sh.write('show version | no-more\r');
    await sh.waitFor(
      /show version \| no-more\r\nHostname: lab-junos-01\r\nModel: ex4300-24t\r\nJunos: 21\.4R3-S5\.4\r\n/,
    );
    await sh.waitFor(/jet-1\]\r\n\r\nnetops@lab-junos-01> $/);
    sh.write('configure\r');
    await sh.waitFor(/configure\r\nEntering configuration mode\r\n\r\n\[edit\]\r\nnetops@lab-junos-01# $/);
    sh.write('exit\r');
    await sh.waitFor(/exit\r\nExiting configuration mode\r\n\r\nnetops@lab-junos-01> $/);
    sh.write('foo\r');
    expect(await sh.waitFor(/> $/)).toBe(
      `foo\r\n${' '.repeat(PROMPT.length)}^\r\nunknown command.\r\n\r\n${PROMPT}`,
    );
  });

  it('pages with ---(more)--- then ---(more N%)---; | no-more and set cli screen-length 0 turn it off', async () => {
    const { sh } = await login('lab-junos-01');
    await sh.waitFor(/> $/);
    sh.write('show configuration\r');
    const page1 = await sh.waitFor(/---\(more\)---$/);
    expect(page1.split('\r\n')).toHaveLength(1 + 23 + 1);
    sh.write(' ');
    const page2 = await sh.waitFor(/---\(more \d{1,2}%\)---$/);
    expect(page2.startsWith(JUNOS_PAGER_ERASE)).toBe(true);
    sh.write('q');
    expect(await sh.waitFor(/> $/)).toBe(`${JUNOS_PAGER_ERASE}${PROMPT}`);
    sh.write('show configuration | display set | no-more\r');
    const all = await sh.waitFor(/set vlans Management l3-interface irb\.100\r\n\r\nnetops@lab-junos-01> $/);
    expect(all).not.toContain('(more');
    sh.write('set cli screen-length 0\r');
    await sh.waitFor(/Screen length set to 0\r\n\r\nnetops@lab-junos-01> $/);
    sh.write('show configuration\r');
    const whole = await sh.waitFor(/\r\n}\r\n\r\nnetops@lab-junos-01> $/);
    expect(whole).not.toContain('(more');
    expect(whole).toContain('    host-name lab-junos-01;');
  });

  it('request system reboot: no keeps the session, yes closes it and the device takes new logins', async () => {
    const { client, sh } = await login('lab-junos-01');
    await sh.waitFor(/> $/);
    sh.write('request system reboot\r');
    await sh.waitFor(/request system reboot\r\nReboot the system \? \[yes,no\] \(no\) $/);
    sh.write('no\r');
    await sh.waitFor(/no\r\n\r\nnetops@lab-junos-01> $/);
    sh.write('request system reboot\r');
    await sh.waitFor(/\(no\) $/);
    await expectCleanClose(client, sh, 'yes\r');
    expect(sh.text).toContain('System going down IMMEDIATELY');
    const again = await login('lab-junos-01');
    await again.sh.waitFor(/> $/);
  });
});
