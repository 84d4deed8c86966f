import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import WebSocket from 'ws';
import { createAudit } from '../../lib/audit';
import { createApiToken } from '../../lib/auth/tokens';
import type { ClusterNode } from '../../scripts/cluster';
import { ROOT } from '../helpers';
import { finalTask, startClusterFixture, until, type ClusterFixture } from './fixture';

/**
 * Two real portal nodes on one PostgreSQL database and the machine's Redis (tests/cluster/fixture.ts),
 * driven through the REST API and WebSockets with a bearer token.
 */
let c: ClusterFixture;
const taskRow = (id: string) => c.db.task.findUniqueOrThrow({ where: { id } });

beforeAll(async () => {
  c = await startClusterFixture({ nodes: ['node-a', 'node-b'] });
}, 240_000);
afterAll(() => c?.close());

describe('a cluster of two nodes', () => {
  it('both nodes started at once on an empty database: migrated once, both ready with Redis', async () => {
    const applied = await c.db.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations',
    );
    const onDisk = readdirSync(path.join(ROOT, 'prisma', 'postgres', 'migrations')).filter((n) =>
      /^\d/.test(n),
    );
    expect(applied.map((m) => m.migration_name).sort()).toEqual(onDisk.sort());
    for (const node of c.nodes) {
      const r = await fetch(`${node.url}/api/ready`);
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({
        ready: true,
        node: node.nodeId,
        database: { up: true },
        redis: { up: true },
      });
    }
  });

  it('a task created on one node is watched live from the other, to its final update', async () => {
    const [a, b] = c.nodes as [ClusterNode, ClusterNode];
    const ws = new WebSocket(`ws://127.0.0.1:${b.port}/ws/monitor/tasks`, {
      headers: { authorization: `Bearer ${c.token}` },
    });
    const frames: { type: string; task_id?: string; status?: string; completed_devices?: number }[] = [];
    ws.on('message', (m) => frames.push(JSON.parse(String(m))));
    await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
    try {
      const id = await c.createTask(a, c.devices.fast, 'watched across nodes');
      ws.send(JSON.stringify({ type: 'subscribe_task', task_id: id }));
      const last = await until('the final task_update on node B', 30_000, async () =>
        frames.find((f) => f.type === 'task_update' && f.task_id === id && f.status === 'completed'),
      );
      expect(last.completed_devices).toBe(c.devices.fast.length);
      const t = await taskRow(id);
      expect(t.succeededDevices).toBe(c.devices.fast.length);
      expect(['node-a', 'node-b']).toContain(t.nodeId);
    } finally {
      ws.close();
    }
  });

  it('cancel sent to the node that is not running the task stops it where it runs', async () => {
    const id = await c.createTask(c.nodes[0]!, c.devices.slow, 'cancel across nodes', 1);
    const running = await until('the task to be claimed and running', 30_000, async () => {
      const t = await taskRow(id);
      return t.status === 'running' && t.nodeId ? t : undefined;
    });
    const other = c.nodes.find((n) => n.nodeId !== running.nodeId)!;
    const r = await c.api(other, 'POST', `/tasks/${id}/cancel`);
    // accepted: the node running it stops it and stores the outcome
    expect(r.status, JSON.stringify(r.json)).toBe(202);
    const done = await finalTask(c.db, id, 10_000);
    expect(done.status).toBe('cancelled');
    const rows = await c.db.taskDevice.findMany({ where: { taskId: id } });
    // the one device running was stopped, none of the others started
    expect(rows.filter((d) => d.status === 'success').length).toBeLessThan(c.devices.slow.length);
    expect(rows.every((d) => d.status !== 'running' && d.status !== 'pending')).toBe(true);
  });

  it("disabling a user through one node closes that user's sockets on the other at once", async () => {
    const [a, b] = c.nodes as [ClusterNode, ClusterNode];
    const created = await c.api(a, 'POST', '/users', {
      username: `noc-${randomBytes(3).toString('hex')}`,
      role: 'operator',
      password: 'operator-password-1234',
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const userId = created.json.id as string;
    const minted = await createApiToken(
      { id: userId },
      { name: 'noc', scope: 'read' },
      { db: c.db, audit: createAudit(c.db, pino({ level: 'silent' })) },
    );
    if (!minted.ok) throw new Error(JSON.stringify(minted.errors));
    const ws = new WebSocket(`ws://127.0.0.1:${b.port}/ws/notifications`, {
      headers: { authorization: `Bearer ${minted.token}` },
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
    const patched = await c.api(a, 'PATCH', `/users/${userId}`, { disabled: true });
    expect(patched.status, JSON.stringify(patched.json)).toBe(200);
    const started = Date.now();
    const { code, reason } = await closed;
    expect(code).toBe(1008);
    expect(reason).toMatch(/disabled/i);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a node started with other secrets is refused, saying why', async () => {
    const other = `another-secret-${randomBytes(12).toString('hex')}`;
    await expect(
      c.startNode('node-odd', { SWITCHBOARD_SECRET: other, NEXTAUTH_SECRET: other }),
    ).rejects.toThrow(/runs with a different SWITCHBOARD_SECRET or NEXTAUTH_SECRET/);
  });

  it('the node running a task is killed: another takes it over; finished devices keep their output, the running ones fail with the reason, the rest run', async () => {
    const id = await c.createTask(c.nodes[0]!, c.devices.slow, 'survives a node', 2);
    // two devices finished, two running on the node that claimed it
    const holder = await until('two devices done and two running', 60_000, async () => {
      const rows = await c.db.taskDevice.findMany({ where: { taskId: id } });
      const t = await taskRow(id);
      const done = rows.filter((d) => d.status === 'success').length;
      const running = rows.filter((d) => d.status === 'running').length;
      return done >= 2 && running >= 1 && t.nodeId ? t.nodeId : undefined;
    });
    const victim = c.nodes.find((n) => n.nodeId === holder)!;
    const before = await c.db.taskDevice.findMany({ where: { taskId: id } });
    await victim.kill('SIGKILL');
    const killedAt = Date.now();
    // the bound the README states: the job's lock (one lease) runs out, the stalled check (every half
    // lease) puts it back, and the claim needs the dead node's lease gone: within two leases
    await until('another node to claim the task', 20_000, async () =>
      (await taskRow(id)).nodeId !== holder ? true : undefined,
    ).catch((err: Error) => {
      const survivor = c.nodes.find((n) => n !== victim)!;
      throw new Error(`${err.message}\n${survivor.nodeId}:\n${survivor.output().slice(-6000)}`);
    });
    const tookOverIn = Date.now() - killedAt;
    console.log(`taken over in ${tookOverIn} ms`);
    const after = await finalTask(c.db, id, 6 * 2 * c.slowMs + 10_000);
    const rows = await c.db.taskDevice.findMany({ where: { taskId: id } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const b of before) {
      const a = byId.get(b.id)!;
      if (b.status === 'success') {
        // byte for byte what was stored before the kill
        expect(a.status).toBe('success');
        expect(a.output).toBe(b.output);
        expect(a.finishedAt?.toISOString()).toBe(b.finishedAt?.toISOString());
      } else if (b.status === 'running') {
        expect(a.status).toBe('failed');
        expect(a.error).toMatch(
          new RegExp(
            `node ${holder} stopped while this device was running; its commands may have partly run`,
          ),
        );
      } else if (b.status === 'pending') {
        expect(a.status).toBe('success');
      }
    }
    expect(after.status).toBe('failed'); // the interrupted devices failed it
    expect(after.nodeId).not.toBe(holder);
    expect(rows.some((r) => r.status === 'running' || r.status === 'pending')).toBe(false);
    expect(tookOverIn).toBeLessThan(2 * c.leaseMs + 2_000);
    // the node comes back under its own NODE_ID (waiting out its old lease) for the tests after this one
    c.nodes[c.nodes.indexOf(victim)] = await c.startNode(victim.nodeId);
  });
});
