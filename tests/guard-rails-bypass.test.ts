import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLabFleet } from '../lab';
import { escapeRegExp } from '../lib/devices/drivers/shared';
import { createTask } from '../lib/tasks/service';
import { bashTarget, bypasses, enable, guardRules, IOS, openTerminal as open, VRP } from './guard-bypasses';
import { LAB_CREDS, startPortal, TestClient, waitFinalDetail, type Portal } from './harness';
import { addSshdDevice, startSshd, type RealSshd } from './sshd';

/**
 * Command guard rails (issue 19): every way of typing a denied command that the issue lists, against
 * the lab's VRP and IOS and against Debian's OpenSSH with bash (a peer nobody here wrote); the same
 * across a slow link is in guard-rails-slow-link.test.ts. The line is judged as the device will read
 * it, so none of them gets the command to the device.
 */

let portal: Portal;
let sshd: RealSshd;
const op2 = () => ({ id: portal.users.operator2, role: 'operator' as const });
/** A file the shell's denied `touch` would create. */
const marker = `/tmp/switchboard-bypass-${randomUUID()}`;
const BASH = bashTarget(marker);

beforeAll(async () => {
  sshd = await startSshd();
  portal = await startPortal({ lab: defaultLabFleet(2, LAB_CREDS) });
  await addSshdDevice(portal, sshd, {
    name: 'debian-openssh',
    vendor: 'generic',
    grantTo: [portal.users.operator2],
  });
  await guardRules(portal);
}, 60_000);
afterAll(async () => {
  await portal?.close();
  await sshd?.close();
});

const openTerminal = (name: string) => open(portal, name);

describe.each([
  ['lab VRP', VRP],
  ['lab IOS', IOS],
  ['Debian OpenSSH, bash', BASH],
])('%s: a denied line never reaches the device, however it was typed', (_name, t) => {
  async function atPrompt() {
    const c = await openTerminal(t.device);
    await t.reach?.(c);
    await c.waitOutput(t.prompt, 10_000);
    return c;
  }

  /** The device's line was cleared: the next command runs as typed. */
  async function nextRuns(c: TestClient) {
    const mark = c.outputTotal;
    c.send({ type: 'input', data: `${t.harmless[0].keys}\r` });
    const out = await c.waitOutputSince(
      mark,
      new RegExp(`${t.harmless[0].shows.source}[\\s\\S]*${t.prompt.source}`),
    );
    expect(out).not.toMatch(t.error);
  }

  it.each(bypasses(t))('%s', async (_how, keys) => {
    const c = await atPrompt();
    const mark = c.outputTotal;
    for (const k of typeof keys === 'string' ? [keys] : keys) c.send({ type: 'input', data: k });
    const out = await c.waitOutputSince(mark, new RegExp(`Not sent[\\s\\S]*${t.prompt.source}`));
    expect(out).toMatch(t.notice);
    expect(t.ran(out)).toBe(false);
    await nextRuns(c);
    expect(t.ran(c.outputSince(mark))).toBe(false);
    await c.closeTerminal();
  });

  it.each([
    ['typed', (s: string) => s],
    // as the page sends a paste when the device's shell asked for bracketed paste (bash does)
    ['bracketed', (s: string) => `\x1b[200~${s}\x1b[201~`],
  ])(
    'a pasted block (%s) with line breaks inside runs line by line and stops at the denied line',
    async (_how, wrap) => {
      const c = await atPrompt();
      const mark = c.outputTotal;
      const [before, after] = t.harmless;
      c.send({ type: 'input', data: wrap(`${before.keys}\r${t.command}\r${after.keys}\r`) });
      const out = await c.waitOutputSince(mark, new RegExp(`Not sent[\\s\\S]*${t.prompt.source}`));
      expect(out).toMatch(before.shows); // the line before ran
      expect(out).toMatch(/The rest of what was typed or pasted after it was not sent/);
      expect(t.ran(out)).toBe(false);
      await nextRuns(c);
      const all = c.outputSince(mark);
      expect(all).not.toMatch(after.shows); // the line after did not run
      expect(t.ran(all)).toBe(false);
      await c.closeTerminal();
    },
  );

  it('Up recalls a command that a rule denies since it ran: the recalled line is judged', async () => {
    const c = await atPrompt();
    const [recall] = t.harmless;
    c.send({ type: 'input', data: `${recall.keys}\r` });
    await c.waitOutput(new RegExp(`${recall.shows.source}[\\s\\S]*${t.prompt.source}`));
    const { policy } = portal.runtime;
    const r = await policy.create(
      portal.users.admin,
      { name: 'Recall test', patterns: [t.recallRule], action: 'deny', userIds: [portal.users.operator2] },
      (await policy.list())[0]!.id,
    );
    if (!r.ok) throw new Error(r.error);
    try {
      const mark = c.outputTotal;
      c.send({ type: 'input', data: '\x1b[A' });
      await c.waitOutputSince(mark, new RegExp(`${escapeRegExp(recall.keys)}$`));
      c.send({ type: 'input', data: '\r' });
      const out = await c.waitOutputSince(mark, new RegExp(`Not sent[\\s\\S]*${t.prompt.source}`));
      expect(out).toMatch(/Rule «Recall test» denies/);
      expect(out).not.toMatch(recall.shows);
    } finally {
      await policy.remove(portal.users.admin, r.id);
    }
    await c.closeTerminal();
  });
});

