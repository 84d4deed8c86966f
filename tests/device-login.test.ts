import pino from 'pino';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPrismaClient } from '../lib/db/client';
import {
  createDeviceLogin,
  type DeviceLogin,
  type DeviceLoginObserver,
  type DeviceLoginResult,
} from '../lib/devices/connect';
import { credentialContext } from '../lib/devices/credentials';
import { defaultLabFleet } from '../lab';
import { createTask, retryFailed } from '../lib/tasks/service';
import { LAB_CREDS, startPortal, TestClient, waitFinalDetail, type Portal } from './harness';

let portal: Portal;
let login: DeviceLogin;

beforeAll(async () => {
  portal = await startPortal({ lab: defaultLabFleet(6, LAB_CREDS), readyTimeoutMs: 3000 });
  login = createDeviceLogin({
    db: portal.db,
    vault: portal.vault,
    log: pino({ level: 'silent' }),
    status: portal.status,
    readyTimeoutMs: 3000,
  });
});
afterAll(() => portal.close());

const operator = () => ({ id: portal.users.operator, role: 'operator' as const });

function failure(r: DeviceLoginResult) {
  if (r.ok) {
    r.connection.close();
    throw new Error(`expected a failure, logged in to ${r.connection.device.name}`);
  }
  return r;
}

async function asTerminal(userId: string, name: string, signal?: AbortSignal) {
  return login.open({
    deviceId: await portal.deviceId(name),
    actor: { userId },
    purpose: 'terminal',
    signal,
  });
}

