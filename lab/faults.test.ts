/**
 * The faults the drivers' tests need (a connection dropped after enable, before / in the middle of a
 * command's output or at its pager, an unknown prompt) and the commands that end a session (IOS `reload`,
 * VRP `reboot`), all over a real SSH connection.
 */
import type { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateHostKey, startLab, type RunningLab } from './server';
import { connectTo, deviceNamed, execCommand, openShell, type OutputReader } from './test-utils';
import type { LabDeviceSpec, LabFaults, LabVendor, RunningLabDevice } from './types';

const creds = { username: 'netops', password: 'S3cret!pw', enablePassword: 'En@ble' };

function spec(name: string, vendor: LabVendor, faults?: LabFaults): LabDeviceSpec {
  return { name, vendor, port: 0, ...creds, ...(faults ? { faults } : {}) };
}

const specs: LabDeviceSpec[] = [
  spec('ios-drop-enable', 'cisco_ios', { dropAfterEnable: true }),
  spec('vrp-drop-before', 'huawei_vrp', {
    dropOnCommand: { command: 'display version', when: 'before-output' },
  }),
  spec('vrp-drop-mid', 'huawei_vrp', {
    dropOnCommand: { command: 'display current-configuration', when: 'mid-output' },
  }),
  spec('vrp-drop-pager', 'huawei_vrp', {
    dropOnCommand: { command: 'display current-configuration', when: 'mid-pager' },
  }),
  spec('vrp8', 'huawei_vrp', { promptOverride: 'vrp8>' }),
  spec('ios', 'cisco_ios'),
  spec('vrp', 'huawei_vrp'),
];

let lab: RunningLab;
const clients: Client[] = [];

const device = (name: string): RunningLabDevice => deviceNamed(lab.devices, name);

interface Session {
  client: Client;
  sh: OutputReader;
  /** Resolves when the SSH connection is gone; `exited` says whether the shell ended with an exit status. */
  gone: Promise<{ exited: boolean }>;
}

async function login(name: string): Promise<Session> {
  const client = await connectTo(device(name));
  clients.push(client);
  const sh = await openShell(client);
  let exited = false;
  sh.channel.on('exit', () => (exited = true));
  const gone = new Promise<{ exited: boolean }>((resolve) => client.once('close', () => resolve({ exited })));
  return { client, sh, gone };
}

/** The connection was cut: the channel closed without an exit status. */
async function expectDropped(s: Session): Promise<void> {
  await s.sh.waitClosed();
  expect(await s.gone).toEqual({ exited: false });
}

beforeAll(async () => {
  lab = await startLab(specs, { hostKey: generateHostKey() });
});

afterAll(async () => {
  for (const c of clients) c.end();
  await lab?.close();
});

describe('dropAfterEnable', () => {
  it('cuts the connection after a correct enable secret, before the # prompt', async () => {
    const s = await login('ios-drop-enable');
    await s.sh.waitFor(/ios-drop-enable>$/);
    s.sh.write('enable\r');
    await s.sh.waitFor(/Password: $/);
    s.sh.write(`${creds.enablePassword}\r`);
    await expectDropped(s);
    expect(s.sh.pending).toBe('\r\n');
    expect(s.sh.text).not.toContain('ios-drop-enable#');
  });

  it('leaves a wrong secret alone: % Access denied and the > prompt again', async () => {
    const s = await login('ios-drop-enable');
    await s.sh.waitFor(/ios-drop-enable>$/);
    s.sh.write('enable\rwrong\r');
    expect(await s.sh.waitFor(/ios-drop-enable>$/)).toBe(
      'enable\r\nPassword: \r\n% Access denied\r\n\r\nios-drop-enable>',
    );
    s.sh.write('show version | include uptime\r');
    await s.sh.waitFor(/ios-drop-enable uptime is [^]*\r\nios-drop-enable>$/);
  });
});

