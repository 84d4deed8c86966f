import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClusterFixture, until, type ClusterFixture } from './fixture';

/**
 * Three nodes: one probes device status (the holder of the status lease). An outage and the return
 * are each stored once and notified once to each user however many nodes hear of them; when the
 * prober is killed, another node probes within two intervals.
 */
const INTERVAL_MS = 1_000;
let c: ClusterFixture;
let redis: Redis;

beforeAll(async () => {
  c = await startClusterFixture({ nodes: ['node-a', 'node-b', 'node-c'] });
  redis = new Redis(c.env.REDIS_URL!);
}, 240_000);
afterAll(async () => {
  redis?.disconnect();
  await c?.close();
});

const prober = async () => (await redis.get(`${c.env.REDIS_PREFIX}lease:status`))?.split('/')[0];

async function statusOf(deviceId: string) {
  return (await c.db.device.findUniqueOrThrow({ where: { id: deviceId } })).status;
}

describe('device status in a cluster', () => {
  it('an outage and the return are stored once and notified once per user with three nodes', async () => {
    const deviceId = c.devices.fast[0]!;
    const name = (await c.db.device.findUniqueOrThrow({ where: { id: deviceId } })).name;
    await until('the device online', 15_000, async () =>
      (await statusOf(deviceId)) === 'online' ? true : undefined,
    );
    await c.lab.setUp(name, false);
    await until('the device offline', 15_000, async () =>
      (await statusOf(deviceId)) === 'offline' ? true : undefined,
    );
    await c.lab.setUp(name, true);
    const admin = await c.db.user.findUniqueOrThrow({ where: { username: 'admin' } });
    // the return notified is the positive signal: every node has heard of the outage by then
    await until('the device_up notification', 15_000, async () =>
      (await c.db.notification.count({
        where: { userId: admin.id, kind: 'device_up', title: { startsWith: name } },
      })) > 0
        ? true
        : undefined,
    );
    const changes = await c.db.deviceStatusChange.findMany({ where: { deviceId }, orderBy: { at: 'asc' } });
    const down = changes.findIndex((x) => x.status === 'offline');
    expect(changes.filter((x) => x.status === 'offline')).toHaveLength(1);
    expect(changes.slice(down + 1).map((x) => x.status)).toEqual(['online']);
    const notes = await c.db.notification.findMany({
      where: { userId: admin.id, title: { startsWith: name } },
      orderBy: { seq: 'asc' },
    });
    expect(notes.map((n) => n.kind)).toEqual(['device_down', 'device_up']);
    // gap-free per user
    const all = await c.db.notification.findMany({ where: { userId: admin.id }, orderBy: { seq: 'asc' } });
    expect(all.map((n) => n.seq)).toEqual(all.map((_, i) => i + 1));
  });

  it('the prober is killed: another node probes within two intervals', async () => {
    const holder = await until('a prober', 10_000, prober);
    const victim = c.nodes.find((n) => n.nodeId === holder)!;
    await victim.kill('SIGKILL');
    const killedAt = Date.now();
    const next = await until('another prober', 10 * INTERVAL_MS, async () => {
      const p = await prober();
      return p && p !== holder ? p : undefined;
    });
    expect(Date.now() - killedAt).toBeLessThan(2 * INTERVAL_MS + 1_000);
    expect(c.nodes.map((n) => n.nodeId)).toContain(next);
    // and it does probe: a device taken down now goes offline
    const deviceId = c.devices.fast[1]!;
    const name = (await c.db.device.findUniqueOrThrow({ where: { id: deviceId } })).name;
    await c.lab.setUp(name, false);
    try {
      await until('the device offline', 10 * INTERVAL_MS, async () =>
        (await statusOf(deviceId)) === 'offline' ? true : undefined,
      );
    } finally {
      await c.lab.setUp(name, true);
      c.nodes[c.nodes.indexOf(victim)] = await c.startNode(victim.nodeId);
    }
  });
});