describe('Debian OpenSSH, bash: what only a shell does', () => {
  it.each([
    ['inside a chain', `true && touch ${marker}\r`],
    ['after sudo -n', `sudo -n touch ${marker}\r`],
  ])('%s', async (_how, keys) => {
    const c = await openTerminal('debian-openssh');
    await c.waitOutput(BASH.prompt, 10_000);
    const mark = c.outputTotal;
    c.send({ type: 'input', data: keys });
    expect(await c.waitOutputSince(mark, /Not sent[\s\S]*[$#] $/)).toMatch(BASH.notice);
    expect(existsSync(marker)).toBe(false);
    await c.closeTerminal();
  });

  it('an allowed command recalled over a typed denied one is judged as shown, and runs', async () => {
    const c = await openTerminal('debian-openssh');
    await c.waitOutput(BASH.prompt, 10_000);
    c.send({ type: 'input', data: 'echo one-two\r' });
    await c.waitOutput(/[\r\n]one-two\r\n[\s\S]*[$#] $/, 10_000);
    const mark = c.outputTotal;
    c.send({ type: 'input', data: `touch ${marker}\x1b[A\r` }); // typed, then recalled over it
    await c.waitOutputSince(mark, /[\r\n]one-two\r\n[\s\S]*[$#] $/);
    expect(c.outputSince(mark)).not.toMatch(/Not sent/);
    expect(existsSync(marker)).toBe(false);
    await c.closeTerminal();
  });
});

describe('Debian OpenSSH, bash: command mode and tasks', () => {
  it('command mode refuses the denied command; nothing runs', async () => {
    const c = await openTerminal('debian-openssh');
    await c.waitOutput(BASH.prompt, 10_000);
    c.send({ type: 'command', command: `touch ${marker}` });
    expect(await c.waitFrame('command_output', 10_000)).toMatchObject({
      status: 'error',
      output: expect.stringMatching(/^Not sent: Rule «No touching \(shell\)» denies/),
    });
    expect(existsSync(marker)).toBe(false);
    await c.closeTerminal();
  });

  it('a task with the denied command is refused when created, naming the device, the command and the rule', async () => {
    const form = {
      name: 'shell task',
      commands: `echo before\ntouch ${marker}`,
      deviceIds: [await portal.deviceId('debian-openssh')],
      concurrency: '1',
      timeoutSeconds: '20',
    };
    const r = await createTask(op2(), form, portal.tasks);
    expect(r).toMatchObject({
      ok: false,
      errors: {
        commands: `Refused by the guard rails: «touch ${marker}» on debian-openssh (rule «No touching (shell)»).`,
      },
    });
    // judged again when the device runs (a rule added after the task was queued): nothing is sent
    const unchecked = await createTask(op2(), form, { ...portal.tasks, policy: undefined });
    if (!unchecked.ok) throw new Error(JSON.stringify(unchecked.errors));
    const detail = await waitFinalDetail(portal, unchecked.id);
    expect(detail.devices[0]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^Not run: the guard rails refuse «touch .*; no command was sent\.$/),
    });
    expect(existsSync(marker)).toBe(false);
  });
});

describe('commands typed in a sub-mode', () => {
  it('IOS interface configuration: `shutdown` (a rule for configuration mode) and `do reload` are denied; `no shutdown` runs', async () => {
    const c = await openTerminal('lab-ios-01');
    await enable(c);
    await c.waitOutput(/lab-ios-01#$/);
    c.send({ type: 'input', data: 'conf t\rinterface GigabitEthernet1/0/3\r' });
    await c.waitOutput(/lab-ios-01\(config-if\)#$/);
    let mark = c.outputTotal;
    c.send({ type: 'input', data: 'shut\r' });
    let out = await c.waitOutputSince(mark, /Not sent[\s\S]*\(config-if\)#$/);
    expect(out).toMatch(/Rule «No shutdown in configuration» denies «shut»/);
    mark = c.outputTotal;
    c.send({ type: 'input', data: 'do rel\t\r' });
    out = await c.waitOutputSince(mark, /Not sent[\s\S]*\(config-if\)#$/);
    expect(out).toMatch(/Rule «No reboots for op2» denies/);
    expect(out).not.toMatch(/Proceed with reload/);
    mark = c.outputTotal;
    c.send({ type: 'input', data: 'no shutdown\rdo show running-config interface GigabitEthernet1/0/3\r' });
    out = await c.waitOutputSince(mark, /interface GigabitEthernet1\/0\/3[\s\S]*end[\s\S]*\(config-if\)#$/);
    expect(out).not.toMatch(/^ shutdown/m);
    expect(out).not.toMatch(/% Invalid/);
    await c.closeTerminal();
  });

  it('VRP interface view: `shutdown` (a rule for system view) is denied; `undo shutdown` runs', async () => {
    const c = await openTerminal('lab-vrp-01');
    await c.waitOutput(/<lab-vrp-01>$/);
    c.send({ type: 'input', data: 'system-view\rinterface GigabitEthernet0/0/3\r' });
    await c.waitOutput(/\[~?lab-vrp-01-GigabitEthernet0\/0\/3\]$/);
    let mark = c.outputTotal;
    c.send({ type: 'input', data: 'shutd\t\r' });
    const out = await c.waitOutputSince(mark, /Not sent[\s\S]*GigabitEthernet0\/0\/3\]$/);
    expect(out).toMatch(/Rule «No shutdown in configuration» denies «shutdown»/);
    mark = c.outputTotal;
    c.send({ type: 'input', data: 'undo shutdown\rdisplay this\r' });
    const shown = await c.waitOutputSince(mark, /interface GigabitEthernet0\/0\/3[\s\S]*return[\s\S]*\]$/);
    expect(shown).not.toMatch(/^ shutdown/m);
    expect(shown).not.toMatch(/Error:/);
    await c.closeTerminal();
  });
});

describe('IOS alias exec', () => {
  it('an alias whose command is denied is refused when it is defined', async () => {
    const c = await openTerminal('lab-ios-01');
    await enable(c);
    await c.waitOutput(/lab-ios-01#$/);
    c.send({ type: 'input', data: 'conf t\r' });
    await c.waitOutput(/lab-ios-01\(config\)#$/);
    const mark = c.outputTotal;
    c.send({ type: 'input', data: 'alias exec rl rel\r' });
    const out = await c.waitOutputSince(mark, /Not sent[\s\S]*lab-ios-01\(config\)#$/);
    expect(out).toMatch(/denies «rel»|denies «reload»/);
    await c.closeTerminal();
  });
});
