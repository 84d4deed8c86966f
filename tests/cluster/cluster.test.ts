import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { defaultLabFleet, generateHostKey, startLab, type RunningLab } from '../../lab';
import { createAudit } from '../../lib/audit';
import { createApiToken } from '../../lib/auth/tokens';
import { createPrismaClient, type PrismaClient } from '../../lib/db/client';
import { startNode, type ClusterNode } from '../../scripts/cluster';
import { createPostgresDatabase, ROOT } from '../helpers';
import { LAB_CREDS } from '../harness';
import { freePort } from '../ports';

/**
 * Two real portal nodes (server.ts, the production build) on one PostgreSQL database and the
 * machine's Redis under a key prefix of this run, driven through the REST API and WebSockets with a
 * bearer token. The device lab runs in this process, so killing a node leaves the devices up.
 */
const LEASE_MS = 3_000;
const SECRET = `cluster-test-secret-${randomBytes(12).toString('hex')}`;
const SLOW_MS = 1_500;

let lab: RunningLab;
let dbUrl: string;
let db: PrismaClient;
let env: Record<string, string>;
let nodes: ClusterNode[] = [];
let token: string;
const deviceIds: { fast: string[]; slow: string[] } = { fast: [], slow: [] };

async function api(node: ClusterNode, method: string, route: string, body?: unknown) {
  const r = await fetch(`${node.url}/api/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function nodeFor(id: string, dataDir: string, extra: Record<string, string> = {}) {
  return startNode({ nodeId: id, port: await freePort(), dataDir, env: { ...env, ...extra } });
}

/** Poll `check` every 100 ms until it returns a value (not undefined), or fail after `timeoutMs`. */
async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const taskRow = (id: string) => db.task.findUniqueOrThrow({ where: { id } });
const finalTask = (id: string, timeoutMs: number) =>
  until(`task ${id} to finish`, timeoutMs, async () => {
    const t = await taskRow(id);
    return ['completed', 'failed', 'cancelled', 'interrupted'].includes(t.status) ? t : undefined;
  });

async function createTask(node: ClusterNode, devices: string[], name: string, concurrency = 2) {
  const r = await api(node, 'POST', '/tasks', {
    name,
    devices,
    commands: ['display clock', 'display version'],
    concurrency,
    timeout_s: 60,
  });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json.id as string;
}

beforeAll(async () => {
  const specs = defaultLabFleet(10, LAB_CREDS, 'huawei_vrp').map((s, i) => ({
    ...s,
    // four answer at once, six take SLOW_MS per command: long enough to act while they run
    ...(i >= 4 ? { latencyMs: SLOW_MS } : {}),
  }));
  lab = await startLab(specs, { hostKey: generateHostKey() });
  dbUrl = createPostgresDatabase({ migrate: false });
  env = {
    DATABASE_URL: dbUrl,
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `sb-test-${randomBytes(4).toString('hex')}:`,
    SWITCHBOARD_SECRET: SECRET,
    NEXTAUTH_SECRET: SECRET,
    ADMIN_PASSWORD: 'cluster-admin-password-1',
    LAB: 'off',
    NODE_LEASE_MS: String(LEASE_MS),
    STATUS_INTERVAL_MS: '1000',
    LOG_LEVEL: 'info',
  };
  const base = mkdtempSync(path.join(tmpdir(), 'sb-cluster-'));
  // both at once on an empty database: one migrates under the advisory lock, the other waits
  nodes = await Promise.all([
    nodeFor('node-a', path.join(base, 'a')),
    nodeFor('node-b', path.join(base, 'b')),
  ]);
  db = createPrismaClient(dbUrl);
  const admin = await db.user.findUniqueOrThrow({ where: { username: 'admin' } });
  const minted = await createApiToken(
    { id: admin.id },
    { name: 'cluster-test', scope: 'write' },
    { db, audit: createAudit(db, pino({ level: 'silent' })) },
  );
  if (!minted.ok) throw new Error(JSON.stringify(minted.errors));
  token = minted.token;
  const r = await api(nodes[0]!, 'POST', '/devices', {
    devices: lab.devices.map((d) => ({
      name: d.name,
      host: '127.0.0.1',
      port: d.port,
      vendor: 'huawei_vrp',
      username: LAB_CREDS.username,
      password: LAB_CREDS.password,
    })),
  });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  const items = r.json.items as { id: string; name: string }[];
  for (const [i, d] of items.entries()) (i < 4 ? deviceIds.fast : deviceIds.slow).push(d.id);
}, 240_000);

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.kill('SIGTERM')));
  await db?.$disconnect();
  await lab?.close();
});

describe('a cluster of two nodes', () => {
  it('both nodes started at once on an empty database: migrated once, both ready with Redis', async () => {
    const applied = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations',
    );
    const onDisk = readdirSync(path.join(ROOT, 'prisma', 'postgres', 'migrations')).filter((n) =>
      /^\d/.test(n),
    );
    expect(applied.map((m) => m.migration_name).sort()).toEqual(onDisk.sort());
    for (const node of nodes) {
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
    const [a, b] = nodes as [ClusterNode, ClusterNode];
    const ws = new WebSocket(`ws://127.0.0.1:${b.port}/ws/monitor/tasks`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const frames: { type: string; task_id?: string; status?: string; completed_devices?: number }[] = [];
    ws.on('message', (m) => frames.push(JSON.parse(String(m))));
    await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
    try {
      const id = await createTask(a, deviceIds.fast, 'watched across nodes');
      ws.send(JSON.stringify({ type: 'subscribe_task', task_id: id }));
      const last = await until('the final task_update on node B', 30_000, async () =>
        frames.find((f) => f.type === 'task_update' && f.task_id === id && f.status === 'completed'),
      );
      expect(last.completed_devices).toBe(deviceIds.fast.length);
      const t = await taskRow(id);
      expect(t.succeededDevices).toBe(deviceIds.fast.length);
      expect(['node-a', 'node-b']).toContain(t.nodeId);
    } finally {
      ws.close();
    }
  });

  it('cancel sent to the node that is not running the task stops it where it runs', async () => {
    const id = await createTask(nodes[0]!, deviceIds.slow, 'cancel across nodes', 1);
    const running = await until('the task to be claimed and running', 30_000, async () => {
      const t = await taskRow(id);
      return t.status === 'running' && t.nodeId ? t : undefined;
    });
    const other = nodes.find((n) => n.nodeId !== running.nodeId)!;
    const r = await api(other, 'POST', `/tasks/${id}/cancel`);
    // accepted: the node running it stops it and stores the outcome
    expect(r.status, JSON.stringify(r.json)).toBe(202);
    const done = await finalTask(id, 10_000);
    expect(done.status).toBe('cancelled');
    const rows = await db.taskDevice.findMany({ where: { taskId: id } });
    // the one device running was stopped, none of the others started
    expect(rows.filter((d) => d.status === 'success').length).toBeLessThan(deviceIds.slow.length);
    expect(rows.every((d) => d.status !== 'running' && d.status !== 'pending')).toBe(true);
  });

  it('a node started with other secrets is refused, saying why', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sb-cluster-odd-'));
    const other = `another-secret-${randomBytes(12).toString('hex')}`;
    await expect(
      nodeFor('node-odd', dir, { SWITCHBOARD_SECRET: other, NEXTAUTH_SECRET: other }),
    ).rejects.toThrow(/runs with a different SWITCHBOARD_SECRET or NEXTAUTH_SECRET/);
  });

  it('the node running a task is killed: another takes it over; finished devices keep their output, the running ones fail with the reason, the rest run', async () => {
    const id = await createTask(nodes[0]!, deviceIds.slow, 'survives a node', 2);
    // two devices finished, two running on the node that claimed it
    const holder = await until('two devices done and two running', 60_000, async () => {
      const rows = await db.taskDevice.findMany({ where: { taskId: id } });
      const t = await taskRow(id);
      const done = rows.filter((d) => d.status === 'success').length;
      const running = rows.filter((d) => d.status === 'running').length;
      return done >= 2 && running >= 1 && t.nodeId ? t.nodeId : undefined;
    });
    const victim = nodes.find((n) => n.nodeId === holder)!;
    const before = await db.taskDevice.findMany({ where: { taskId: id } });
    await victim.kill('SIGKILL');
    const killedAt = Date.now();
    // the bound the README states: the job's lock (one lease) runs out, the stalled check (every half
    // lease) puts it back, and the claim needs the dead node's lease gone: within two leases
    await until('another node to claim the task', 20_000, async () =>
      (await taskRow(id)).nodeId !== holder ? true : undefined,
    ).catch((err: Error) => {
      const survivor = nodes.find((n) => n !== victim)!;
      throw new Error(`${err.message}\n${survivor.nodeId}:\n${survivor.output().slice(-6000)}`);
    });
    const tookOverIn = Date.now() - killedAt;
    console.log(`taken over in ${tookOverIn} ms`);
    const after = await finalTask(id, 6 * 2 * SLOW_MS + 10_000);
    const rows = await db.taskDevice.findMany({ where: { taskId: id } });
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
    expect(tookOverIn).toBeLessThan(2 * LEASE_MS + 2_000);
    // the node comes back under its own NODE_ID (waiting out its old lease) for the tests after this one
    const i = nodes.indexOf(victim);
    nodes[i] = await nodeFor(victim.nodeId, mkdtempSync(path.join(tmpdir(), 'sb-cluster-back-')));
  });
});
