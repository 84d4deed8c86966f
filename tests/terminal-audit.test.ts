import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultLabFleet } from '../lab';
import { LAB_CREDS, startPortal, TestClient, type Portal } from './harness';
import { addSshdDevice, startSshd, type RealSshd } from './sshd';

let portal: Portal;
let sshd: RealSshd;

beforeAll(async () => {
  sshd = await startSshd();
  portal = await startPortal({ lab: defaultLabFleet(2, LAB_CREDS) }); // lab-vrp-01, lab-ios-01
  await addSshdDevice(portal, sshd, {
    name: 'debian-openssh',
    vendor: 'generic',
    grantTo: [portal.users.operator],
  });
});
afterAll(async () => {
  await portal?.close();
  await sshd?.close();
});

async function openTerminal(name: string) {
  const c = await TestClient.open(
    portal,
    `/ws/terminal/${await portal.deviceId(name)}`,
    portal.users.operator,
  );
  c.send({ type: 'connect', cols: 120, rows: 30 });
  await c.waitFrame('terminal_connected');
  return c;
}

async function finish(c: TestClient) {
  c.send({ type: 'close' });
  await c.waitFrame('terminal_closed');
  await c.close();
}

async function typed(target: string) {
  return (
    await portal.db.auditEvent.findMany({
      where: { userId: portal.users.operator, target, action: 'terminal.input' },
      orderBy: { at: 'asc' },
    })
  ).map((e) => e.detail);
}

describe('what the terminal audit hides (finding 17)', () => {
  it('a line whose echo ends in "password:" is audited in clear', async () => {
    const c = await openTerminal('lab-vrp-01');
    await c.waitOutput(/<lab-vrp-01>$/);
    const line = 'display current-configuration | include sysname password:';
    // typed the way a person types: the device echoes the line before Enter is pressed
    c.send({ type: 'input', data: line });
    await c.waitOutput(/sysname password:$/);
    c.send({ type: 'input', data: '\r' });
    await c.waitOutput(/sysname password:\r\n[\s\S]*<lab-vrp-01>$/);
    await vi.waitFor(async () => expect(await typed('lab-vrp-01')).toContain(line));
    expect(await typed('lab-vrp-01')).not.toContain('[input at a password prompt hidden]');
    await finish(c);
  });

  it('what is typed at a real password prompt (IOS enable) stays hidden', async () => {
    const c = await openTerminal('lab-ios-01');
    await c.waitOutput(/lab-ios-01>$/);
    c.send({ type: 'input', data: 'enable\r' });
    await c.waitOutput(/Password: $/);
    for (const ch of `${LAB_CREDS.enablePassword}\r`) c.send({ type: 'input', data: ch });
    await c.waitOutput(/lab-ios-01#$/);
    await vi.waitFor(async () =>
      expect((await typed('lab-ios-01')).sort()).toEqual(['[input at a password prompt hidden]', 'enable']),
    );
    const all = await portal.db.auditEvent.findMany({ where: { target: 'lab-ios-01' } });
    expect(JSON.stringify(all)).not.toContain(LAB_CREDS.enablePassword);
    await finish(c);
  });
});

describe('keys that are not part of a line stay out of the next one (finding 18: `qstty size`)', () => {
  it('the key that leaves `top` is not glued onto the next command (real OpenSSH, bash, top)', async () => {
    const c = await openTerminal('debian-openssh');
    await c.waitOutput(/[$#] $/, 10_000);
    c.send({ type: 'input', data: 'top\r' });
    await c.waitOutput(/load average/, 10_000); // top draws its screen
    c.send({ type: 'input', data: 'q' }); // no Enter: top quits on the key
    await c.waitOutput(/\x1b\[\?1l[\s\S]*[$#] $/, 10_000); // top leaves its screen, bash its prompt
    c.send({ type: 'input', data: 'stty size\r' });
    await c.waitOutput(/\b30 120\r?\n[\s\S]*[$#] $/);
    await vi.waitFor(async () => expect(await typed('debian-openssh')).toEqual(['top', 'stty size']));
    await finish(c);
  });

  it('keys answering the pager and arrow keys are not text of the next line (VRP ---- More ----)', async () => {
    const c = await openTerminal('lab-vrp-01');
    await c.waitOutput(/<lab-vrp-01>$/);
    c.send({ type: 'input', data: 'dis cur\r' });
    await c.waitOutput(/---- More ----$/);
    c.send({ type: 'input', data: ' ' });
    await c.waitOutput(/\x1b\[16D[\s\S]*---- More ----$/);
    c.send({ type: 'input', data: 'q' });
    await c.waitOutput(/<lab-vrp-01>$/);
    c.send({ type: 'input', data: '\x1b[C\x1bOBdisplay clock\r' }); // → and ↓ (application mode)
    await c.waitOutput(/display clock[\s\S]*<lab-vrp-01>$/);
    await vi.waitFor(async () =>
      expect(await typed('lab-vrp-01')).toEqual(expect.arrayContaining(['dis cur', 'display clock'])),
    );
    expect(
      (await typed('lab-vrp-01')).filter(
        (l) => /q|\[/.test(l) && l !== 'display current-configuration | include sysname password:',
      ),
    ).toEqual([]);
    await finish(c);
  });
});
