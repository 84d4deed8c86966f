import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultLabFleet } from '../lab';
import { setUserGrants } from '../lib/auth/grants';
import { LAB_CREDS, startPortal, TestClient, type Portal } from './harness';
import { addSshdDevice, startSshd, type RealSshd } from './sshd';

/**
 * Command guard rails in real terminals (issue 19): the line is judged as the device shows it when
 * Enter is pressed, so tab completion, history recall and line editing cannot get a denied command
 * through; against the lab's VRP and IOS and against Debian's OpenSSH with bash.
 */

let portal: Portal;
let sshd: RealSshd;
/** A file the shell's denied `touch` would create. */
const marker = `/tmp/switchboard-guard-${randomUUID()}`;

beforeAll(async () => {
  sshd = await startSshd();
  portal = await startPortal({ lab: defaultLabFleet(2, LAB_CREDS) }); // lab-vrp-01, lab-ios-01
  await addSshdDevice(portal, sshd, {
    name: 'debian-openssh',
    vendor: 'generic',
    grantTo: [portal.users.operator2],
  });
  const { policy } = portal.runtime;
  // operator2 is denied outright what operators are otherwise asked to confirm
  const made = await Promise.all([
    policy.create(
      portal.users.admin,
      {
        name: 'No reboots for op2',
        patterns: ['reboot', 'reload'],
        action: 'deny',
        userIds: [portal.users.operator2],
      },
      (await policy.list())[0]!.id,
    ),
    policy.create(portal.users.admin, {
      name: 'No touching (shell)',
      patterns: ['touch *'],
      action: 'deny',
      vendors: ['generic'],
      userIds: [portal.users.operator2],
    }),
  ]);
  expect(made.every((r) => r.ok)).toBe(true);
});
afterAll(async () => {
  await portal?.close();
  await sshd?.close();
});

async function openTerminal(name: string, userId: string, headers?: Record<string, string>) {
  const c = await TestClient.open(portal, `/ws/terminal/${await portal.deviceId(name)}`, userId, headers);
  c.send({ type: 'connect', cols: 120, rows: 30 });
  await c.waitFrame('terminal_connected');
  return c;
}

async function finish(c: TestClient) {
  c.send({ type: 'close' });
  await c.waitFrame('terminal_closed');
  await c.close();
}

/** Everything printed since `from` (a mark taken with `c.outputTotal`). */
function since(c: TestClient, from: number): string {
  return c.output.slice(Math.max(0, c.output.length - (c.outputTotal - from)));
}

/** Waits for output after `from` matching `re` (earlier output that matches does not count). */
function waitSince(c: TestClient, from: number, re: RegExp, timeoutMs = 5000): Promise<string> {
  return c.waitUntil(
    () => re.test(since(c, from)) && since(c, from),
    `output matching ${re} after ${from}`,
    timeoutMs,
  );
}

async function guardAudit(userId: string, action: string) {
  return (await portal.db.auditEvent.findMany({ where: { userId, action }, orderBy: { at: 'asc' } })).map(
    (e) => `${e.target}: ${e.detail}`,
  );
}

describe("the guard rails speak the owner's language", () => {
  const CHINESE = 'Switchboard: 未发送：规则 «No reboots for op2» 禁止 «reboot»。';

  async function deniedLine(headers?: Record<string, string>) {
    const c = await openTerminal('lab-vrp-01', portal.users.operator2, headers);
    await c.waitOutput(/<lab-vrp-01>$/);
    const mark = c.outputTotal;
    c.send({ type: 'input', data: 'reboot\r' });
    await waitSince(c, mark, /(Not sent|未发送)[\s\S]*<lab-vrp-01>$/);
    const out = since(c, mark);
    expect(out).not.toMatch(/system will reboot/i);
    await finish(c);
    return out;
  }

  it('a user who chose Chinese reads why a line was not sent in Chinese (rule name and command as written)', async () => {
    await portal.db.user.update({ where: { id: portal.users.operator2 }, data: { locale: 'zh-CN' } });
    try {
      expect(await deniedLine({ 'Accept-Language': 'en' })).toContain(CHINESE);
    } finally {
      await portal.db.user.update({ where: { id: portal.users.operator2 }, data: { locale: '' } });
    }
  });

  it("without a saved choice the browser's language decides; English otherwise", async () => {
    expect(await deniedLine({ 'Accept-Language': 'zh-TW,zh;q=0.9,en;q=0.8' })).toContain(CHINESE);
    const english = await deniedLine({ 'Accept-Language': 'de-DE' });
    expect(english).toMatch(/Switchboard: Not sent: Rule «No reboots for op2» denies «reboot»\./);
    expect(english).not.toContain('未发送');
  });
});

