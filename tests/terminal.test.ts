import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultLabFleet } from '../lab';
import { execCommand, connectTo } from '../lab/test-utils';
import { LAB_CREDS, startPortal, TestClient, type Portal } from './harness';

let portal: Portal;

beforeAll(async () => {
  const fleet = defaultLabFleet(4, LAB_CREDS);
  portal = await startPortal({
    lab: [
      ...fleet,
      { name: 'lab-refuse', vendor: 'huawei_vrp', port: 0, ...LAB_CREDS, faults: { refuseLogin: true } },
      { name: 'lab-hang', vendor: 'huawei_vrp', port: 0, ...LAB_CREDS, faults: { hang: 'connect' } },
      { name: 'lab-drop', vendor: 'cisco_ios', port: 0, ...LAB_CREDS, faults: { dropAfterMs: 600 } },
    ],
    readyTimeoutMs: 1500,
    limits: { perUser: 20, perDevice: 3 },
  });
});
afterAll(() => portal.close());

/** End the SSH session (not just the socket, which would leave it waiting to be resumed). */
async function finish(c: TestClient) {
  const open =
    c.frames.some((f) => f.type === 'terminal_connected') &&
    !c.frames.some((f) => f.type === 'terminal_closed');
  if (open && !c.closed) {
    c.send({ type: 'close' });
    await c.waitFrame('terminal_closed');
  }
  await c.close();
}

async function openTerminal(name: string, userId = portal.users.operator, size = { cols: 100, rows: 30 }) {
  const c = await TestClient.open(portal, `/ws/terminal/${await portal.deviceId(name)}`, userId);
  c.send({ type: 'connect', ...size });
  return c;
}

