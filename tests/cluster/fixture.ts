import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { expect } from 'vitest';
import { defaultLabFleet, generateHostKey, startLab, type RunningLab } from '../../lab';
import { createAudit } from '../../lib/audit';
import { createApiToken } from '../../lib/auth/tokens';
import { createPrismaClient, type PrismaClient } from '../../lib/db/client';
import { startNode, type ClusterNode } from '../../scripts/cluster';
import { createPostgresDatabase } from '../helpers';
import { LAB_CREDS } from '../harness';
import { freePort } from '../ports';

/**
 * Real portal nodes (server.ts, the production build) on a fresh PostgreSQL database and a Redis
 * (the machine's, under a prefix of this run, or a private one), driven through the REST API and
 * WebSockets with a bearer token. The device lab runs in the test process, so killing a node leaves
 * the devices up: four answer at once, six take `slowMs` per command.
 */
export interface ClusterFixture {
  lab: RunningLab;
  db: PrismaClient;
  nodes: ClusterNode[];
  token: string;
  devices: { fast: string[]; slow: string[] };
  env: Record<string, string>;
  leaseMs: number;
  slowMs: number;
  api(
    node: ClusterNode,
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Start another node with this fixture's environment (plus `extra`). */
  startNode(nodeId: string, extra?: Record<string, string>): Promise<ClusterNode>;
  /** POST a task of two commands on these devices to `node`; its id. */
  createTask(node: ClusterNode, devices: string[], name: string, concurrency?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startClusterFixture(opts: {
  nodes: string[];
  redisUrl?: string;
  leaseMs?: number;
  slowMs?: number;
  /** More settings for every node (limits, say). */
  env?: Record<string, string>;
}): Promise<ClusterFixture> {
  const leaseMs = opts.leaseMs ?? 3_000;
  const slowMs = opts.slowMs ?? 1_500;
  const secret = `cluster-test-secret-${randomBytes(12).toString('hex')}`;
  const specs = defaultLabFleet(10, LAB_CREDS, 'huawei_vrp').map((s, i) => ({
    ...s,
    ...(i >= 4 ? { latencyMs: slowMs } : {}),
  }));
  const lab = await startLab(specs, { hostKey: generateHostKey() });
  const env: Record<string, string> = {
    DATABASE_URL: createPostgresDatabase({ migrate: false }),
    REDIS_URL: opts.redisUrl ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `sb-test-${randomBytes(4).toString('hex')}:`,
    SWITCHBOARD_SECRET: secret,
    NEXTAUTH_SECRET: secret,
    ADMIN_PASSWORD: 'cluster-admin-password-1',
    LAB: 'off',
    NODE_LEASE_MS: String(leaseMs),
    STATUS_INTERVAL_MS: '1000',
    LOG_LEVEL: 'info',
    ...opts.env,
  };
  const base = mkdtempSync(path.join(tmpdir(), 'sb-cluster-'));
  const start = async (nodeId: string, extra: Record<string, string> = {}) =>
    startNode({
      nodeId,
      port: await freePort(),
      dataDir: mkdtempSync(path.join(base, `${nodeId}-`)),
      env: { ...env, ...extra },
    });
  const nodes: ClusterNode[] = [];
  let db: PrismaClient | undefined;
  try {
    // all at once on an empty database: one migrates under the advisory lock, the others wait
    nodes.push(...(await Promise.all(opts.nodes.map((id) => start(id)))));
    db = createPrismaClient(env.DATABASE_URL!);
    const admin = await db.user.findUniqueOrThrow({ where: { username: 'admin' } });
    const minted = await createApiToken(
      { id: admin.id },
      { name: 'cluster-test', scope: 'write' },
      { db, audit: createAudit(db, pino({ level: 'silent' })) },
    );
    if (!minted.ok) throw new Error(JSON.stringify(minted.errors));
    const token = minted.token;
    const api: ClusterFixture['api'] = async (node, method, route, body) => {
      const r = await fetch(`${node.url}/api/v1${route}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    };
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
    const devices = { fast: [] as string[], slow: [] as string[] };
    for (const [i, d] of (r.json.items as { id: string }[]).entries())
      (i < 4 ? devices.fast : devices.slow).push(d.id);
    const fixture: ClusterFixture = {
      lab,
      db,
      nodes,
      token,
      devices,
      env,
      leaseMs,
      slowMs,
      api,
      startNode: start,
      async createTask(node, ids, name, concurrency = 2) {
        const t = await api(node, 'POST', '/tasks', {
          name,
          devices: ids,
          commands: ['display clock', 'display version'],
          concurrency,
          timeout_s: 60,
        });
        expect(t.status, JSON.stringify(t.json)).toBe(201);
        return t.json.id as string;
      },
      async close() {
        await Promise.all(fixture.nodes.map((n) => n.kill('SIGTERM')));
        await db?.$disconnect();
        await lab.close();
      },
    };
    return fixture;
  } catch (err) {
    await Promise.all(nodes.map((n) => n.kill('SIGKILL')));
    await db?.$disconnect();
    await lab.close();
    throw err;
  }
}

/** Poll `check` every 100 ms until it returns a value (not undefined), or fail after `timeoutMs`. */
export async function until<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const FINAL_TASK_STATUSES = ['completed', 'failed', 'cancelled', 'interrupted'];

/** Until the task's stored status is final; the row. */
export function finalTask(db: PrismaClient, id: string, timeoutMs: number) {
  return until(`task ${id} to finish`, timeoutMs, async () => {
    const t = await db.task.findUniqueOrThrow({ where: { id } });
    return FINAL_TASK_STATUSES.includes(t.status) ? t : undefined;
  });
}
