import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startRedisServer, type PrivateRedis } from '../redis-server';
import { finalTask, startClusterFixture, until, type ClusterFixture } from './fixture';

/**
 * Two nodes on a Redis of the test's own, which is killed and started again (empty, as this
 * machine's Redis keeps nothing) while a task runs: the task finishes, a browser watching from the
 * other node ends up with its final state, and the cluster takes new tasks afterwards.
 */
let redis: PrivateRedis;
let c: ClusterFixture;

beforeAll(async () => {
  redis = await startRedisServer();
  c = await startClusterFixture({ nodes: ['node-a', 'node-b'], redisUrl: redis.url });
}, 240_000);
afterAll(async () => {
  await c?.close();
  await redis?.stop();
});

describe('Redis restarted mid-task', () => {
  it('the task finishes, the watcher on the other node sees its end, and new tasks run', async () => {
    const id = await c.createTask(c.nodes[0]!, c.devices.slow, 'through a Redis restart', 2);
    const holder = await until('the task to run on a node', 30_000, async () => {
      const t = await c.db.task.findUniqueOrThrow({ where: { id } });
      return t.status === 'running' && t.nodeId ? t.nodeId : undefined;
    });
    const watcher = c.nodes.find((n) => n.nodeId !== holder)!;
    const ws = new WebSocket(`ws://127.0.0.1:${watcher.port}/ws/monitor/tasks`, {
      headers: { authorization: `Bearer ${c.token}` },
    });
    const frames: { type: string; task_id?: string; status?: string }[] = [];
    ws.on('message', (m) => frames.push(JSON.parse(String(m))));
    await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
    try {
      ws.send(JSON.stringify({ type: 'subscribe_task', task_id: id }));
      await until('the watcher to get the running task', 10_000, async () =>
        frames.find((f) => f.type === 'task_update' && f.task_id === id) ? true : undefined,
      );

      await redis.restart();

      const done = await finalTask(c.db, id, 6 * 2 * c.slowMs + 30_000);
      expect(done.status).toBe('completed');
      expect(done.succeededDevices).toBe(c.devices.slow.length);
      // live, or from the resync after the bus came back: the watcher ends at the stored state
      await until('the final update on the watching node', 20_000, async () =>
        frames.find((f) => f.type === 'task_update' && f.task_id === id && f.status === 'completed')
          ? true
          : undefined,
      );
    } finally {
      ws.close();
    }

    // the queue works again (its Redis is empty now: new jobs, new leases)
    const next = await c.createTask(c.nodes[1]!, c.devices.fast, 'after the restart');
    expect((await finalTask(c.db, next, 30_000)).status).toBe('completed');
    for (const node of c.nodes) {
      const r = await fetch(`${node.url}/api/ready`);
      expect(r.status).toBe(200);
    }
  });
});