describe('terminal over /ws/terminal/:deviceId against the lab', () => {
  it('VRP: interactive round trip with the prompt, echo and output', async () => {
    const c = await openTerminal('lab-vrp-01');
    const hello = await c.waitFrame('terminal_connected');
    expect(hello.session_id).toEqual(expect.any(String));
    await c.waitOutput(/<lab-vrp-01>$/);
    c.send({ type: 'input', data: 'display version\r' });
    await c.waitOutput(/Huawei Versatile Routing Platform[\s\S]*<lab-vrp-01>$/);
    await finish(c);
  });

  it('IOS: enable with the secret, then paging is answered by hand in the terminal', async () => {
    const c = await openTerminal('lab-ios-01', portal.users.operator, { cols: 80, rows: 24 });
    await c.waitOutput(/lab-ios-01>$/);
    c.send({ type: 'input', data: 'enable\r' });
    await c.waitOutput(/Password: $/);
    c.send({ type: 'input', data: `${LAB_CREDS.enablePassword}\r` });
    await c.waitOutput(/lab-ios-01#$/);
    c.send({ type: 'input', data: 'show running-config\r' });
    await c.waitOutput(/ --More-- $/);
    c.send({ type: 'input', data: 'q' });
    await c.waitOutput(/lab-ios-01#$/);
    await finish(c);
  });

  it('command mode returns exactly what the device printed, paging handled', async () => {
    const lab = portal.lab.find((d) => d.name === 'lab-vrp-01')!;
    const direct = await connectTo(lab);
    const reference = (await execCommand(direct, 'display current-configuration')).stdout
      .toString('utf8')
      .replace(/\r\n/g, '\n')
      .trim();
    direct.end();

    const c = await openTerminal('lab-vrp-01');
    await c.waitOutput(/<lab-vrp-01>$/);
    c.send({ type: 'command', command: 'display current-configuration' });
    expect(await c.waitFrame('command_start')).toMatchObject({ command: 'display current-configuration' });
    const out = await c.waitFrame('command_output', 10_000);
    expect(out.status).toBe('success');
    expect(out.output).toBe(reference);
    expect(reference.split('\n').length).toBeGreaterThan(100); // long enough that it paged
    expect(c.output).toContain('---- More ----');

    c.send({ type: 'command', command: 'display nonsense' });
    const bad = await c.waitUntil(
      () => c.frames.filter((f) => f.type === 'command_output')[1],
      'second command_output',
    );
    expect(bad).toMatchObject({ status: 'error' });
    expect(bad.output).toMatch(/Error: Unrecognized command/);

    c.send({ type: 'get_history' });
    const plain = await c.waitFrame('command_history');
    expect(plain.history).toEqual(['display current-configuration', 'display nonsense']);
    expect(plain.results).toBeUndefined(); // only when asked: a reloaded tab asks once
    c.send({ type: 'get_history', with_results: true });
    const kept = await c.waitUntil(
      () => c.frames.filter((f) => f.type === 'command_history')[1],
      'command_history with results',
    );
    expect(kept.results).toEqual([
      { command: 'display current-configuration', output: reference, status: 'success' },
      { command: 'display nonsense', output: bad.output, status: 'error' },
    ]);
    await finish(c);
  });

  it('GBK device: Chinese interface descriptions arrive decoded', async () => {
    const c = await openTerminal('lab-vrp-02');
    await c.waitOutput(/<lab-vrp-02>$/);
    c.send({ type: 'command', command: 'display interface description' });
    const out = await c.waitFrame('command_output');
    expect(out.output).toContain('上联核心交换机');
    expect(c.output).toContain('上联核心交换机');
    await finish(c);
  });

  it('a tab switches its character set: GBK output read as UTF-8 is mojibake, and back', async () => {
    const c = await openTerminal('lab-vrp-02');
    expect((await c.waitFrame('terminal_connected')).encoding).toBe('gbk');
    await c.waitOutput(/<lab-vrp-02>$/);
    c.send({ type: 'set_encoding', encoding: 'utf-8' });
    expect(await c.waitFrame('encoding')).toMatchObject({ encoding: 'utf-8' });
    c.send({ type: 'command', command: 'display interface description' });
    const wrong = await c.waitFrame('command_output');
    expect(wrong.output).not.toContain('上联核心交换机');
    expect(wrong.output).toContain('\uFFFD');
    c.send({ type: 'set_encoding', encoding: 'gbk' });
    await c.waitFrame('encoding');
    c.send({ type: 'command', command: 'display interface description' });
    await c.waitUntil(() => c.frames.filter((f) => f.type === 'command_output').length >= 2, 'second result');
    const right = c.frames.filter((f) => f.type === 'command_output').at(-1)!;
    expect(right.output).toContain('上联核心交换机');
    // a bad value is refused by the protocol, the session stays
    c.send({ type: 'set_encoding', encoding: 'latin-1' });
    expect((await c.waitFrame('error')).code).toBe('bad_frame');
    await finish(c);
  });

  it('trusts the host key on first use and refuses a changed key with both fingerprints', async () => {
    const id = await portal.deviceId('lab-ios-01');
    await portal.db.device.update({ where: { id }, data: { hostKeyFingerprint: null, hostKey: null } });
    const first = await openTerminal('lab-ios-01');
    await first.waitFrame('terminal_connected');
    const stored = await portal.db.device.findUniqueOrThrow({ where: { id } });
    expect(stored.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    await finish(first);

    const bogus = 'SHA256:' + 'A'.repeat(43);
    await portal.db.device.update({ where: { id }, data: { hostKeyFingerprint: bogus } });
    const c = await openTerminal('lab-ios-01');
    const err = await c.waitFrame('terminal_error');
    expect(err.code).toBe('host_key_mismatch');
    expect(err.error).toContain(bogus);
    expect(err.error).toContain(stored.hostKeyFingerprint!);
    const after = await portal.db.device.findUniqueOrThrow({ where: { id } });
    expect(after.offeredHostKeyFingerprint).toBe(stored.hostKeyFingerprint);
    expect(after.hostKeyFingerprint).toBe(bogus); // nothing trusted silently
    await portal.db.device.update({ where: { id }, data: { hostKeyFingerprint: stored.hostKeyFingerprint } });
    await finish(c);
  });

  it('resumes after socket loss: scrollback first, then live output, same SSH session', async () => {
    const c = await openTerminal('lab-vrp-01');
    const { session_id } = await c.waitFrame('terminal_connected');
    await c.waitOutput(/<lab-vrp-01>$/);
    c.send({ type: 'input', data: 'system-view\r' });
    await c.waitOutput(/\[lab-vrp-01\]$/);
    await c.close(); // socket lost, session kept

    const back = await TestClient.open(
      portal,
      `/ws/terminal/${await portal.deviceId('lab-vrp-01')}`,
      portal.users.operator,
    );
    back.send({ type: 'connect', session_id: session_id as string });
    expect(await back.waitFrame('terminal_connected')).toMatchObject({ session_id });
    await back.waitOutput(/Enter system view[\s\S]*\[lab-vrp-01\]$/);
    // still in system view: it is the same shell
    back.send({ type: 'input', data: 'quit\r' });
    await back.waitOutput(/<lab-vrp-01>$/);
    await finish(back);
  });

  it("refuses another user's session id and input without a session", async () => {
    const c = await openTerminal('lab-vrp-01');
    const { session_id } = await c.waitFrame('terminal_connected');
    const other = await TestClient.open(
      portal,
      `/ws/terminal/${await portal.deviceId('lab-vrp-01')}`,
      portal.users.operator2,
    );
    other.send({ type: 'input', data: 'x' });
    expect((await other.waitFrame('terminal_error')).code).toBe('no_session');
    other.send({ type: 'connect', session_id: session_id as string });
    await other.waitUntil(() => other.frames.find((f) => f.code === 'session_expired'), 'session_expired');
    expect(other.output).toBe('');
    await other.close();
    c.send({ type: 'close' });
    await c.waitFrame('terminal_closed');
    c.send({ type: 'input', data: 'x' });
    await c.waitUntil(() => c.frames.find((f) => f.code === 'no_session'), 'no_session after close');
    await finish(c);
  });

  it('refuses devices not granted (404) before the handshake; a viewer gets a (read-only) terminal', async () => {
    const granted = await portal.deviceId('lab-vrp-01');
    const notGranted = await portal.deviceId('lab-ios-02');
    expect(await TestClient.refusal(portal, `/ws/terminal/${granted}`, portal.users.viewer)).toBe(101);
    expect(await TestClient.refusal(portal, `/ws/terminal/${notGranted}`, portal.users.operator)).toBe(404);
    expect(await TestClient.refusal(portal, '/ws/terminal/no-such-device', portal.users.admin)).toBe(404);
    expect(await TestClient.refusal(portal, `/ws/terminal/${notGranted}`, portal.users.admin)).toBe(101);
  });

  it('limits sessions per device with a clear refusal', async () => {
    const open = await Promise.all([1, 2, 3].map(() => openTerminal('lab-ios-02', portal.users.admin)));
    await Promise.all(open.map((c) => c.waitFrame('terminal_connected')));
    const fourth = await openTerminal('lab-ios-02', portal.users.admin);
    const err = await fourth.waitFrame('terminal_error');
    expect(err.code).toBe('limit_device');
    expect(err.error).toMatch(/already has 3 sessions/);
    for (const c of open) c.send({ type: 'close' });
    await Promise.all(open.map((c) => c.waitFrame('terminal_closed')));
    await Promise.all([...open, fourth].map(finish));
  });

  it("a device's own session limit overrides the default, both ways", async () => {
    const id = await portal.deviceId('lab-ios-01');
    await portal.db.device.update({ where: { id }, data: { maxSessions: 1 } });
    try {
      const first = await openTerminal('lab-ios-01', portal.users.admin);
      await first.waitFrame('terminal_connected');
      const second = await openTerminal('lab-ios-01', portal.users.admin);
      const err = await second.waitFrame('terminal_error');
      expect(err).toMatchObject({ code: 'limit_device' });
      expect(err.error).toMatch(/already has 1 sessions/);
      await Promise.all([first, second].map(finish));
      // a jump box may take more than the default of 3 in this suite
      await portal.db.device.update({ where: { id }, data: { maxSessions: 5 } });
      const many = await Promise.all(
        [1, 2, 3, 4, 5].map(() => openTerminal('lab-ios-01', portal.users.admin)),
      );
      await Promise.all(many.map((c) => c.waitFrame('terminal_connected')));
      await Promise.all(many.map(finish));
    } finally {
      await portal.db.device.update({ where: { id }, data: { maxSessions: null } });
    }
  });

  it('reports a device that refuses login, one that never answers, and one that drops mid-session', async () => {
    const refused = await openTerminal('lab-refuse', portal.users.admin);
    expect(await refused.waitFrame('terminal_error')).toMatchObject({ code: 'auth_failed' });
    const hung = await openTerminal('lab-hang', portal.users.admin);
    expect(await hung.waitFrame('terminal_error')).toMatchObject({ code: 'timeout' });
    const dropped = await openTerminal('lab-drop', portal.users.admin);
    await dropped.waitFrame('terminal_connected');
    const closed = await dropped.waitFrame('terminal_closed', 5000);
    expect(closed.reason).toMatch(/lost|ended/);
    await Promise.all([refused, hung, dropped].map(finish));
  });

  it('answers 1,000 malformed frames with error frames and keeps the session working', async () => {
    const c = await openTerminal('lab-vrp-01');
    await c.waitOutput(/<lab-vrp-01>$/);
    const bad = [
      '{',
      '[]',
      '{"type":"nope"}',
      '{"type":"resize","cols":99999,"rows":1}',
      '{"type":"input"}',
      'null',
    ];
    for (let i = 0; i < 1000; i++) c.send(bad[i % bad.length]!);
    c.send(JSON.stringify({ type: 'input', data: 'x'.repeat(70 * 1024) }));
    await c.waitUntil(
      () => c.frames.filter((f) => f.type === 'error').length >= 1001,
      '1001 error frames',
      10_000,
    );
    expect(c.frames.filter((f) => f.type === 'error').map((f) => f.code)).toContain('frame_too_large');
    c.send({ type: 'input', data: 'display clock\r' });
    await c.waitOutput(/display clock[\s\S]*<lab-vrp-01>$/);
    expect(portal.realtime.manager.count()).toBeGreaterThan(0);
    await finish(c);
  });

  it('audits session open/close and commands', async () => {
    const c = await openTerminal('lab-vrp-01');
    await c.waitOutput(/<lab-vrp-01>$/);
    c.send({ type: 'input', data: 'display clock\r' });
    await c.waitOutput(/display clock[\s\S]*<lab-vrp-01>$/);
    c.send({ type: 'close' });
    await c.waitFrame('terminal_closed');
    await vi.waitFor(async () => {
      const actions = (
        await portal.db.auditEvent.findMany({
          where: { userId: portal.users.operator, target: 'lab-vrp-01' },
        })
      ).map((e) => `${e.action}:${e.action === 'terminal.input' ? e.detail : ''}`);
      expect(actions).toEqual(
        expect.arrayContaining(['terminal.open:', 'terminal.input:display clock', 'terminal.close:']),
      );
    });
    await finish(c);
  });
});
