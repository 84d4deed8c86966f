import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultLabFleet } from '../lab';
import { setUserGrants } from '../lib/auth/grants';
import { LAB_CREDS, startPortal, TestClient, type Portal } from './harness';

/**
 * Command guard rails in real terminals (issue 19): notices in the owner's language, long pastes,
 * command mode, confirmation, read-only terminals and pairing, against the lab. Every way of typing a
 * denied command (tab completion, history, editing, pastes…) is in guard-rails-bypass.test.ts.
 */

let portal: Portal;

beforeAll(async () => {
  portal = await startPortal({ lab: defaultLabFleet(2, LAB_CREDS) }); // lab-vrp-01, lab-ios-01
  const { policy } = portal.runtime;
  // operator2 is denied outright what operators are otherwise asked to confirm
  const r = await policy.create(
    portal.users.admin,
    {
      name: 'No reboots for op2',
      patterns: ['reboot', 'reload'],
      action: 'deny',
      userIds: [portal.users.operator2],
    },
    (await policy.list())[0]!.id,
  );
  expect(r.ok).toBe(true);
});
afterAll(async () => {
  await portal?.close();
});

async function openTerminal(name: string, userId: string, headers?: Record<string, string>) {
  const c = await TestClient.open(portal, `/ws/terminal/${await portal.deviceId(name)}`, userId, headers);
  c.send({ type: 'connect', cols: 120, rows: 30 });
  await c.waitFrame('terminal_connected');
  return c;
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
    await c.waitOutputSince(mark, /(Not sent|未发送)[\s\S]*<lab-vrp-01>$/);
    const out = c.outputSince(mark);
    expect(out).not.toMatch(/system will reboot/i);
    await c.closeTerminal();
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

describe('a long paste', () => {
  it('a paste longer than the keys a session holds (80 KB) is paced by it, not cut: every line is judged and sent', async () => {
    const c = await openTerminal('lab-vrp-01', portal.users.operator2);
    await c.waitOutput(/<lab-vrp-01>$/);
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
    await c.closeTerminal();
  }, 120_000);
});

describe('what a decision leaves behind', () => {
  it('a denied line is audited (who, device, line, rule, mode), marked in the recording, and the admins are told when the rule says so', async () => {
    const { policy } = portal.runtime;
    const r = await policy.create(
      portal.users.admin,
      {
        name: 'No saving (tell admins)',
        patterns: ['sav(e)'],
        action: 'deny',
        notify: true,
        userIds: [portal.users.operator2],
      },
      (await policy.list())[0]!.id,
    );
    if (!r.ok) throw new Error(r.error);
    try {
      const c = await openTerminal('lab-vrp-01', portal.users.operator2);
      const sessionId = c.frames.find((f) => f.type === 'terminal_connected')!.session_id as string;
      await c.waitOutput(/<lab-vrp-01>$/);
      const mark = c.outputTotal;
      c.send({ type: 'input', data: 'sav\r' });
      await c.waitOutputSince(
        mark,
        /Not sent: Rule «No saving \(tell admins\)» denies «sav»[\s\S]*<lab-vrp-01>$/,
      );
      await c.closeTerminal();
      expect(await guardAudit(portal.users.operator2, 'guard.denied')).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^lab-vrp-01: sav — deny by rule «No saving \\(tell admins\\)», user view \\(session ${sessionId.slice(0, 8)}\\)$`,
          ),
        ),
      );
      await vi.waitFor(async () => {
        const rec = await portal.db.recording.findUniqueOrThrow({
          where: { sessionId },
          include: { commands: true },
        });
        expect(rec.commands.map((m) => m.command)).toContain(
          '[guard rails: denied, rule «No saving (tell admins)»] sav',
        );
      });
      const told = await portal.db.notification.findMany({
        where: { userId: portal.users.admin, kind: 'command_guarded' },
      });
      expect(told.map((n) => n.title)).toContain('denied: sav on lab-vrp-01');
      expect(JSON.parse(told.find((n) => n.title === 'denied: sav on lab-vrp-01')!.params)).toMatchObject({
        device: 'lab-vrp-01',
        command: 'sav',
        outcome: 'denied',
        rule: 'No saving (tell admins)',
      });
      // nobody else is told
      expect(
        await portal.db.notification.count({
          where: { userId: { not: portal.users.admin }, kind: 'command_guarded' },
        }),
      ).toBe(0);
    } finally {
      await policy.remove(portal.users.admin, r.id);
    }
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
    await c.closeTerminal();
  });
});

describe('confirm: the operator types the device name to go on', () => {
  it('a wrong name discards the line; the right one runs it; both are audited', async () => {
    const c = await openTerminal('lab-vrp-01', portal.users.operator);
    await c.waitOutput(/<lab-vrp-01>$/);
    let mark = c.outputTotal;
    c.send({ type: 'input', data: 'reboot\r' });
    await c.waitOutput(/Device name:\x1b\[0m $/);
    expect(c.outputSince(mark)).toMatch(
      /Rule «Destructive commands \(Huawei VRP, H3C Comware\)» asks to confirm «reboot»/,
    );
    c.send({ type: 'input', data: 'lab-vrp-02\r' });
    await c.waitOutputSince(mark, /Not confirmed \(the device name did not match\)[\s\S]*<lab-vrp-01>$/);
    expect(c.outputSince(mark)).not.toMatch(/Continue\?/);
    mark = c.outputTotal;
    c.send({ type: 'input', data: 'reboot\r' });
    await c.waitOutputSince(mark, /Device name:\x1b\[0m $/);
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
    await c.closeTerminal();
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
    await c.closeTerminal();
  });
});

describe('a viewer’s terminal is read-only', () => {
  it('runs display commands, refuses system-view and reboot (typed or in command mode)', async () => {
    const c = await openTerminal('lab-vrp-01', portal.users.viewer);
    expect(c.frames.find((f) => f.type === 'terminal_connected')).toMatchObject({ read_only: true });
    await c.waitOutput(/<lab-vrp-01>$/);
    let mark = c.outputTotal;
    c.send({ type: 'input', data: 'dis ver\r' });
    await c.waitOutputSince(mark, /VRP \(R\) software[\s\S]*<lab-vrp-01>$/);
    mark = c.outputTotal;
    c.send({ type: 'input', data: 'sys\r' });
    await c.waitOutputSince(mark, /Not sent[\s\S]*<lab-vrp-01>$/);
    expect(c.outputSince(mark)).toMatch(
      /Rule «Read-only terminal: everything else \(viewers\)» denies «sys»/,
    );
    expect(c.outputSince(mark)).not.toMatch(/\[lab-vrp-01\]/); // never reached system view
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
    await c.closeTerminal();
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
    await c.waitOutputSince(
      mark,
      /Not sent: Rule «No reboots for op2» denies «reboot»\.[\s\S]*<lab-vrp-01>$/,
    );
    expect(c.outputSince(mark)).not.toMatch(/system will reboot/i);
    await c.closeTerminal();
  });
});
