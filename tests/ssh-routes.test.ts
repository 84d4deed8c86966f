/**
 * Routes to a device over SSH: jump-host chains through Debian's OpenSSH sshd (two hops, each with its
 * own key and host key), and algorithm profiles against an sshd that offers only legacy algorithms.
 * Every bad route gets a clear error at the hop that failed.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLabFleet } from '../lab';
import { DeviceCli } from '../lib/devices/cli';
import { testConnection } from '../lib/devices/test-connection';
import { credentialContext } from '../lib/devices/credentials';
import { createTask, getTaskDetail } from '../lib/tasks/service';
import { LAB_CREDS, startPortal, type Portal } from './harness';
import { startSshd, type RealSshd } from './sshd';
import { vi } from 'vitest';

let portal: Portal;
let hopA: RealSshd;
let hopB: RealSshd;
let legacy: RealSshd;
const ids: Record<string, string> = {};

async function addHop(name: string, sshd: RealSshd, extra: { sshAlgorithms?: string } = {}) {
  const id = randomUUID();
  await portal.db.device.create({
    data: {
      id,
      name,
      host: sshd.host,
      port: sshd.port,
      vendor: 'generic',
      username: sshd.username,
      authType: 'key',
      secretEnc: portal.vault.seal(sshd.privateKey, credentialContext(id, 'secret')),
      grants: { create: [{ userId: portal.users.operator }] },
      ...extra,
    },
  });
  ids[name] = id;
  return id;
}

beforeAll(async () => {
  [hopA, hopB, legacy] = await Promise.all([
    startSshd(),
    startSshd(),
    startSshd({
      hostKeyType: 'rsa',
      config: [
        'HostKeyAlgorithms ssh-rsa',
        'KexAlgorithms diffie-hellman-group14-sha1,diffie-hellman-group1-sha1',
        'Ciphers aes128-cbc',
        'MACs hmac-sha1',
      ],
    }),
  ]);
  portal = await startPortal({ lab: defaultLabFleet(4, LAB_CREDS, 'huawei_vrp') });
  await addHop('hop-a', hopA);
  await addHop('hop-b', hopB);
  await addHop('old-switch', legacy);
  // lab-vrp-01 through hop-b, itself through hop-a: portal → hop-a → hop-b → lab-vrp-01
  await portal.db.device.update({ where: { id: ids['hop-b'] }, data: { jumpHostId: ids['hop-a'] } });
  for (const n of ['lab-vrp-01', 'lab-vrp-03'])
    await portal.db.device.update({ where: { name: n }, data: { jumpHostId: ids['hop-b'] } });
}, 60_000);
afterAll(async () => {
  await portal?.close();
  await Promise.all([hopA, hopB, legacy].map((s) => s?.close()));
});

const operator = () => ({ userId: portal.users.operator });

async function login(name: string) {
  return portal.runtime.login.open({
    deviceId: await portal.deviceId(name),
    actor: operator(),
    purpose: 'task',
  });
}

describe('jump hosts', () => {
  it('a device behind two hops answers a task; each hop host key is trusted on first use', async () => {
    const deviceId = await portal.deviceId('lab-vrp-01');
    const r = await createTask(
      { id: portal.users.operator, role: 'operator' },
      {
        name: 'via two hops',
        commands: 'display clock',
        deviceIds: [deviceId],
        concurrency: '1',
        timeoutSeconds: '20',
      },
      portal.tasks,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    await vi.waitFor(
      async () =>
        expect((await portal.db.task.findUniqueOrThrow({ where: { id: r.id } })).status).toBe('completed'),
      { timeout: 20_000, interval: 50 },
    );
    const d = (await getTaskDetail({ id: portal.users.operator, role: 'operator' }, r.id, portal.tasks))!;
    expect(d.devices[0]!.outputs[0]!.output).toMatch(/\d{4}-\d{2}-\d{2}/);
    for (const hop of ['hop-a', 'hop-b']) {
      const row = await portal.db.device.findUniqueOrThrow({ where: { id: ids[hop] } });
      expect(row.hostKeyFingerprint, hop).toMatch(/^SHA256:/);
    }
  });

  it('the connection really goes through the hops: stop the outer hop and the device is unreachable, naming it', async () => {
    const spare = await startSshd();
    try {
      const id = await addHop('hop-spare', spare);
      await portal.db.device.update({ where: { name: 'lab-vrp-03' }, data: { jumpHostId: id } });
      const ok = await login('lab-vrp-03');
      expect(ok.ok).toBe(true);
      if (ok.ok) {
        const cli = await DeviceCli.open(await ok.connection.openShell(), ok.connection.driver, 'utf-8');
        expect(cli.currentPrompt).toBe('<lab-vrp-03>');
        cli.close();
        ok.connection.close();
      }
    } finally {
      await spare.close();
    }
    const down = await login('lab-vrp-03');
    expect(down).toMatchObject({ ok: false });
    if (!down.ok) expect(down.message).toMatch(/^Jump host hop-spare: Cannot reach hop-spare/);
  });

  it('a loop, a hop the user may not use, a hop with a changed host key: each refused, saying which', async () => {
    await portal.db.device.update({ where: { id: ids['hop-a'] }, data: { jumpHostId: ids['hop-b'] } });
    try {
      const loop = await login('lab-vrp-01');
      expect(loop).toMatchObject({ ok: false, code: 'jump_route' });
      if (!loop.ok) expect(loop.message).toMatch(/form a loop: lab-vrp-01 via .*hop-/);
    } finally {
      await portal.db.device.update({ where: { id: ids['hop-a'] }, data: { jumpHostId: null } });
    }

    await portal.db.deviceGrant.delete({
      where: { userId_deviceId: { userId: portal.users.operator, deviceId: ids['hop-a']! } },
    });
    try {
      const forbidden = await login('lab-vrp-01');
      expect(forbidden).toMatchObject({ ok: false, code: 'forbidden' });
      if (!forbidden.ok) expect(forbidden.message).toContain('through the jump host hop-a');
    } finally {
      await portal.db.deviceGrant.create({
        data: { userId: portal.users.operator, deviceId: ids['hop-a']! },
      });
    }

    const trusted = await portal.db.device.findUniqueOrThrow({ where: { id: ids['hop-b'] } });
    await portal.db.device.update({
      where: { id: ids['hop-b'] },
      data: { hostKeyFingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    try {
      const changed = await login('lab-vrp-01');
      expect(changed).toMatchObject({ ok: false, code: 'host_key_mismatch' });
      if (!changed.ok) expect(changed.message).toMatch(/^Jump host hop-b: The host key of hop-b has changed/);
    } finally {
      await portal.db.device.update({
        where: { id: ids['hop-b'] },
        data: {
          hostKeyFingerprint: trusted.hostKeyFingerprint,
          offeredHostKeyFingerprint: null,
          offeredHostKey: null,
        },
      });
    }
  });

  it('a hop that cannot reach the next one says so', async () => {
    await portal.db.device.update({
      where: { name: 'lab-vrp-04' },
      data: { jumpHostId: ids['hop-a'], port: 1 },
    });
    const r = await login('lab-vrp-04');
    expect(r).toMatchObject({ ok: false, code: 'unreachable' });
    if (!r.ok) expect(r.message).toMatch(/The jump host cannot reach lab-vrp-04 \(127\.0\.0\.1:1\)/);
  });
});

describe('algorithm profiles', () => {
  it('a legacy-only device reached with modern fails naming what it offers and the profile to choose', async () => {
    const r = await login('old-switch');
    expect(r).toMatchObject({ ok: false, code: 'algorithms' });
    if (!r.ok) {
      expect(r.message).toMatch(/the device offers .*diffie-hellman-group1-sha1/);
      expect(r.message).toContain('Choose the "legacy" SSH algorithm profile');
    }
  });

  it('with the legacy profile it logs in, and the negotiated algorithms are kept for the device page', async () => {
    await portal.db.device.update({ where: { id: ids['old-switch'] }, data: { sshAlgorithms: 'legacy' } });
    const r = await login('old-switch');
    expect(r.ok).toBe(true);
    if (r.ok) r.connection.close();
    const row = await portal.db.device.findUniqueOrThrow({ where: { id: ids['old-switch'] } });
    expect(JSON.parse(row.negotiatedAlgorithms!)).toMatchObject({
      kex: expect.stringMatching(/^diffie-hellman-group1?4?-sha1$/),
      serverHostKey: 'ssh-rsa',
      cipher: 'aes128-cbc',
      hmac: 'hmac-sha1',
    });
  });

  it('a custom list that names an algorithm ssh2 does not have is refused with the reason', async () => {
    await portal.db.device.update({
      where: { id: ids['old-switch'] },
      data: { sshAlgorithms: '{"cipher":["rot13-cbc"]}' },
    });
    const r = await login('old-switch');
    expect(r).toMatchObject({ ok: false, code: 'algorithms' });
    if (!r.ok) expect(r.message).toMatch(/Custom algorithms: cipher\.0/);
  });
});

/** TCP connections in ESTABLISHED state whose local end is `port` (the kernel's own table). */
function establishedTo(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1]?.endsWith(`:${hex}`) && f[3] === '01').length;
}

