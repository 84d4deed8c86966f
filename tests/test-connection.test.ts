/**
 * Test connection: the device login run step by step, against the lab (SSH, telnet, faults, a
 * legacy-only device, a token login), two real sshd jump hosts, and hostile telnet servers. Each bad
 * input must fail at the right step with a reason, within the time limit; a new host key is never
 * saved.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as route from '../app/api/v1/devices/[id]/test-connection/route';
import { createApiToken } from '../lib/auth/tokens';
import { credentialContext } from '../lib/devices/credentials';
import { testConnection, type ConnectionTest, type TestStepId } from '../lib/devices/test-connection';
import { setRuntime } from '../lib/server/registry';
import type { LabDeviceSpec } from '../lab/types';
import { LAB_CREDS, startPortal, type Portal } from './harness';
import { startSshd, type RealSshd } from './sshd';

let portal: Portal;
let hopA: RealSshd;
let hopB: RealSshd;
const servers: net.Server[] = [];
const ids: Record<string, string> = {};

const spec = (name: string, vendor: LabDeviceSpec['vendor'], extra: Partial<LabDeviceSpec> = {}) => ({
  name,
  vendor,
  port: 0,
  ...LAB_CREDS,
  ...extra,
});

/** A TCP server on loopback that treats each connection as `onSocket` says. */
async function hostile(onSocket: (s: net.Socket) => void): Promise<number> {
  const srv = net.createServer((s) => {
    s.on('error', () => {});
    onSocket(s);
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return (srv.address() as net.AddressInfo).port;
}

/** Write `chunk` until the peer goes away, yielding between writes (the server shares our event loop). */
function flood(s: net.Socket, chunk: Buffer): void {
  const burst = Buffer.concat(Array.from({ length: 64 }, () => chunk));
  const pump = (): void => {
    if (s.destroyed || !s.writable) return;
    if (s.write(burst)) setImmediate(pump);
    else s.once('drain', pump);
  };
  pump();
}

async function addDevice(
  name: string,
  data: {
    host: string;
    port: number;
    vendor: string;
    username: string;
    secret: string;
    authType?: string;
  } & Record<string, unknown>,
) {
  const id = randomUUID();
  const { secret, ...rest } = data;
  await portal.db.device.create({
    data: {
      id,
      name,
      authType: 'password',
      ...rest,
      secretEnc: portal.vault.seal(secret, credentialContext(id, 'secret')),
      grants: { create: [{ userId: portal.users.operator }] },
    },
  });
  ids[name] = id;
  return id;
}

const addHop = (name: string, sshd: RealSshd) =>
  addDevice(name, {
    host: sshd.host,
    port: sshd.port,
    vendor: 'generic',
    username: sshd.username,
    authType: 'key',
    secret: sshd.privateKey,
  });

beforeAll(async () => {
  [hopA, hopB] = await Promise.all([startSshd(), startSshd()]);
  portal = await startPortal({
    lab: [
      spec('lab-vrp-01', 'huawei_vrp'),
      spec('lab-ios-01', 'cisco_ios'),
      spec('lab-ios-02', 'cisco_ios'), // the harness does not grant operators this one
      spec('tn-ios', 'cisco_ios', { transport: 'telnet' }),
      spec('con-vrp', 'huawei_vrp', { transport: 'telnet', kind: 'console_line' }),
      spec('refuses', 'huawei_vrp', { faults: { refuseLogin: true } }),
      spec('silent', 'huawei_vrp', { faults: { hang: 'session' } }),
      spec('no-banner', 'huawei_vrp', { faults: { hang: 'connect' } }),
      spec('old-ios', 'cisco_ios', { sshAlgorithms: 'legacy-only' }),
      spec('otp-vrp', 'huawei_vrp', { auth: 'keyboard-interactive-token', token: '123456' }),
      spec('behind-hops', 'huawei_vrp'),
      spec('wrong-vendor', 'h3c_comware'),
      spec('wrong-family', 'cisco_ios'),
    ],
  });
  await addHop('hop-a', hopA);
  await addHop('hop-b', hopB);
  // portal → hop-a → hop-b → behind-hops
  await portal.db.device.update({ where: { id: ids['hop-b'] }, data: { jumpHostId: ids['hop-a'] } });
  await portal.db.device.update({ where: { name: 'behind-hops' }, data: { jumpHostId: ids['hop-b'] } });
  // the lab stores the legacy-only device with the profile it needs; an engineer left it on modern
  await portal.db.device.update({ where: { name: 'old-ios' }, data: { sshAlgorithms: 'modern' } });
  // a Comware switch stored as VRP (same prompt shape), and an IOS router stored as VRP
  for (const name of ['wrong-vendor', 'wrong-family'])
    await portal.db.device.update({ where: { name }, data: { vendor: 'huawei_vrp' } });

  const silentTelnet = await hostile((s) =>
    s.write(Buffer.from('\xff\xfb\x01Welcome to the terminal server\r\n', 'latin1')),
  );
  const chattyTelnet = await hostile((s) =>
    flood(s, Buffer.from([255, 253, 39, 255, 251, 37, 255, 253, 24])),
  );
  for (const [name, port] of [
    ['tn-silent', silentTelnet],
    ['tn-chatty', chattyTelnet],
  ] as const)
    await addDevice(name, {
      host: '127.0.0.1',
      port,
      vendor: 'generic',
      transport: 'telnet',
      username: 'u',
      secret: 'p',
    });
}, 60_000);
afterAll(async () => {
  for (const s of servers) s.close();
  await portal?.close();
  await Promise.all([hopA, hopB].map((s) => s?.close()));
});

async function run(name: string, timeoutMs = 5_000, userId = portal.users.operator) {
  const t0 = Date.now();
  const r = await testConnection(await portal.deviceId(name), userId, portal.runtime, { timeoutMs });
  console.log(
    name,
    JSON.stringify(
      r.steps.map((s) => `${s.status} ${s.id} ${s.ms}: ${s.detail}`),
      null,
      1,
    ),
  );
  return { ...r, elapsed: Date.now() - t0 };
}

function step(r: ConnectionTest, id: TestStepId) {
  return r.steps.find((s) => s.id === id)!;
}

/** The run failed at `id`: every step before it ok (or not applicable), every one after it skipped. */
function expectFailedAt(r: ConnectionTest, id: TestStepId, detail: RegExp) {
  const at = r.steps.findIndex((s) => s.id === id);
  expect(r.ok).toBe(false);
  expect(
    r.steps.map((s) => s.status),
    JSON.stringify(r.steps, null, 1),
  ).toEqual(r.steps.map((_, i) => (i < at ? r.steps[i]!.status : i === at ? 'failed' : 'skipped')));
  for (const s of r.steps.slice(0, at)) expect(['ok', 'skipped'], s.id).toContain(s.status);
  expect(step(r, id).detail).toMatch(detail);
  expect(r.steps.filter((s) => s.status === 'failed')).toHaveLength(1);
}

describe('a good device', () => {
  it('SSH: every step ok, in words; a new host key is offered, never saved', async () => {
    const r = await run('lab-vrp-01');
    expect(r.ok, JSON.stringify(r.steps, null, 1)).toBe(true);
    expect(r.steps.map((s) => s.id)).toEqual([
      'access',
      'route',
      'tcp',
      'negotiation',
      'host_key',
      'auth',
      'prompt',
      'paging',
      'vendor',
    ]);
    expect(r.steps.every((s) => s.status === 'ok')).toBe(true);
    expect(step(r, 'route').detail).toMatch(/^SSH to 127\.0\.0\.1:\d+, direct$/);
    expect(step(r, 'tcp').detail).toMatch(/^TCP 127\.0\.0\.1:\d+ open \(\d+ ms\)$/);
    expect(step(r, 'negotiation').detail).toMatch(
      /^SSH \(modern profile\): kex \S+, host key ssh-ed25519, cipher \S+, MAC \S+$/,
    );
    expect(step(r, 'host_key').detail).toMatch(
      /^new key SHA256:\S+ — not saved; accept it on this page to trust it$/,
    );
    expect(step(r, 'auth').detail).toBe('authenticated as netops');
    expect(step(r, 'prompt').detail).toBe('prompt <lab-vrp-01> (exec mode)');
    expect(step(r, 'paging').detail).toBe('paging off: screen-length 0 temporary');
    expect(step(r, 'vendor').detail).toBe('stored Huawei VRP, the device says Huawei VRP (high confidence)');
    const row = await portal.db.device.findUniqueOrThrow({ where: { name: 'lab-vrp-01' } });
    expect(row.hostKeyFingerprint).toBeNull();
    expect(row.offeredHostKeyFingerprint).toMatch(/^SHA256:/);
    expect(step(r, 'host_key').detail).toContain(row.offeredHostKeyFingerprint!);
  });

  it('a key the portal already trusts is reported trusted', async () => {
    const login = await portal.runtime.login.open({
      deviceId: await portal.deviceId('lab-ios-01'),
      actor: { userId: portal.users.operator },
      purpose: 'terminal',
    });
    if (!login.ok) throw new Error(login.message);
    login.connection.close();
    const trusted = (await portal.db.device.findUniqueOrThrow({ where: { name: 'lab-ios-01' } }))
      .hostKeyFingerprint;
    const r = await run('lab-ios-01');
    expect(r.ok, JSON.stringify(r.steps, null, 1)).toBe(true);
    expect(step(r, 'host_key').detail).toBe(`host key ${trusted} (trusted)`);
    expect(step(r, 'prompt').detail).toBe('prompt lab-ios-01# (exec mode)'); // after enable
    expect(step(r, 'paging').detail).toBe('paging off: terminal length 0, terminal width 511');
  });

  it('telnet: negotiated options, no host key (not applicable), login, prompt, paging, vendor', async () => {
    const r = await run('tn-ios');
    expect(r.ok, JSON.stringify(r.steps, null, 1)).toBe(true);
    expect(step(r, 'route').detail).toMatch(/^Telnet to 127\.0\.0\.1:\d+, direct$/);
    expect(step(r, 'negotiation').detail).toMatch(/^telnet options ECHO, SGA/);
    expect(step(r, 'host_key')).toMatchObject({
      status: 'skipped',
      detail: expect.stringMatching(/^Telnet has no host key/),
    });
    for (const id of ['access', 'route', 'tcp', 'negotiation', 'auth', 'prompt', 'paging', 'vendor'] as const)
      expect(step(r, id).status, id).toBe('ok');
    expect(step(r, 'auth').detail).toBe('logged in as netops');
    expect(step(r, 'prompt').detail).toBe('prompt tn-ios# (exec mode)');
    expect(step(r, 'vendor').detail).toMatch(
      /^stored Cisco IOS \/ IOS-XE, the device says Cisco IOS \/ IOS-XE \(high confidence\)$/,
    );
  });

  it('a console line: no login of its own', async () => {
    const r = await run('con-vrp');
    expect(r.ok, JSON.stringify(r.steps, null, 1)).toBe(true);
    expect(step(r, 'auth')).toMatchObject({
      status: 'skipped',
      detail: expect.stringMatching(/console line/),
    });
    expect(step(r, 'prompt').detail).toBe('prompt <con-vrp> (exec mode)');
  });

  it('two jump hosts: the route names them, each hop negotiates and authenticates, no key is saved', async () => {
    const r = await run('behind-hops', 10_000);
    expect(r.ok, JSON.stringify(r.steps, null, 1)).toBe(true);
    expect(step(r, 'route').detail).toMatch(/^SSH to 127\.0\.0\.1:\d+ via hop-a → hop-b$/);
    expect(step(r, 'tcp').detail).toMatch(
      /^TCP hop-a 127\.0\.0\.1:\d+ open \(\d+ ms\); onward through hop-a → hop-b/,
    );
    expect(step(r, 'negotiation').detail).toMatch(
      /^hop-a: SSH \(modern profile\): kex .*; hop-b: SSH .*; SSH \(modern profile\)/,
    );
    expect(step(r, 'host_key').detail).toMatch(
      /^hop-a: new key SHA256:\S+ — not saved; accept it on its page.*; hop-b: new key .*; new key SHA256/,
    );
    expect(step(r, 'auth').detail).toMatch(
      /^hop-a: authenticated as \S+ with a key; hop-b: .*; authenticated as netops$/,
    );
    for (const n of ['hop-a', 'hop-b', 'behind-hops']) {
      const row = await portal.db.device.findUniqueOrThrow({ where: { name: n } });
      expect(row.hostKeyFingerprint, n).toBeNull();
      expect(row.offeredHostKeyFingerprint, n).toMatch(/^SHA256:/);
    }
  });
});

describe('bad input: a clear error at the step that failed', () => {
  it('a device the user may not operate fails at access', async () => {
    const r = await run('lab-ios-02');
    expectFailedAt(r, 'access', /You no longer have access to lab-ios-02/);
  });

  it('a jump-host loop fails at the route', async () => {
    await portal.db.device.update({ where: { id: ids['hop-a'] }, data: { jumpHostId: ids['hop-b'] } });
    try {
      expectFailedAt(await run('behind-hops'), 'route', /form a loop: behind-hops via .*hop-/);
    } finally {
      await portal.db.device.update({ where: { id: ids['hop-a'] }, data: { jumpHostId: null } });
    }
  });

  it('a jump host the user may not use fails at access, naming it', async () => {
    await portal.db.deviceGrant.delete({
      where: { userId_deviceId: { userId: portal.users.operator, deviceId: ids['hop-a']! } },
    });
    try {
      expectFailedAt(
        await run('behind-hops'),
        'access',
        /through the jump host hop-a, which you may not use/,
      );
    } finally {
      await portal.db.deviceGrant.create({
        data: { userId: portal.users.operator, deviceId: ids['hop-a']! },
      });
    }
  });

  it('a hop that refuses the connection fails at TCP, naming the hop', async () => {
    const spare = await startSshd();
    const id = await addHop('hop-gone', spare);
    await spare.close();
    // a new route, as the device form makes it: with the password entered again
    await portal.db.device.update({
      where: { name: 'behind-hops' },
      data: { jumpHostId: id, secretsRoute: null },
    });
    try {
      expectFailedAt(
        await run('behind-hops'),
        'tcp',
        /^TCP jump host hop-gone 127\.0\.0\.1:\d+: connection refused/,
      );
    } finally {
      await portal.db.device.update({
        where: { name: 'behind-hops' },
        data: { jumpHostId: ids['hop-b'], secretsRoute: null },
      });
    }
  });

  it('a hop that cannot reach the device fails at TCP, saying so', async () => {
    const free = await hostile((s) => s.destroy());
    servers.at(-1)!.close();
    const id = await addDevice('unreachable-behind-hop', {
      host: '127.0.0.1',
      port: free,
      vendor: 'huawei_vrp',
      username: 'netops',
      secret: 'x',
      jumpHostId: ids['hop-a'],
    });
    expect(id).toBeTruthy();
    expectFailedAt(
      await run('unreachable-behind-hop'),
      'tcp',
      /The jump host cannot reach unreachable-behind-hop \(127\.0\.0\.1:\d+\)/,
    );
  });

  it('a lab device that refuses the login fails at authentication, and still shows the key it offered', async () => {
    const r = await run('refuses');
    expectFailedAt(r, 'auth', /refused the login for user "netops"/);
    // the key exchange showed the key before authentication failed: name it (nothing is saved)
    expect(step(r, 'host_key').detail).toMatch(/^new key SHA256:\S+ — not saved \(the login did not finish/);
    const row = await portal.db.device.findUniqueOrThrow({ where: { id: await portal.deviceId('refuses') } });
    expect(row.hostKeyFingerprint).toBeNull();
  });

  it('an interactive prompt nobody answers (a one-time token) fails at authentication, at once', async () => {
    const r = await run('otp-vrp');
    expectFailedAt(r, 'auth', /asks «Token:» at login/);
    expect(r.elapsed).toBeLessThan(3_000);
  });

  it('a legacy-only device reached with modern fails at negotiation, naming the profile', async () => {
    const r = await run('old-ios');
    expectFailedAt(r, 'negotiation', /Choose the "legacy" SSH algorithm profile/);
    expect(step(r, 'negotiation').detail).toMatch(
      /under the "modern" profile: the device offers .*diffie-hellman-group1-sha1/,
    );
  });

  it('a telnet server that sends endless option negotiation fails at negotiation, quickly', async () => {
    const r = await run('tn-chatty');
    expectFailedAt(r, 'negotiation', /sent more than 200 telnet negotiation commands without any text/);
    expect(r.elapsed).toBeLessThan(2_000);
  });

  it('a telnet server that never sends a prompt fails at authentication when the time runs out', async () => {
    const r = await run('tn-silent', 3_000);
    expectFailedAt(
      r,
      'auth',
      /No login prompt .* from tn-silent within .*; it last sent «Welcome to the terminal server/,
    );
    expect(r.elapsed).toBeLessThan(3_500);
  });

  it('a device silent after login fails at the first prompt, within the time limit, saying the limit', async () => {
    const r = await run('silent', 2_500);
    expectFailedAt(r, 'prompt', /^Timed out \(the test.s 2.5 s limit\): No prompt within/);
    expect(r.elapsed).toBeGreaterThanOrEqual(2_000);
    expect(r.elapsed).toBeLessThan(3_000);
  });

  it('a port that accepts TCP but never speaks SSH fails at negotiation, within the time limit', async () => {
    const r = await run('no-banner', 2_000);
    expectFailedAt(r, 'negotiation', /did not complete the SSH login .* the SSH key exchange did not finish/);
    expect(step(r, 'tcp').status).toBe('ok');
    expect(r.elapsed).toBeLessThan(2_500);
  });

  it('a device that is down fails at TCP', async () => {
    await portal.labControl.setUp('lab-ios-01', false);
    try {
      expectFailedAt(await run('lab-ios-01'), 'tcp', /^TCP 127\.0\.0\.1:\d+: connection refused/);
    } finally {
      await portal.labControl.setUp('lab-ios-01', true);
    }
  });

  it('a stored vendor the device contradicts fails the vendor check', async () => {
    const r = await run('wrong-vendor');
    expectFailedAt(
      r,
      'vendor',
      /stored Huawei VRP, but the device says H3C Comware: the version output says/,
    );
    expect(step(r, 'prompt').detail).toBe('prompt <wrong-vendor> (exec mode)');
  });

  it('a stored vendor whose prompt the device does not show fails at the first prompt, asking about the vendor', async () => {
    const r = await run('wrong-family');
    expectFailedAt(
      r,
      'prompt',
      /not one Huawei VRP shows \(is the vendor right\?\); it last sent .*wrong-family>/s,
    );
  });
});

describe('the API', () => {
  it('answers operators with the steps; refuses viewers; 404 for a device the caller cannot see', async () => {
    setRuntime(portal.runtime);
    const token = async (userId: string) => {
      const r = await createApiToken({ id: userId }, { name: 'test-conn', scope: 'write' }, portal.runtime);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.token;
    };
    const post = (t: string, deviceId: string) =>
      route.POST(
        new Request(`http://127.0.0.1/api/v1/devices/${deviceId}/test-connection`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t}` },
        }),
        { params: Promise.resolve({ id: deviceId }) },
      );
    const op = await token(portal.users.operator);
    const ok = await post(op, await portal.deviceId('lab-vrp-01'));
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as ConnectionTest;
    expect(body.ok).toBe(true);
    expect(body.steps).toHaveLength(9);
    const failed = await post(op, await portal.deviceId('refuses'));
    expect(failed.status).toBe(200);
    expect(((await failed.json()) as ConnectionTest).steps.find((s) => s.status === 'failed')?.id).toBe(
      'auth',
    );
    expect((await post(await token(portal.users.viewer), await portal.deviceId('lab-vrp-01'))).status).toBe(
      403,
    );
    expect((await post(op, await portal.deviceId('lab-ios-02'))).status).toBe(404);
  });
});