describe('dropOnCommand', () => {
  it("'before-output': other commands run, the named one gets its echo and then the connection is cut", async () => {
    const s = await login('vrp-drop-before');
    await s.sh.waitFor(/<vrp-drop-before>$/);
    s.sh.write('display clock\r');
    await s.sh.waitFor(/Time Zone\(Beijing\) : UTC\+08:00\r\n<vrp-drop-before>$/);
    s.sh.write('  display version \r');
    await expectDropped(s);
    expect(s.sh.pending).toBe('  display version \r\n');
  });

  it("'mid-output': part of the output arrives, never its end nor the prompt", async () => {
    const s = await login('vrp-drop-mid');
    await s.sh.waitFor(/<vrp-drop-mid>$/);
    s.sh.write('screen-length 0 temporary\r');
    await s.sh.waitFor(/<vrp-drop-mid>$/);
    s.sh.write('display current-configuration\r');
    await expectDropped(s);
    expect(s.sh.pending).toContain('sysname vrp-drop-mid\r\n');
    expect(s.sh.pending).not.toMatch(/\r\nreturn\r\n/);
    expect(s.sh.pending).not.toContain('<vrp-drop-mid>');
  });

  it("'mid-pager': the connection is cut when the first pager prompt is shown", async () => {
    const s = await login('vrp-drop-pager');
    await s.sh.waitFor(/<vrp-drop-pager>$/);
    s.sh.write('display current-configuration\r');
    await expectDropped(s);
    expect(s.sh.pending).toMatch(/sysname vrp-drop-pager\r\n[^]* {2}---- More ----$/);
  });

  it('on an exec channel, cuts the output in the middle too', async () => {
    const client = await connectTo(device('vrp-drop-mid'));
    clients.push(client);
    const res = await execCommand(client, 'display current-configuration');
    const text = res.stdout.toString('utf8');
    expect(res.code).toBeUndefined();
    expect(text).toContain('sysname vrp-drop-mid');
    expect(text).not.toMatch(/\r\nreturn\r\n$/);
  });
});

describe('promptOverride', () => {
  it('shows the given prompt after login and after every command, whatever the view', async () => {
    const s = await login('vrp8');
    await s.sh.waitFor(/The current login time is .*\r\nvrp8>$/);
    s.sh.write('system-view\r');
    await s.sh.waitFor(/Enter system view, return user view with Ctrl\+Z\.\r\nvrp8>$/);
    s.sh.write('display foo\r');
    // The caret counts from the prompt shown.
    expect(await s.sh.waitFor(/vrp8>$/)).toBe(
      `display foo\r\n${' '.repeat(5 + 8)}^\r\nError: Unrecognized command found at '^' position.\r\nvrp8>`,
    );
    expect(s.sh.text).not.toContain('<vrp8>');
    expect(s.sh.text).not.toContain('[vrp8]');
  });

  it('leaves questions alone', async () => {
    const s = await login('vrp8');
    await s.sh.waitFor(/vrp8>$/);
    s.sh.write('save\r');
    await s.sh.waitFor(/Continue\? \[Y\/N\]:$/);
    s.sh.write('y\r');
    await s.sh.waitFor(/Info: Save the configuration successfully\.\r\nvrp8>$/);
  });
});

describe('commands that end the session', () => {
  it('IOS reload: refused at >, [confirm] with n aborts, Enter closes the session; the device stays up', async () => {
    const s = await login('ios');
    await s.sh.waitFor(/ios>$/);
    s.sh.write('reload\r');
    expect(await s.sh.waitFor(/ios>$/)).toBe(
      `reload\r\n${' '.repeat(4)}^\r\n% Invalid input detected at '^' marker.\r\n\r\nios>`,
    );
    s.sh.write(`enable\r${creds.enablePassword}\r`);
    await s.sh.waitFor(/ios#$/);
    s.sh.write('reload\r');
    await s.sh.waitFor(/reload\r\nProceed with reload\? \[confirm\]$/);
    s.sh.write('n\r');
    await s.sh.waitFor(/\r\nios#$/);
    s.sh.write('reload\r');
    await s.sh.waitFor(/\[confirm\]$/);
    s.sh.write('\r');
    await s.sh.waitClosed();
    expect(await s.gone).toEqual({ exited: true });
    expect(s.sh.pending).toMatch(
      /%SYS-5-RELOAD: Reload requested by console\. Reload Reason: Reload Command\.\r\n$/,
    );
    const again = await login('ios');
    await again.sh.waitFor(/ios>$/);
  });

  it('VRP reboot: [Y/N] with n keeps the session, y closes it; the device stays up', async () => {
    const s = await login('vrp');
    await s.sh.waitFor(/<vrp>$/);
    s.sh.write('reboot\r');
    await s.sh.waitFor(/reboot\r\nWarning: The system will reboot\. Continue\? \[Y\/N\]:$/);
    s.sh.write('n\r');
    await s.sh.waitFor(/n\r\n<vrp>$/);
    s.sh.write('reboot\r');
    await s.sh.waitFor(/\[Y\/N\]:$/);
    s.sh.write('y\r');
    await s.sh.waitClosed();
    expect(await s.gone).toEqual({ exited: true });
    expect(s.sh.pending).toBe('y\r\nInfo: system is rebooting ,please wait...\r\n');
    const again = await login('vrp');
    await again.sh.waitFor(/<vrp>$/);
  });
});