describe('a shared connection per jump host', () => {
  it('20 logins at once through a bastion that allows 2 pending handshakes: all succeed on one connection to it', async () => {
    // MaxStartups 2: a third unauthenticated connection at the same moment would be dropped, which
    // is what 20 separate hop connections at once would meet (OpenSSH's default starts dropping at 10)
    const bastion = await startSshd({ config: ['MaxStartups 2'] });
    try {
      const hop = await addHop('bastion', bastion);
      const rows: string[] = [];
      for (const [i, d] of portal.lab.entries()) {
        const id = randomUUID();
        await portal.db.device.create({
          data: {
            id,
            name: `behind-bastion-${i}`,
            host: d.host,
            port: d.port,
            vendor: 'huawei_vrp',
            username: d.username,
            authType: 'password',
            secretEnc: portal.vault.seal(d.password!, credentialContext(id, 'secret')),
            jumpHostId: hop,
            grants: { create: [{ userId: portal.users.operator }] },
          },
        });
        rows.push(`behind-bastion-${i}`);
      }
      const logins = await Promise.all(Array.from({ length: 20 }, (_, k) => login(rows[k % rows.length]!)));
      expect(logins.filter((r) => !r.ok)).toEqual([]);
      // the bastion saw one login, however many devices went through it
      // the bastion holds one connection from the portal, however many devices went through it
      expect(establishedTo(bastion.port)).toBe(1);
      expect(portal.runtime.login.sharedHops).toBeGreaterThanOrEqual(1);
      // every device session works on its own channel
      const cli = await Promise.all(
        logins.slice(0, 4).map(async (r) => {
          if (!r.ok) throw new Error(r.message);
          const shell = await DeviceCli.open(await r.connection.openShell(), r.connection.driver, 'utf-8');
          const out = await shell.run({ command: 'display clock' }, 10_000);
          shell.close();
          return out.output;
        }),
      );
      expect(cli.every((out) => /\d{4}-\d\d-\d\d/.test(out))).toBe(true);
      for (const r of logins) if (r.ok) r.connection.close();
    } finally {
      await bastion.close();
    }
  });
});

