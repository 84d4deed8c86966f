/**
 * The telnet transport through the one device login, against Debian's inetutils telnetd (a peer
 * nobody here wrote): an interactive terminal with resize (NAWS) and command mode, a batch task, and a
 * wrong password refused with the server's words.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { credentialContext } from '../lib/devices/credentials';
import { createTask, getTaskDetail } from '../lib/tasks/service';
import { startPortal, TestClient, type Portal } from './harness';
import { startSshd, type RealSshd } from './sshd';
import { startTelnetd, type RealTelnetd } from './telnetd';

let portal: Portal;
let telnetd: RealTelnetd;

async function addTelnetDevice(name: string, password: string) {
  const id = randomUUID();
  await portal.db.device.create({
    data: {
      id,
      name,
      host: telnetd.host,
      port: telnetd.port,
      vendor: 'generic',
      transport: 'telnet',
      username: telnetd.username,
      authType: 'password',
      secretEnc: portal.vault.seal(password, credentialContext(id, 'secret')),
      grants: { create: { userId: portal.users.operator } },
    },
  });
  return id;
}

let hop: RealSshd;

beforeAll(async () => {
  [telnetd, hop] = await Promise.all([startTelnetd(), startSshd()]);
  portal = await startPortal({ lab: [] });
});
afterAll(async () => {
  await portal?.close();
  await Promise.all([telnetd?.close(), hop?.close()]);
});

/** Debian's sshd as a jump host in the inventory (key login), operable by the operator. */
async function addHop(name: string) {
  const id = randomUUID();
  await portal.db.device.create({
    data: {
      id,
      name,
      host: hop.host,
      port: hop.port,
      vendor: 'generic',
      username: hop.username,
      authType: 'key',
      secretEnc: portal.vault.seal(hop.privateKey, credentialContext(id, 'secret')),
      grants: { create: { userId: portal.users.operator } },
    },
  });
  return id;
}

const PROMPT = /[$#] $/;

describe("telnet devices against Debian's telnetd", () => {
  it('terminal: login, resize seen by stty size (NAWS), command mode', async () => {
    const id = await addTelnetDevice('debian-telnet', telnetd.password);
    const c = await TestClient.open(portal, `/ws/terminal/${id}`, portal.users.operator);
    c.send({ type: 'connect', cols: 100, rows: 30 });
    await c.waitFrame('terminal_connected', 15_000);
    await c.waitOutput(PROMPT, 10_000);
    c.send({ type: 'input', data: 'stty size\r' });
    await c.waitOutput(/\b30 100\r?\n[\s\S]*[$#] $/);
    c.send({ type: 'resize', cols: 132, rows: 50 });
    c.send({ type: 'input', data: 'stty size\r' });
    await c.waitOutput(/50 132\r?\n[\s\S]*[$#] $/);
    c.send({ type: 'command', command: 'printf "alpha\\nbeta\\n"' });
    expect(await c.waitFrame('command_output', 10_000)).toMatchObject({
      status: 'success',
      output: 'alpha\nbeta',
    });
    c.send({ type: 'input', data: 'exit\r' });
    expect((await c.waitFrame('terminal_closed', 10_000)).reason).toMatch(/ended|lost/);
    await c.close();
  });

  it('a task runs over telnet; a wrong password fails with what the server said', async () => {
    const good = await addTelnetDevice('debian-telnet-task', telnetd.password);
    const bad = await addTelnetDevice('debian-telnet-bad', 'not-the-password');
    const operator = { id: portal.users.operator, role: 'operator' as const };
    const r = await createTask(
      operator,
      {
        name: 'telnet',
        commands: 'echo "over telnet"',
        deviceIds: [good, bad],
        concurrency: '2',
        timeoutSeconds: '30',
      },
      portal.tasks,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    await vi.waitFor(
      async () =>
        expect((await portal.db.task.findUniqueOrThrow({ where: { id: r.id } })).status).toBe('failed'),
      { timeout: 30_000, interval: 50 },
    );
    const d = (await getTaskDetail(operator, r.id, portal.tasks))!;
    const byName = Object.fromEntries(d.devices.map((x) => [x.deviceName, x]));
    expect(byName['debian-telnet-task']).toMatchObject({ status: 'success' });
    expect(byName['debian-telnet-task']!.outputs[0]!.output).toBe('over telnet');
    expect(byName['debian-telnet-bad']!.status).toBe('failed');
    expect(byName['debian-telnet-bad']!.error).toMatch(/Login incorrect/);
  });

  it("through an SSH jump host (Debian's sshd forwarding to Debian's telnetd): terminal, resize and a task", async () => {
    const jump = await addHop('telnet-jump');
    const id = await addTelnetDevice('debian-telnet-behind-hop', telnetd.password);
    await portal.db.device.update({ where: { id }, data: { jumpHostId: jump } });
    const c = await TestClient.open(portal, `/ws/terminal/${id}`, portal.users.operator);
    c.send({ type: 'connect', cols: 90, rows: 20 });
    await c.waitFrame('terminal_connected', 15_000);
    await c.waitOutput(PROMPT, 10_000);
    // NAWS travels through the forwarded channel like everything else
    c.send({ type: 'input', data: 'stty size\r' });
    await c.waitOutput(/\b20 90\r?\n[\s\S]*[$#] $/);
    c.send({ type: 'command', command: 'echo "via the jump host"' });
    expect(await c.waitFrame('command_output', 10_000)).toMatchObject({
      status: 'success',
      output: 'via the jump host',
    });
    c.send({ type: 'input', data: 'exit\r' });
    expect((await c.waitFrame('terminal_closed', 10_000)).reason).toMatch(/ended|lost/);
    await c.close();

    const operator = { id: portal.users.operator, role: 'operator' as const };
    const r = await createTask(
      operator,
      { name: 'telnet via hop', commands: 'echo "over the hop"', deviceIds: [id], concurrency: '1', timeoutSeconds: '30' },
      portal.tasks,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    await vi.waitFor(
      async () =>
        expect((await portal.db.task.findUniqueOrThrow({ where: { id: r.id } })).status).toBe('completed'),
      { timeout: 30_000, interval: 50 },
    );
    const d = (await getTaskDetail(operator, r.id, portal.tasks))!;
    expect(d.devices[0]!.outputs[0]!.output).toBe('over the hop');
  });

  it('a jump host that cannot reach the telnet device says so, naming both', async () => {
    const jump = await addHop('telnet-jump-2');
    const id = await addTelnetDevice('telnet-nowhere', telnetd.password);
    await portal.db.device.update({ where: { id }, data: { jumpHostId: jump, port: 1 } });
    const r = await portal.runtime.login.open({ deviceId: id, actor: { userId: portal.users.operator }, purpose: 'task' });
    expect(r).toMatchObject({ ok: false, code: 'unreachable', message: expect.stringMatching(/jump host cannot reach telnet-nowhere/) });
  });
});
