/**
 * A device's route (transport, jump host, algorithm profile) as the form and the API save it: a route
 * change needs the secret again (a password goes only where it was entered for), a jump host must be
 * a visible SSH device without loops, and a jump host in use cannot be deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLabFleet } from '../lab';
import type { CurrentUser } from '../lib/auth/session';
import { createDevice, deleteDevice, updateDevice } from '../lib/devices/inventory';
import { validateDeviceForm } from '../lib/devices/schema';
import { LAB_CREDS, startPortal, type Portal } from './harness';

let portal: Portal;
beforeAll(async () => {
  portal = await startPortal({ lab: defaultLabFleet(4, LAB_CREDS, 'huawei_vrp') });
});
afterAll(() => portal.close());

const admin = (): CurrentUser => ({
  id: portal.users.admin,
  username: 'admin',
  displayName: '',
  role: 'admin',
});

const base = {
  host: '192.0.2.10',
  port: '22',
  vendor: 'cisco_ios',
  encoding: 'utf-8',
  username: 'netops',
  authType: 'password',
  password: 'secret-1',
};

async function create(name: string, extra: Record<string, string> = {}) {
  const r = await createDevice(admin(), { name, ...base, ...extra }, portal.runtime);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.id;
}

async function edit(name: string, change: Record<string, string>) {
  const d = await portal.db.device.findUniqueOrThrow({ where: { name }, include: { jumpHost: true } });
  return updateDevice(
    admin(),
    d.id,
    {
      name,
      host: d.host,
      port: String(d.port),
      vendor: d.vendor,
      encoding: d.encoding,
      username: d.username,
      authType: d.authType,
      transport: d.transport,
      kind: d.kind,
      sshAlgorithms: d.sshAlgorithms,
      jumpHost: d.jumpHost?.name ?? '',
      password: '',
      ...change,
    },
    portal.runtime,
  );
}

describe('device routes', () => {
  it('validates the new fields', () => {
    const bad = validateDeviceForm({
      name: 'x',
      ...base,
      transport: 'serial',
      sshAlgorithms: '{"cipher":["rot13"]}',
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.transport).toMatch(/SSH or telnet/);
      expect(bad.errors.sshAlgorithms).toMatch(/Custom algorithms: cipher\.0/);
    }
    const telnetKey = validateDeviceForm({ name: 'x', ...base, transport: 'telnet', authType: 'key' });
    expect(!telnetKey.ok && telnetKey.errors.authType).toMatch(/Telnet logs in with a password/);
    // a console line over telnet has no login of its own
    const line = validateDeviceForm({
      name: 'x',
      ...base,
      transport: 'telnet',
      kind: 'console_line',
      username: '',
      password: '',
    });
    expect(line.ok).toBe(true);
    expect(validateDeviceForm({ name: 'x', ...base, maxSessions: '50' })).toMatchObject({
      ok: true,
      value: { maxSessions: 50 },
    });
    expect(validateDeviceForm({ name: 'x', ...base, maxSessions: '' })).toMatchObject({
      ok: true,
      value: { maxSessions: null },
    });
    const zero = validateDeviceForm({ name: 'x', ...base, maxSessions: '0' });
    expect(!zero.ok && zero.errors.maxSessions).toMatch(/from 1 to 1000/);
    const sshLine = validateDeviceForm({ name: 'x', ...base, kind: 'console_line', username: '' });
    expect(!sshLine.ok && sshLine.errors.username).toMatch(/required/);
  });

  it('a jump host is a visible SSH device: unknown, itself, telnet or a loop are field errors', async () => {
    await create('jr-hop', { host: '192.0.2.1' });
    await create('jr-telnet', { host: '192.0.2.2', transport: 'telnet', port: '23' });
    const id = await create('jr-dev', { jumpHost: 'jr-hop' });
    expect((await portal.db.device.findUniqueOrThrow({ where: { id } })).jumpHostId).toBe(
      await portal.deviceId('jr-hop'),
    );
    const unknown = await createDevice(admin(), { name: 'jr-x', ...base, jumpHost: 'nope' }, portal.runtime);
    expect(!unknown.ok && unknown.errors.jumpHost).toMatch(/No device named nope/);
    const telnetHop = await createDevice(
      admin(),
      { name: 'jr-y', ...base, jumpHost: 'jr-telnet' },
      portal.runtime,
    );
    expect(!telnetHop.ok && telnetHop.errors.jumpHost).toMatch(/must be an SSH device/);
    const self = await edit('jr-dev', { jumpHost: 'jr-dev', password: 'secret-2' });
    expect(!self.ok && self.errors.jumpHost).toMatch(/its own jump host/);
    const loop = await edit('jr-hop', { jumpHost: 'jr-dev', password: 'secret-2' });
    expect(!loop.ok && loop.errors.jumpHost).toMatch(/would loop/);
  });

  it('changing the transport or the jump host needs the password again, and is audited', async () => {
    await create('rt-hop', { host: '192.0.2.3' });
    await create('rt-dev');
    for (const change of [{ transport: 'telnet', port: '23' }, { jumpHost: 'rt-hop' }] as Record<
      string,
      string
    >[]) {
      const r = await edit('rt-dev', change);
      expect(r.ok, JSON.stringify(change)).toBe(false);
      if (!r.ok) expect(r.errors.password).toMatch(/route \(transport and jump host\)/);
    }
    const ok = await edit('rt-dev', { jumpHost: 'rt-hop', password: 'secret-2' });
    expect(ok.ok).toBe(true);
    const audit = await portal.db.auditEvent.findFirst({
      where: { action: 'device.update', target: 'rt-dev' },
      orderBy: { at: 'desc' },
    });
    expect(audit?.detail).toMatch(/route now ssh via rt-hop/);
    // unchanged route: no secret needed
    expect((await edit('rt-dev', { notes: 'rack 4' })).ok).toBe(true);
  });

  it('a jump host in use cannot be deleted; the error names what uses it', async () => {
    const hop = await create('del-hop', { host: '192.0.2.4' });
    await create('del-dev', { jumpHost: 'del-hop' });
    const r = await deleteDevice(admin(), hop, portal.runtime);
    expect(r).toEqual({
      ok: false,
      error: 'del-hop is the jump host of del-dev; give those another route first.',
    });
  });
});
