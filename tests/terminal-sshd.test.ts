import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortal, TestClient, type Portal } from './harness';
import { addSshdDevice, startSshd, type RealSshd } from './sshd';

let portal: Portal;
let sshd: RealSshd;
let deviceId: string;

beforeAll(async () => {
  sshd = await startSshd();
  portal = await startPortal({ lab: [] });
  deviceId = await addSshdDevice(portal, sshd, {
    name: 'debian-openssh',
    vendor: 'generic',
    grantTo: [portal.users.operator],
  });
});
afterAll(async () => {
  await portal?.close();
  await sshd?.close();
});

const PROMPT = /[$#] $/;

describe("terminal against Debian's OpenSSH sshd", () => {
  it('key login, interactive round trip, resize seen by stty size, command mode, host key stored', async () => {
    const c = await TestClient.open(portal, `/ws/terminal/${deviceId}`, portal.users.operator);
    c.send({ type: 'connect', cols: 100, rows: 30 });
    await c.waitFrame('terminal_connected');
    await c.waitOutput(PROMPT, 10_000);

    c.send({ type: 'input', data: 'stty size\r' });
    await c.waitOutput(/stty size[\s\S]*\b30 100\r?\n[\s\S]*[$#] $/);

    c.send({ type: 'resize', cols: 132, rows: 50 });
    c.send({ type: 'input', data: 'stty size\r' });
    await c.waitOutput(/50 132\r?\n[\s\S]*[$#] $/);

    c.send({ type: 'command', command: 'printf "alpha\\nbeta\\n"' });
    const out = await c.waitFrame('command_output', 10_000);
    expect(out).toMatchObject({ status: 'success', output: 'alpha\nbeta' });

    c.send({ type: 'input', data: 'printf "\\033[31mred\\033[0m done\\n"\r' });
    await c.waitOutput(/\x1b\[31mred\x1b\[0m done/); // colours pass through untouched

    const device = await portal.db.device.findUniqueOrThrow({ where: { id: deviceId } });
    expect(device.hostKeyFingerprint).toMatch(/^SHA256:/);

    c.send({ type: 'input', data: 'exit\r' });
    expect((await c.waitFrame('terminal_closed', 10_000)).reason).toMatch(/ended|lost/);
    await c.close();
  });

  it('a reattach from a smaller window resizes the session (stty size follows)', async () => {
    const c = await TestClient.open(portal, `/ws/terminal/${deviceId}`, portal.users.operator);
    c.send({ type: 'connect', cols: 98, rows: 42 });
    const { session_id } = await c.waitFrame('terminal_connected');
    await c.waitOutput(PROMPT, 10_000);
    await c.close();
    const back = await TestClient.open(portal, `/ws/terminal/${deviceId}`, portal.users.operator);
    back.send({ type: 'connect', session_id: session_id as string, cols: 80, rows: 27 });
    await back.waitFrame('terminal_connected');
    back.send({ type: 'input', data: 'stty size\r' });
    await back.waitOutput(/stty size[\s\S]*\b27 80\r?\n[\s\S]*[$#] $/);
    back.send({ type: 'close' });
    await back.close();
  });
});