describe('device login against the lab', () => {
  it('returns the connection with its driver, encoding and enable secret, and reports the device online', async () => {
    const id = await portal.deviceId('lab-ios-01');
    await portal.db.device.update({ where: { id }, data: { status: 'unknown' } });
    const ios = await asTerminal(portal.users.operator, 'lab-ios-01');
    if (!ios.ok) throw new Error(ios.message);
    expect(ios.connection.device).toMatchObject({ id, name: 'lab-ios-01', vendor: 'cisco_ios' });
    expect(ios.connection.driver.vendor).toBe('cisco_ios');
    expect(ios.connection.encoding).toBe('utf-8');
    expect(ios.connection.enableSecret).toBe(LAB_CREDS.enablePassword);
    expect(ios.connection.ssh?.fingerprint).toMatch(/^SHA256:/);
    ios.connection.close();
    expect((await portal.db.device.findUniqueOrThrow({ where: { id } })).status).toBe('online');

    const gbk = await asTerminal(portal.users.admin, 'lab-vrp-02');
    if (!gbk.ok) throw new Error(gbk.message);
    expect(gbk.connection.encoding).toBe('gbk');
    expect(gbk.connection.driver.vendor).toBe('huawei_vrp');
    gbk.connection.close();
  });

  it('an unknown device is a failure worded for its purpose', async () => {
    expect(
      failure(
        await login.open({ deviceId: 'no-such', actor: { userId: portal.users.admin }, purpose: 'terminal' }),
      ),
    ).toEqual({ ok: false, code: 'unknown_device', message: 'This device no longer exists.' });
    expect(
      failure(await login.open({ deviceId: null, actor: { userId: portal.users.admin }, purpose: 'task' })),
    ).toEqual({ ok: false, code: 'unknown_device', message: 'The device was deleted from the inventory.' });
  });

  it('bad credentials fail with auth_failed and put the device in error; unreadable ones say so', async () => {
    const id = await portal.deviceId('lab-vrp-03');
    const { secretEnc } = await portal.db.device.findUniqueOrThrow({ where: { id } });
    try {
      await portal.db.device.update({
        where: { id },
        data: { secretEnc: portal.vault.seal('wrong', credentialContext(id, 'secret')) },
      });
      const refused = failure(await asTerminal(portal.users.admin, 'lab-vrp-03'));
      expect(refused.code).toBe('auth_failed');
      expect(refused.message).toMatch(/refused the login for user "netops"/);
      expect((await portal.db.device.findUniqueOrThrow({ where: { id } })).status).toBe('error');

      // sealed for another device: the vault refuses to open it
      const other = await portal.db.device.findUniqueOrThrow({ where: { name: 'lab-vrp-01' } });
      await portal.db.device.update({ where: { id }, data: { secretEnc: other.secretEnc } });
      expect(failure(await asTerminal(portal.users.admin, 'lab-vrp-03'))).toMatchObject({
        code: 'credentials_unreadable',
        message: expect.stringMatching(/cannot be decrypted/),
      });
    } finally {
      await portal.db.device.update({ where: { id }, data: { secretEnc } });
    }
    const again = await asTerminal(portal.users.admin, 'lab-vrp-03');
    expect(again.ok).toBe(true);
    if (again.ok) again.connection.close();
    expect((await portal.db.device.findUniqueOrThrow({ where: { id } })).status).toBe('online');
  });

  it('a changed host key is refused and the offered key recorded for an admin', async () => {
    const id = await portal.deviceId('lab-vrp-01');
    const known = (await portal.db.device.findUniqueOrThrow({ where: { id } })).hostKeyFingerprint;
    const first = await asTerminal(portal.users.admin, 'lab-vrp-01'); // trusts on first use if needed
    if (!first.ok) throw new Error(first.message);
    const real = first.connection.ssh!.fingerprint;
    first.connection.close();
    expect(known === null || known === real).toBe(true);

    const bogus = 'SHA256:' + 'D'.repeat(43);
    await portal.db.device.update({ where: { id }, data: { hostKeyFingerprint: bogus } });
    try {
      const refused = failure(await asTerminal(portal.users.admin, 'lab-vrp-01'));
      expect(refused.code).toBe('host_key_mismatch');
      expect(refused.message).toContain(bogus);
      expect(refused.message).toContain(real);
      const after = await portal.db.device.findUniqueOrThrow({ where: { id } });
      expect(after).toMatchObject({
        hostKeyFingerprint: bogus,
        offeredHostKeyFingerprint: real,
        status: 'error',
      });
      expect(after.offeredHostKey).toEqual(expect.any(String));
    } finally {
      await portal.db.device.update({ where: { id }, data: { hostKeyFingerprint: real } });
    }
  });

  it('refuses actors without access: viewer, disabled, not granted; and a cancelled login', async () => {
    const viewer = failure(await asTerminal(portal.users.viewer, 'lab-vrp-01'));
    expect(viewer).toMatchObject({ code: 'forbidden', message: 'Your role cannot open terminals.' });
    expect(failure(await asTerminal(portal.users.operator, 'lab-ios-02'))).toEqual({
      ok: false,
      code: 'forbidden',
      message: 'You no longer have access to lab-ios-02.',
    });
    expect(failure(await asTerminal('no-such-user', 'lab-vrp-01'))).toMatchObject({ code: 'forbidden' });
    await portal.db.user.update({ where: { id: portal.users.operator2 }, data: { disabled: true } });
    try {
      expect(failure(await asTerminal(portal.users.operator2, 'lab-vrp-01'))).toMatchObject({
        code: 'forbidden',
        message: 'Your account is disabled.',
      });
    } finally {
      await portal.db.user.update({ where: { id: portal.users.operator2 }, data: { disabled: false } });
    }
    expect(failure(await asTerminal(portal.users.admin, 'lab-vrp-01', AbortSignal.abort()))).toMatchObject({
      code: 'closed',
      message: expect.stringMatching(/cancelled/),
    });
  });
});

