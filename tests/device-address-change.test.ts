import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultLabFleet } from '../lab';
import type { CurrentUser } from '../lib/auth/session';
import type { DeviceLoginResult } from '../lib/devices/connect';
import { startFakeSsh, type FakeSsh } from './fake-ssh';
import { LAB_CREDS, startPortal, type Portal } from './harness';

let portal: Portal;
const fakes: FakeSsh[] = [];

beforeAll(async () => {
  portal = await startPortal({ lab: defaultLabFleet(4, LAB_CREDS, 'huawei_vrp') });
});
afterAll(() => portal.close());
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function fake(opts?: Parameters<typeof startFakeSsh>[0]) {
  const f = await startFakeSsh(opts);
  fakes.push(f);
  return f;
}

const user = (role: 'admin' | 'operator'): CurrentUser => ({
  id: role === 'admin' ? portal.users.admin : portal.users.operator,
  username: role === 'admin' ? 'admin' : 'op',
  displayName: '',
  role,
});

/** The device form as the edit page submits it: every field, secrets empty unless given. */
async function form(name: string, change: Record<string, string>) {
  const d = await portal.db.device.findUniqueOrThrow({ where: { name } });
  return {
    name: d.name,
    host: d.host,
    port: String(d.port),
    vendor: d.vendor,
    encoding: d.encoding,
    username: d.username,
    authType: d.authType,
    password: '',
    privateKey: '',
    passphrase: '',
    enableSecret: '',
    notes: d.notes ?? '',
    ...change,
  };
}

async function loginAs(userId: string, name: string): Promise<DeviceLoginResult> {
  const r = await portal.runtime.login.open({
    deviceId: await portal.deviceId(name),
    actor: { userId },
    purpose: 'task',
  });
  if (r.ok) r.connection.close();
  return r;
}

describe('moving a device to another address (finding 1)', () => {
  it('needs the password again, and the new address is not trusted until an operator accepts its key', async () => {
    const { updateDevice } = await import('../lib/devices/inventory');
    const { acceptOfferedHostKey } = await import('../lib/devices/host-keys');
    const name = 'lab-vrp-01';
    const id = await portal.deviceId(name);
    // a trusted key at the old address
    expect(await loginAs(portal.users.operator, name)).toMatchObject({ ok: true });
    const before = await portal.db.device.findUniqueOrThrow({ where: { id } });
    expect(before.hostKeyFingerprint).toMatch(/^SHA256:/);

    const impostor = await fake();
    const moved = { host: '127.0.0.1', port: String(impostor.port) };

    // without the password: refused with a field error, for an operator and an admin alike
    for (const role of ['operator', 'admin'] as const) {
      const r = await updateDevice(user(role), id, await form(name, moved), portal.runtime);
      expect(r).toMatchObject({ ok: false, errors: { password: expect.stringMatching(/again/i) } });
    }
    // the username is part of what the secret was entered for, too
    expect(
      await updateDevice(user('operator'), id, await form(name, { username: 'root' }), portal.runtime),
    ).toMatchObject({ ok: false, errors: { password: expect.stringMatching(/again/i) } });
    const unchanged = await portal.db.device.findUniqueOrThrow({ where: { id } });
    expect(unchanged).toMatchObject({ host: before.host, port: before.port, secretEnc: before.secretEnc });

    // a task run now still goes to the real device
    expect(await loginAs(portal.users.operator, name)).toMatchObject({ ok: true });
    expect(impostor.connections).toBe(0);

    // with the password re-entered the address changes; the key is not forgotten silently
    expect(
      await updateDevice(
        user('operator'),
        id,
        await form(name, { ...moved, password: LAB_CREDS.password }),
        portal.runtime,
      ),
    ).toEqual({ ok: true, id });
    const after = await portal.db.device.findUniqueOrThrow({ where: { id } });
    expect(after).toMatchObject({ port: impostor.port, hostKeyApprovalRequired: true });

    // the login to the new address is refused before authentication: no password reaches it
    const refused = await loginAs(portal.users.operator, name);
    expect(refused).toMatchObject({ ok: false });
    if (refused.ok) return;
    expect(refused.message).toContain(impostor.fingerprint);
    expect(refused.message).toMatch(/new address/);
    expect(refused.message).toMatch(/must accept it on the device page/);
    expect(impostor.connections).toBeGreaterThan(0);
    expect(impostor.passwords).toEqual([]);
    const offered = await portal.db.device.findUniqueOrThrow({ where: { id } });
    expect(offered).toMatchObject({
      offeredHostKeyFingerprint: impostor.fingerprint,
      hostKeyApprovalRequired: true,
    });
    // a second try is refused the same way (nothing was trusted on first use)
    expect(await loginAs(portal.users.admin, name)).toMatchObject({ ok: false });
    expect(impostor.passwords).toEqual([]);

    // a viewer cannot accept it, nor an operator who cannot see the device; an operator who can, can
    const viewer: CurrentUser = {
      id: portal.users.viewer,
      username: 'viewer',
      displayName: '',
      role: 'viewer',
    };
    expect(await acceptOfferedHostKey(viewer, id, impostor.fingerprint, portal.runtime)).toMatchObject({
      ok: false,
    });
    const outsider = await portal.deviceId('lab-vrp-02');
    await portal.db.device.update({
      where: { id: outsider },
      data: { hostKeyApprovalRequired: true, offeredHostKeyFingerprint: 'SHA256:x', offeredHostKey: 'eA==' },
    });
    await portal.db.deviceGrant.delete({
      where: { userId_deviceId: { userId: portal.users.operator, deviceId: outsider } },
    });
    expect(await acceptOfferedHostKey(user('operator'), outsider, 'SHA256:x', portal.runtime)).toMatchObject({
      ok: false,
    });
    expect(
      (await portal.db.device.findUniqueOrThrow({ where: { id: outsider } })).hostKeyFingerprint,
    ).not.toBe('SHA256:x');

    expect(
      await acceptOfferedHostKey(user('operator'), id, impostor.fingerprint, portal.runtime),
    ).toMatchObject({ ok: true });
    expect(await portal.db.device.findUniqueOrThrow({ where: { id } })).toMatchObject({
      hostKeyFingerprint: impostor.fingerprint,
      hostKeyApprovalRequired: false,
      offeredHostKeyFingerprint: null,
    });
    // the operator's decision: now the login proceeds with the re-entered password
    expect(await loginAs(portal.users.operator, name)).toMatchObject({ ok: true });
    expect(impostor.passwords).toEqual([LAB_CREDS.password]);
  });
});