/** Another inventory entry for a lab device (its password, no host key yet), granted to the operator. */
async function addLabCopy(name: string, labDevice: string): Promise<string> {
  const lab = portal.lab.find((d) => d.name === labDevice)!;
  const id = randomUUID();
  await portal.db.device.create({
    data: {
      id,
      name,
      host: lab.host,
      port: lab.port,
      vendor: 'huawei_vrp',
      username: lab.username,
      authType: 'password',
      secretEnc: portal.vault.seal(lab.password!, credentialContext(id, 'secret')),
      grants: { create: [{ userId: portal.users.operator }] },
    },
  });
  return id;
}

describe('a jump host per device group', () => {
  it("devices of a group go through the group's jump host; its own jump host stays direct; two groups with different hops are refused", async () => {
    const groupHop = await startSshd();
    try {
      const hop = await addHop('group-hop', groupHop);
      const id = await addLabCopy('routed-by-group', 'lab-vrp-02');
      const group = await portal.db.deviceGroup.create({
        data: {
          name: 'site:behind-group-hop',
          jumpHostId: hop,
          // the jump host is in its own group: the group's hop never applies to itself
          members: { create: [{ deviceId: id }, { deviceId: hop }] },
        },
      });
      expect(establishedTo(groupHop.port)).toBe(0);
      const r = await login('routed-by-group');
      expect(r).toMatchObject({ ok: true });
      // the login went through the group's jump host: the portal holds a connection to it
      expect(establishedTo(groupHop.port)).toBe(1);
      if (r.ok) r.connection.close();
      const self = await login('group-hop');
      expect(self).toMatchObject({ ok: true });
      if (self.ok) self.connection.close();
      // not probed directly: its status comes from logins
      expect(await portal.status.probeOne(id)).toMatchObject({ ok: false, code: 'behind_jump_host' });

      // a second group naming another jump host: a route nobody chose
      await portal.db.deviceGroup.create({
        data: { name: 'role:other-hop', jumpHostId: ids['hop-a'], members: { create: [{ deviceId: id }] } },
      });
      const both = await login('routed-by-group');
      expect(both).toMatchObject({ ok: false, code: 'jump_route' });
      if (!both.ok)
        expect(both.message).toBe(
          'routed-by-group is in groups with different jump hosts (role:other-hop via hop-a, site:behind-group-hop via group-hop); give the device its own jump host or take it out of all but one.',
        );
      // the device's own jump host wins over its groups'
      await portal.db.device.update({ where: { id }, data: { jumpHostId: hop } });
      const own = await login('routed-by-group');
      expect(own).toMatchObject({ ok: true });
      if (own.ok) own.connection.close();
      await portal.db.device.delete({ where: { id } });
      await portal.db.deviceGroup.deleteMany({ where: { id: group.id } });
      await portal.db.deviceGroup.deleteMany({ where: { name: 'role:other-hop' } });
    } finally {
      portal.runtime.login.close();
      await groupHop.close();
    }
  });
});

