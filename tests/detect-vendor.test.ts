/**
 * Vendor detection: log in, read the SSH ident, banner and prompt, run the version command, propose
 * the vendor. Against the lab's four personalities and against Debian's OpenSSH sshd (Linux).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as detectRoute from '../app/api/v1/devices/[id]/detect-vendor/route';
import { defaultLabFleet } from '../lab';
import { createApiToken } from '../lib/auth/tokens';
import { detectDeviceVendor } from '../lib/devices/detect-vendor';
import { setRuntime } from '../lib/server/registry';
import { LAB_CREDS, startPortal, type Portal } from './harness';
import { addSshdDevice, startSshd, type RealSshd } from './sshd';

let portal: Portal;
let sshd: RealSshd;
let linuxId: string;

beforeAll(async () => {
  sshd = await startSshd();
  portal = await startPortal({
    lab: [
      ...defaultLabFleet(4, LAB_CREDS),
      ...defaultLabFleet(1, LAB_CREDS, 'h3c_comware'),
      ...defaultLabFleet(1, LAB_CREDS, 'juniper_junos'),
    ],
  });
  linuxId = await addSshdDevice(portal, sshd, {
    name: 'debian-openssh',
    // deliberately wrong: detection must not trust the stored vendor
    vendor: 'cisco_ios',
    grantTo: [portal.users.operator],
  });
});
afterAll(async () => {
  await portal?.close();
  await sshd?.close();
});

describe('vendor detection', () => {
  it.each([
    ['lab-vrp-01', 'huawei_vrp', 'display version'],
    ['lab-ios-01', 'cisco_ios', 'show version'],
    ['lab-h3c-01', 'h3c_comware', 'display version'],
    ['lab-junos-01', 'juniper_junos', 'show version'],
  ])('%s is detected as %s from its version output', async (name, vendor, command) => {
    // a wrong stored vendor first: detection reads the device, not the inventory
    const id = await portal.deviceId(name);
    await portal.db.device.update({ where: { id }, data: { vendor: 'generic' } });
    const r = await detectDeviceVendor(id, portal.users.admin, portal.runtime);
    if (!r.ok) throw new Error(r.message);
    expect(r.detected).toMatchObject({ vendor, confidence: 'high' });
    expect(r.versionCommand).toBe(command);
    expect(r.detected!.reason).toMatch(/version output/);
  });

  it('a Linux host behind OpenSSH is generic, from uname', async () => {
    const r = await detectDeviceVendor(linuxId, portal.users.operator, portal.runtime);
    if (!r.ok) throw new Error(r.message);
    expect(r.serverIdent).toMatch(/^SSH-2\.0-OpenSSH_/);
    expect(r.detected?.vendor).toBe('generic');
  });

  it('the API answers operators with the evidence, refuses viewers, and reports an unreachable device as 502', async () => {
    setRuntime(portal.runtime);
    const token = async (userId: string) => {
      const r = await createApiToken({ id: userId }, { name: 'detect', scope: 'write' }, portal.runtime);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.token;
    };
    const op = await token(portal.users.operator);
    const viewer = await token(portal.users.viewer);
    const id = await portal.deviceId('lab-vrp-01');
    // the harness grants operators every lab device but lab-ios-02, and the viewer all of them
    const post = (token: string, deviceId: string) =>
      detectRoute.POST(
        new Request(`http://127.0.0.1/api/v1/devices/${deviceId}/detect-vendor`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        }),
        { params: Promise.resolve({ id: deviceId }) },
      );
    const ok = await post(op, id);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ vendor: 'huawei_vrp', confidence: 'high', prompt: '<lab-vrp-01>' });
    expect(body.version_excerpt).toMatch(/Huawei Versatile Routing Platform/);
    expect((await post(viewer, id)).status).toBe(403);
    expect((await post(op, 'no-such-device')).status).toBe(404);

    const down = await portal.deviceId('lab-ios-02');
    await portal.db.deviceGrant.create({ data: { userId: portal.users.operator, deviceId: down } });
    await portal.labControl.setUp('lab-ios-02', false);
    const unreachable = await post(op, down);
    expect(unreachable.status).toBe(502);
    expect(((await unreachable.json()) as { detail: string }).detail).toMatch(/refused|reach/i);
  });
});