describe('what a login costs besides the SSH session', () => {
  it('logins that start together read the database together: as few statements for all as for one', async () => {
    const statements: string[] = [];
    const counted = createPrismaClient(portal.url, { log: [{ emit: 'event', level: 'query' }] });
    (counted as unknown as { $on(e: 'query', cb: (q: { query: string }) => void): void }).$on('query', (q) =>
      statements.push(q.query),
    );
    const countedLogin = createDeviceLogin({
      db: counted,
      vault: portal.vault,
      log: pino({ level: 'silent' }),
    });
    // everything is read, checked and opened; the login stops where it would connect
    const observer: DeviceLoginObserver = {
      beforeConnect: async () => ({ ok: false, code: 'closed', message: 'stopped before connecting' }),
    };
    const names = ['lab-vrp-01', 'lab-vrp-02', 'lab-vrp-03', 'lab-ios-01', 'lab-ios-03'];
    const ids = await Promise.all(names.map((n) => portal.deviceId(n)));
    const open = (deviceId: string, userId = portal.users.operator) =>
      countedLogin.open({ deviceId, actor: { userId }, purpose: 'task', observer });
    try {
      expect(await open(ids[0]!)).toMatchObject({ message: 'stopped before connecting' });
      const one = statements.splice(0).length;
      expect(one).toBeGreaterThan(0);

      const all = await Promise.all([...ids, ...ids].map((id) => open(id)));
      expect(all.map((r) => (r.ok ? 'connected' : r.message))).toEqual(
        Array(ids.length * 2).fill('stopped before connecting'),
      );
      expect(statements.splice(0).length).toBeLessThanOrEqual(one);

      // each login still gets its own answer: one device not granted in the same batch is refused alone
      const mixed = await Promise.all([
        open(ids[0]!),
        open(await portal.deviceId('lab-ios-02')),
        open('gone'),
      ]);
      expect(mixed).toEqual([
        { ok: false, code: 'closed', message: 'stopped before connecting' },
        { ok: false, code: 'forbidden', message: "The task's owner op no longer has access to lab-ios-02." },
        { ok: false, code: 'unknown_device', message: 'The device was deleted from the inventory.' },
      ]);
    } finally {
      countedLogin.close();
      await counted.$disconnect();
    }
  });

  it('a failed negotiation names what the device offers, read from its own key exchange packet (ssh2 formats no debug line)', async () => {
    const id = await portal.deviceId('lab-vrp-03');
    const connect = vi.spyOn(ssh2.Client.prototype, 'connect');
    try {
      const ok = await asTerminal(portal.users.admin, 'lab-vrp-03');
      if (!ok.ok) throw new Error(ok.message);
      ok.connection.close();
      // a profile the lab's server does not offer: the device says what it does offer
      await portal.db.device.update({
        where: { id },
        data: { sshAlgorithms: JSON.stringify({ kex: ['diffie-hellman-group1-sha1'] }) },
      });
      const refused = failure(await asTerminal(portal.users.admin, 'lab-vrp-03'));
      expect(refused.code).toBe('algorithms');
      expect(refused.message).toMatch(
        /^lab-vrp-03 and the portal share no key exchange under the "custom" profile: the device offers [^.]*curve25519-sha256/,
      );
      expect(connect.mock.calls.length).toBeGreaterThanOrEqual(2);
      for (const [config] of connect.mock.calls) expect(config.debug).toBeUndefined();
    } finally {
      connect.mockRestore();
      await portal.db.device.update({ where: { id }, data: { sshAlgorithms: 'modern' } });
    }
  });
});

/**
 * Hold every session slot of a device, so a task's login there has to wait for one. `queued`
 * resolves once a task has asked the limiter for a slot there (and, the slots being ours, waits);
 * `release` hands the slots back, the first straight to the waiting task.
 */
async function holdSlots(deviceId: string) {
  const slots = portal.deviceSlots;
  const n = slots.perDevice;
  for (let i = 0; i < n; i++) expect(await slots.tryAcquire(deviceId)).toBe(true);
  // observed, not replaced: the limiter has no read-only view of its waiters
  const acquire = vi.spyOn(slots, 'acquire');
  return {
    async queued() {
      await vi.waitFor(() => expect(acquire.mock.calls.map(([d]) => d)).toContain(deviceId), {
        timeout: 5000,
        interval: 20,
      });
      // still every slot ours: the request got none, it waits in the queue
      expect(slots.count(deviceId)).toBe(n);
    },
    release() {
      acquire.mockRestore();
      for (let i = 0; i < n; i++) slots.release(deviceId);
    },
  };
}