describe('a password goes only by the route it was entered for', () => {
  it("a group's new jump host refuses the device's login until its password is entered again", async () => {
    const lab = portal.lab.find((d) => d.name === 'lab-vrp-04')!;
    const id = await addLabCopy('route-bound', 'lab-vrp-04');
    // the first login records the route the password went by: direct, over SSH
    const first = await login('route-bound');
    expect(first).toMatchObject({ ok: true });
    if (first.ok) first.connection.close();
    expect((await portal.db.device.findUniqueOrThrow({ where: { id } })).secretsRoute).toBe('ssh|');

    // an admin gives a group of the device a jump host: the password would go somewhere new
    await portal.db.deviceGroup.create({
      data: { name: 'site:new-bastion', jumpHostId: ids['hop-a'], members: { create: [{ deviceId: id }] } },
    });
    const refused = await login('route-bound');
    expect(refused).toMatchObject({ ok: false, code: 'route_changed' });
    if (!refused.ok)
      expect(refused.message).toBe(
        "route-bound is now reached through hop-a, not by the route its password was entered for: enter it again (Edit on route-bound's page) before the portal sends it there.",
      );
    // Test connection says which step: the route
    const test = await testConnection(id, portal.users.operator, portal.runtime);
    expect(test.steps.find((s) => s.status === 'failed')).toMatchObject({ id: 'route' });

    // entering the password again (the device form does this through sealedFields) lets it go
    await portal.db.device.update({
      where: { id },
      data: {
        secretEnc: portal.vault.seal(lab.password!, credentialContext(id, 'secret')),
        secretsRoute: null,
      },
    });
    const again = await login('route-bound');
    expect(again).toMatchObject({ ok: true });
    if (again.ok) again.connection.close();
    expect((await portal.db.device.findUniqueOrThrow({ where: { id } })).secretsRoute).toBe(
      `ssh|${ids['hop-a']}`,
    );
  });
});