describe('host key trusted on first use, atomically (finding 19)', () => {
  it('two first logins racing with different keys: exactly one key is stored and the other login is refused', async () => {
    const name = 'lab-vrp-03';
    const id = await portal.deviceId(name);
    // both fakes hold authentication until both logins have reached it, so both passed the
    // host-key check with no key stored and both try to store theirs
    let arrived = 0;
    let release!: () => void;
    const bothThere = new Promise<void>((r) => (release = r));
    const onAuth = () => {
      if (++arrived === 2) release();
    };
    const a = await fake({ holdAuth: bothThere, onAuth });
    const b = await fake({ holdAuth: bothThere, onAuth });
    await portal.db.device.update({
      where: { id },
      data: { host: '127.0.0.1', port: a.port, hostKey: null, hostKeyFingerprint: null },
    });
    const first = loginAs(portal.users.operator, name);
    await a.connected; // the first login read the row (pointing at a) before it changes
    await portal.db.device.update({ where: { id }, data: { port: b.port } });
    const second = loginAs(portal.users.operator, name);
    const results = await Promise.all([first, second]);

    const stored = (await portal.db.device.findUniqueOrThrow({ where: { id } })).hostKeyFingerprint;
    expect([a.fingerprint, b.fingerprint]).toContain(stored);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const loser = results.find((r) => !r.ok);
    expect(loser).toMatchObject({ ok: false, code: 'host_key_mismatch' });
    const winner = results[0]!.ok ? a : b;
    expect(stored).toBe(winner.fingerprint);
  });
});

describe('checking the key at a new address from the device page', () => {
  it('connects without logging in, records the offered key, and is only for those who operate the device', async () => {
    const { updateDevice } = await import('../lib/devices/inventory');
    const { checkOfferedHostKey } = await import('../lib/devices/host-keys');
    const name = 'lab-vrp-04';
    const id = await portal.deviceId(name);
    const impostor = await fake();
    expect(await checkOfferedHostKey(user('operator'), id, portal.runtime)).toMatchObject({ ok: false });
    const moved = { host: '127.0.0.1', port: String(impostor.port), password: LAB_CREDS.password };
    expect(await updateDevice(user('admin'), id, await form(name, moved), portal.runtime)).toEqual({
      ok: true,
      id,
    });
    const viewer: CurrentUser = {
      id: portal.users.viewer,
      username: 'viewer',
      displayName: '',
      role: 'viewer',
    };
    expect(await checkOfferedHostKey(viewer, id, portal.runtime)).toMatchObject({ ok: false });
    expect(impostor.connections).toBe(0);
    expect(await checkOfferedHostKey(user('operator'), id, portal.runtime)).toMatchObject({ ok: true });
    expect(await portal.db.device.findUniqueOrThrow({ where: { id } })).toMatchObject({
      offeredHostKeyFingerprint: impostor.fingerprint,
      hostKeyApprovalRequired: true,
    });
    expect(impostor.passwords).toEqual([]);
  });
});