async function operatorTask(deviceIds: string[]) {
  const r = await createTask(
    operator(),
    { name: 'access', commands: 'display clock', deviceIds, concurrency: '2', timeoutSeconds: '10' },
    portal.tasks,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.id;
}

describe('the login checks the acting user for tasks and terminals', () => {
  it('a queued task device whose owner lost the grant fails with that reason; the others run', async () => {
    const kept = await portal.deviceId('lab-vrp-01');
    const revoked = await portal.deviceId('lab-vrp-02');
    const held = await holdSlots(revoked);
    let id: string;
    try {
      id = await operatorTask([kept, revoked]);
      await held.queued();
      await portal.db.deviceGrant.delete({
        where: { userId_deviceId: { userId: portal.users.operator, deviceId: revoked } },
      });
    } finally {
      held.release();
    }
    try {
      const detail = await waitFinalDetail(portal, id, 20_000);
      const byName = Object.fromEntries(detail.devices.map((d) => [d.deviceName, d]));
      expect(byName['lab-vrp-01']).toMatchObject({ status: 'success' });
      expect(byName['lab-vrp-02']).toMatchObject({ status: 'failed' });
      expect(byName['lab-vrp-02']!.error).toBe("The task's owner op no longer has access to lab-vrp-02.");
      expect(detail.task).toMatchObject({ status: 'failed', failedDevices: 1, succeededDevices: 1 });

      // a retry runs as the owner too: still refused until the grant is back
      expect(await retryFailed(operator(), id, portal.tasks)).toEqual({ ok: true });
      const retried = await waitFinalDetail(portal, id, 20_000);
      expect(retried.devices.find((d) => d.deviceName === 'lab-vrp-02')).toMatchObject({
        status: 'failed',
        attempts: 2,
        error: expect.stringMatching(/no longer has access/),
      });
    } finally {
      await portal.db.deviceGrant.create({ data: { userId: portal.users.operator, deviceId: revoked } });
    }
  });

  it("a disabled owner's queued task fails on every device it had not started", async () => {
    const device = await portal.deviceId('lab-vrp-01');
    const held = await holdSlots(device);
    let id: string;
    try {
      id = await operatorTask([device]);
      await held.queued();
      await portal.db.user.update({ where: { id: portal.users.operator }, data: { disabled: true } });
    } finally {
      held.release();
    }
    try {
      const detail = await waitFinalDetail(portal, id, 20_000);
      expect(detail.task).toMatchObject({ status: 'failed', failedDevices: 1 });
      expect(detail.devices[0]).toMatchObject({
        status: 'failed',
        error: "The task's owner op is disabled.",
        outputs: [{ command: 'display clock', output: '', status: 'not_run' }],
      });
    } finally {
      await portal.db.user.update({ where: { id: portal.users.operator }, data: { disabled: false } });
    }
  });

  it('opening a terminal on a device no longer granted is refused, and frees the slot', async () => {
    const deviceId = await portal.deviceId('lab-ios-01');
    // authorised at the upgrade, then the grant goes before the session opens
    const c = await TestClient.open(portal, `/ws/terminal/${deviceId}`, portal.users.operator);
    await portal.db.deviceGrant.delete({
      where: { userId_deviceId: { userId: portal.users.operator, deviceId } },
    });
    try {
      c.send({ type: 'connect' });
      expect(await c.waitFrame('terminal_error')).toMatchObject({
        code: 'forbidden',
        error: 'You no longer have access to lab-ios-01.',
      });
      expect(c.frames.some((f) => f.type === 'terminal_connected')).toBe(false);
      await c.close();

      const direct = await portal.terminals.open(portal.users.operator, await portal.deviceId('lab-ios-02'), {
        cols: 80,
        rows: 24,
      });
      expect(direct).toMatchObject({ ok: false, code: 'forbidden' });
      expect(portal.deviceSlots.count(deviceId)).toBe(0);
      expect(portal.terminals.count()).toBe(0);
    } finally {
      await portal.db.deviceGrant.create({ data: { userId: portal.users.operator, deviceId } });
    }
  });
});