describe('VRP: a denied line never reaches the device, however it was typed', () => {
  const DENIED = /Switchboard: Not sent: Rule «No reboots for op2» denies «reboot»\./;
  const PROMPT = /<lab-vrp-01>$/;

  it.each([
    ['typed whole', 'reboot\r'],
    ['tab completion', 'reb\t\r'],
    ['abbreviated', 'reb\r'],
    ['Ctrl+A editing', 'oot\x01reb\r'],
    ['Left arrow and Backspace editing', 'rebooxt\x1b[D\x7f\x05\r'],
    ['leading spaces and mixed case', '   ReBoOt\r'],
  ])('%s', async (_how, keys) => {
    const c = await openTerminal('lab-vrp-01', portal.users.operator2);
    await c.waitOutput(PROMPT);
    const mark = c.outputTotal;
    c.send({ type: 'input', data: keys });
    await c.waitOutput(/Not sent[\s\S]*<lab-vrp-01>$/);
    const out = since(c, mark);
    expect(out).toMatch(/Not sent: Rule «No reboots for op2» denies/);
    expect(out).not.toMatch(/system will reboot/i);
    // the device's line was cleared: the next command runs as typed
    c.send({ type: 'input', data: 'display clock\r' });
    await c.waitOutput(/Time Zone[\s\S]*<lab-vrp-01>$/);
    expect(since(c, mark)).not.toMatch(/Error:/);
    await finish(c);
  });

  it('a line sent one key per frame', async () => {
    const c = await openTerminal('lab-vrp-01', portal.users.operator2);
    await c.waitOutput(PROMPT);
    const mark = c.outputTotal;
    for (const ch of 'reboot\r') c.send({ type: 'input', data: ch });
    await c.waitOutput(/Not sent[\s\S]*<lab-vrp-01>$/);
    expect(since(c, mark)).toMatch(DENIED);
    expect(since(c, mark)).not.toMatch(/system will reboot/i);
    await finish(c);
  });

  it('a pasted block runs line by line and stops at the denied line', async () => {
    const c = await openTerminal('lab-vrp-01', portal.users.operator2);
    await c.waitOutput(PROMPT);
    const mark = c.outputTotal;
    c.send({ type: 'input', data: 'display clock\rreboot\rdisplay version\r' });
    await c.waitOutput(/Not sent[\s\S]*<lab-vrp-01>$/);
    const out = since(c, mark);
    expect(out).toMatch(/Time Zone/); // the line before ran
    expect(out).toMatch(/The rest of what was typed or pasted after it was not sent/);
    expect(out).not.toMatch(/system will reboot/i);
    expect(out).not.toMatch(/VRP \(R\) software/); // the line after did not
    await finish(c);
  });

  it('a paste longer than the keys a session holds (80 KB) is paced by it, not cut: every line is judged and sent', async () => {
    const c = await openTerminal('lab-vrp-01', portal.users.operator2);
    await c.waitOutput(PROMPT);
    const tag = `P${Date.now().toString(36)}`;
    const lines = Array.from(
      { length: 900 },
      (_, i) => `display clock | include ${tag}-${String(i).padStart(4, '0')}-${'x'.repeat(56)}`,
    );
    const paste = `${lines.join('\r')}\rdisplay clock | include ${tag}-END\r`;
    // as the page does: 8 K frames, none while the session asks to wait
    const paused = () => c.frames.filter((f) => f.type === 'input_flow').at(-1)?.paused === true;
    for (let i = 0; i < paste.length; i += 8192) {
      await c.waitUntil(() => !paused(), 'the session to take more input', 30_000);
      c.send({ type: 'input', data: paste.slice(i, i + 8192) });
    }
    await c.waitOutput(new RegExp(`include ${tag}-END\\r\\n<lab-vrp-01>$`), 60_000);
    expect(c.frames.some((f) => f.type === 'input_flow' && f.paused === true)).toBe(true);
    expect(c.frames.at(-1)).not.toMatchObject({ type: 'input_flow', paused: true });
    expect(c.frames.filter((f) => f.type === 'terminal_error')).toEqual([]);
    // each line was judged and sent, in order (the audit has every line a guarded session sends)
    await vi.waitFor(
      async () => {
        const sent = (await guardAudit(portal.users.operator2, 'terminal.input')).filter((l) =>
          l.includes(tag),
        );
        expect(sent).toEqual([...lines, `display clock | include ${tag}-END`].map((l) => `lab-vrp-01: ${l}`));
      },
      { timeout: 10_000 },
    );
    await finish(c);
  }, 120_000);

  it('a look-alike letter (Cyrillic е) is judged as the Latin word', async () => {
    const c = await openTerminal('lab-vrp-01', portal.users.operator2);
    await c.waitOutput(PROMPT);
    c.send({ type: 'input', data: 'r\u0435boot\r' });
    await c.waitOutput(/Not sent[\s\S]*<lab-vrp-01>$/);
    await finish(c);
  });

  it('history recall (Up) of a command run before the rule applied', async () => {
    // an operator is asked to confirm; confirmed once, `reboot` is in the device's history
    const c = await openTerminal('lab-vrp-01', portal.users.operator);
    await c.waitOutput(PROMPT);
    c.send({ type: 'input', data: 'reboot\r' });
    await c.waitOutput(/Type lab-vrp-01 and press Enter[\s\S]*Device name:\x1b\[0m $/);
    c.send({ type: 'input', data: 'lab-vrp-01\r' });
    await c.waitOutput(/Continue\? \[Y\/N\]:$/);
    c.send({ type: 'input', data: 'n\r' });
    await c.waitOutput(PROMPT);
    // now a rule denies it to this operator too
    const { policy } = portal.runtime;
    const r = await policy.create(
      portal.users.admin,
      { name: 'Recall test', patterns: ['reboot'], action: 'deny', userIds: [portal.users.operator] },
      (await policy.list())[0]!.id,
    );
    if (!r.ok) throw new Error(r.error);
    try {
      const mark = c.outputTotal;
      c.send({ type: 'input', data: '\x1b[A' }); // ↑
      await c.waitOutput(/<lab-vrp-01>reboot$/);
      c.send({ type: 'input', data: '\r' });
      await waitSince(c, mark, /Not sent[\s\S]*<lab-vrp-01>$/);
      expect(since(c, mark)).toMatch(/Rule «Recall test» denies «reboot»/);
      expect(since(c, mark)).not.toMatch(/Continue\?/);
    } finally {
      await policy.remove(portal.users.admin, r.id);
    }
    await finish(c);
  });
});

describe('command mode adds to nothing typed at the prompt', () => {
  it('`reb` typed in the terminal, then `oot` in command mode: refused, the device never sees `reboot`', async () => {
    const c = await openTerminal('lab-vrp-01', portal.users.operator2);
    await c.waitOutput(/<lab-vrp-01>$/);
    c.send({ type: 'input', data: 'reb' });
    await c.waitOutput(/<lab-vrp-01>reb$/);
    c.send({ type: 'command', command: 'oot' });
    expect(await c.waitFrame('command_output')).toMatchObject({
      status: 'error',
      output: 'Not sent: «reb» is typed at the prompt; clear it in the terminal first.',
    });
    expect(c.output).not.toMatch(/system will reboot/i);
    await finish(c);
  });
});

describe('confirm: the operator types the device name to go on', () => {
  it('a wrong name discards the line; the right one runs it; both are audited', async () => {
    const c = await openTerminal('lab-vrp-01', portal.users.operator);
    await c.waitOutput(/<lab-vrp-01>$/);
    let mark = c.outputTotal;
    c.send({ type: 'input', data: 'reboot\r' });
    await c.waitOutput(/Device name:\x1b\[0m $/);
    expect(since(c, mark)).toMatch(
      /Rule «Destructive commands \(Huawei VRP, H3C Comware\)» asks to confirm «reboot»/,
    );
    c.send({ type: 'input', data: 'lab-vrp-02\r' });
    await waitSince(c, mark, /Not confirmed \(the device name did not match\)[\s\S]*<lab-vrp-01>$/);
    expect(since(c, mark)).not.toMatch(/Continue\?/);
    mark = c.outputTotal;
    c.send({ type: 'input', data: 'reboot\r' });
    await waitSince(c, mark, /Device name:\x1b\[0m $/);
    for (const ch of 'lab-vrp-01\r') c.send({ type: 'input', data: ch });
    await c.waitOutput(/Continue\? \[Y\/N\]:$/);
    c.send({ type: 'input', data: 'n\r' }); // the device's own question is answered, not judged
    await c.waitOutput(/<lab-vrp-01>$/);
    await vi.waitFor(async () => {
      expect(await guardAudit(portal.users.operator, 'guard.not_confirmed')).toContainEqual(
        expect.stringMatching(/^lab-vrp-01: reboot — confirm by rule «Destructive commands/),
      );
      expect(await guardAudit(portal.users.operator, 'guard.confirmed')).toContainEqual(
        expect.stringMatching(/^lab-vrp-01: reboot — confirm/),
      );
    });
    await finish(c);
  });

  it('command mode refuses a command that needs confirming, and says where to confirm it', async () => {
    const c = await openTerminal('lab-vrp-01', portal.users.operator);
    await c.waitOutput(/<lab-vrp-01>$/);
    c.send({ type: 'command', command: 'reboot' });
    const f = await c.waitFrame('command_output');
    expect(f).toMatchObject({
      status: 'error',
      output: expect.stringMatching(/Not sent: .*Type it in the terminal, where you can confirm it/),
    });
    await finish(c);
  });
});

describe('IOS: sub-modes, do and alias exec', () => {
  it('`do reload` in configuration mode and an alias for reload are denied', async () => {
    const c = await openTerminal('lab-ios-01', portal.users.operator2);
    await c.waitOutput(/lab-ios-01>$/);
    c.send({ type: 'input', data: 'enable\r' });
    await c.waitOutput(/Password: $/);
    c.send({ type: 'input', data: `${LAB_CREDS.enablePassword}\r` });
    await c.waitOutput(/lab-ios-01#$/);
    c.send({ type: 'input', data: 'conf t\r' });
    await c.waitOutput(/lab-ios-01\(config\)#$/);
    let mark = c.outputTotal;
    c.send({ type: 'input', data: 'do reload\r' });
    await waitSince(c, mark, /Not sent[\s\S]*lab-ios-01\(config\)#$/);
    expect(since(c, mark)).toMatch(/denies «reload»/);
    mark = c.outputTotal;
    c.send({ type: 'input', data: 'alias exec rl reload\r' });
    await waitSince(c, mark, /Not sent[\s\S]*lab-ios-01\(config\)#$/);
    expect(since(c, mark)).toMatch(/denies «reload»/);
    expect(since(c, mark)).not.toMatch(/Proceed with reload/);
    await finish(c);
  });
});

describe('Debian OpenSSH, bash line editing (generic vendor)', () => {
  it.each([
    ['typed whole', `touch ${marker}\r`],
    ['tab completion of the command', `tou\t ${marker}\r`],
    ['Ctrl+A editing', `ch ${marker}\x01tou\r`],
    ['inside a chain', `true && touch ${marker}\r`],
    ['after sudo -n', `sudo -n touch ${marker}\r`],
  ])('%s', async (_how, keys) => {
    const c = await openTerminal('debian-openssh', portal.users.operator2);
    await c.waitOutput(/[$#] $/, 10_000);
    c.send({ type: 'input', data: keys });
    await c.waitOutput(/Not sent: Rule «No touching \(shell\)» denies[\s\S]*[$#] $/, 10_000);
    // the shell's line is empty again: what runs next is only what is typed next
    c.send({ type: 'input', data: 'echo still-here\r' });
    await c.waitOutput(/[\r\n]still-here\r\n[\s\S]*[$#] $/, 10_000);
    expect(existsSync(marker)).toBe(false);
    await finish(c);
  });

  it('history recall of an allowed command is judged as shown; allowed lines run', async () => {
    const c = await openTerminal('debian-openssh', portal.users.operator2);
    await c.waitOutput(/[$#] $/, 10_000);
    c.send({ type: 'input', data: 'echo one-two\r' });
    await c.waitOutput(/[\r\n]one-two\r\n[\s\S]*[$#] $/, 10_000);
    c.send({ type: 'input', data: '\x1b[A' });
    await c.waitOutput(/echo one-two$/, 10_000);
    c.send({ type: 'input', data: `\x15touch ${marker}\x1b[A\r` }); // erase, type, then recall over it
    await c.waitOutput(/[\r\n]one-two\r\n[\s\S]*[$#] $/, 10_000);
    expect(existsSync(marker)).toBe(false);
    await finish(c);
  });
});

describe('a viewer’s terminal is read-only', () => {
  it('runs display commands, refuses system-view and reboot (typed or in command mode)', async () => {
    const c = await openTerminal('lab-vrp-01', portal.users.viewer);
    expect(c.frames.find((f) => f.type === 'terminal_connected')).toMatchObject({ read_only: true });
    await c.waitOutput(/<lab-vrp-01>$/);
    let mark = c.outputTotal;
    c.send({ type: 'input', data: 'dis ver\r' });
    await waitSince(c, mark, /VRP \(R\) software[\s\S]*<lab-vrp-01>$/);
    mark = c.outputTotal;
    c.send({ type: 'input', data: 'sys\r' });
    await waitSince(c, mark, /Not sent[\s\S]*<lab-vrp-01>$/);
    expect(since(c, mark)).toMatch(/Rule «Read-only terminal: everything else \(viewers\)» denies «sys»/);
    expect(since(c, mark)).not.toMatch(/\[lab-vrp-01\]/); // never reached system view
    c.send({ type: 'command', command: 'reboot' });
    expect(await c.waitFrame('command_output')).toMatchObject({
      status: 'error',
      output: expect.stringMatching(/^Not sent: /),
    });
    c.send({ type: 'command', command: 'display clock' });
    await c.waitUntil(
      () =>
        c.frames.some(
          (f) => f.type === 'command_output' && f.command === 'display clock' && f.status === 'success',
        ),
      'display clock in command mode',
    );
    await finish(c);
  });

  it('a viewer who can no longer see the device loses the terminal at once', async () => {
    const viewer = await portal.db.user.create({
      data: { username: `guard-viewer-${randomUUID().slice(0, 8)}`, passwordHash: 'x', role: 'viewer' },
    });
    const deviceId = await portal.deviceId('lab-vrp-01');
    await portal.db.deviceGrant.create({ data: { userId: viewer.id, deviceId, level: 'view' } });
    const c = await openTerminal('lab-vrp-01', viewer.id);
    await c.waitOutput(/<lab-vrp-01>$/);
    const admin = { id: portal.users.admin, username: 'admin', role: 'admin' as const };
    const r = await setUserGrants(admin as never, viewer.id, { devices: [] }, portal.runtime);
    expect(r.ok).toBe(true);
    expect((await c.waitFrame('terminal_closed')).reason).toMatch(/access to lab-vrp-01 was removed/i);
    await c.close();
  });
});

describe('pairing', () => {
  it('a guest at the keyboard is held by their own rules, even in an admin’s session', async () => {
    const c = await openTerminal('lab-vrp-01', portal.users.admin);
    await c.waitOutput(/<lab-vrp-01>$/);
    const connected = c.frames.find((f) => f.type === 'terminal_connected')!;
    const session = portal.terminals.get(connected.session_id as string)!;
    session.invite(portal.users.operator2, 'op2');
    expect(session.handOver(portal.users.operator2)).toBe(true);
    const mark = c.outputTotal;
    expect(session.input('reboot\r', portal.users.operator2)).toEqual({ ok: true });
    await waitSince(c, mark, /Not sent: Rule «No reboots for op2» denies «reboot»\.[\s\S]*<lab-vrp-01>$/);
    expect(since(c, mark)).not.toMatch(/system will reboot/i);
    await finish(c);
  });
});
