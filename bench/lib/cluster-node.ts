/**
 * One cluster node, run as a child process (bench/lib/cluster.ts starts it): the portal's server side
 * as bench/fixtures/portal.ts runs it (tests/harness.ts's wiring: createRuntime with the realtime
 * layer on a loopback port, no Next, no status monitor or scheduler), but in cluster mode: a shared
 * PostgreSQL database, and the Redis event bus, BullMQ task queue, node registry and slots that
 * startRuntime builds from REDIS_URL (lib/cluster/start.ts), under this node's NODE_ID.
 *
 * Handlers follow bench/fixtures/portal.ts (addDevices, runTask, fanoutTask, publish, cpu), so the
 * benchmarks drive a node as they drive the single portal.
 */
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { encode } from 'next-auth/jwt';
import pino from 'pino';
import { startCluster } from '../../lib/cluster/start';
import { createPrismaClient } from '../../lib/db/client';
import { credentialContext } from '../../lib/devices/credentials';
import { createVault } from '../../lib/devices/vault';
import type { EventMap } from '../../lib/events/types';
import { createRuntime } from '../../lib/server/runtime';
import { createTask } from '../../lib/tasks/service';
import { TEST_SECRET, testTunables } from '../../tests/harness';
import { serve, waitInit } from '../fixtures/ipc';
import type { BenchDevice } from '../fixtures/portal';
import { taskPhases, type TaskPhases } from './milestones';

export interface ClusterNodeInit {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  nodeId: string;
  /** Create the users (the first node); the others look them up. */
  seed: boolean;
  progressIntervalMs?: number;
  /** TASKS_MAX_RUNNING (default: the production default). */
  tasksMaxRunning?: number;
}

export interface ClusterNodeReady {
  nodeId: string;
  wsBase: string;
  origin: string;
  cookies: { admin: string; operator: string };
}

/** A task run as seen from the node that created it. Times are on the machine's clock (ms since the epoch). */
export interface ClusterTaskRun {
  taskId: string;
  /** createTask called → its final event received here (from whichever node ran it). */
  startedAt: number;
  finishedAt: number;
  wallMs: number;
  /** NODE_ID of the node that ran it. */
  ranOn: string | null;
  status: string;
  succeeded: number;
  failed: number;
  deviceMs: number[];
  /** Distinct errors of failed devices, with how many had each (empty when all succeeded). */
  errors: Record<string, number>;
  /**
   * Milestones after `startedAt` (ms; the database's times, on the same machine): createTask
   * returned, the running node marked it running, its first device started, its last device
   * finished, the running node marked it finished, its final event arrived here.
   */
  phases: TaskPhases;
}

const init = await waitInit<ClusterNodeInit>();
/** Comparable across the processes of one machine (performance.now() is per process). */
const clock = () => performance.timeOrigin + performance.now();

const log = pino({ level: 'silent' });
const db = createPrismaClient(init.databaseUrl);
const vault = createVault(TEST_SECRET);
// the harness's settings for the benchmarks' single portal (tests/harness.ts startPortal), the same
// secret on every node (a cluster refuses a node whose secrets differ)
const tunables = testTunables({
  TERMINAL_MAX_SESSIONS_PER_USER: 20,
  DEVICE_MAX_SESSIONS: 5,
  WS_HEARTBEAT_MS: 60_000,
  // the benchmarks hold up to 1,000 sockets of one user from one address; the caps are not measured
  WS_MAX_CONNECTIONS_PER_USER: 100_000,
  WS_MAX_CONNECTIONS_PER_ADDRESS: 100_000,
  STATUS_PROBE_TIMEOUT_MS: 500,
  STATUS_CONCURRENCY: 20,
  sshReadyTimeoutMs: 3000,
  progressIntervalMs: init.progressIntervalMs ?? 100,
  ...(init.tasksMaxRunning !== undefined && { TASKS_MAX_RUNNING: init.tasksMaxRunning }),
});

/** How often a node that does not seed looks for the users the seeding node creates. */
const USERS_POLL_MS = 50;
const USERS_WAIT_MS = 60_000;

/** The seeding node creates the users; the others, started at the same time, wait for them. */
async function benchUsers(): Promise<{ admin: string; operator: string }> {
  if (init.seed) {
    const [admin, operator] = await db.$transaction([
      db.user.create({ data: { username: 'admin', role: 'admin', passwordHash: 'unused' } }),
      db.user.create({ data: { username: 'op', role: 'operator', passwordHash: 'unused' } }),
    ]);
    return { admin: admin.id, operator: operator.id };
  }
  const deadline = Date.now() + USERS_WAIT_MS;
  for (;;) {
    const found = await db.user.findMany({ where: { username: { in: ['admin', 'op'] } } });
    const admin = found.find((u) => u.username === 'admin');
    const operator = found.find((u) => u.username === 'op');
    if (admin && operator) return { admin: admin.id, operator: operator.id };
    if (Date.now() > deadline) throw new Error('the seeding node never created the users');
    await new Promise((r) => setTimeout(r, USERS_POLL_MS));
  }
}
const users = await benchUsers();

const clustered = await startCluster(
  {
    REDIS_URL: init.redisUrl,
    REDIS_PREFIX: init.redisPrefix,
    NODE_ID: init.nodeId,
    NODE_LEASE_MS: tunables.NODE_LEASE_MS,
    TASKS_MAX_RUNNING: tunables.TASKS_MAX_RUNNING,
    SWITCHBOARD_SECRET: TEST_SECRET,
    NEXTAUTH_SECRET: TEST_SECRET,
  },
  { db, log },
);
const runtime = await createRuntime({
  db,
  vault,
  log,
  tunables,
  statusMonitor: false,
  scheduler: false,
  bus: clustered.bus,
  queue: clustered.queue,
  cluster: clustered.cluster,
});
const server = createServer((_req, res) => res.end());
server.on('upgrade', (req, socket, head) => void runtime.realtime.handleUpgrade(req, socket, head));
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const { port } = server.address() as AddressInfo;

/** Final task events seen on the bus (from any node), by task id (a task can finish before createTask returns). */
const finals = new Map<string, { at: number; event: EventMap['task.status.changed'] }>();
const finalWaiters = new Map<string, () => void>();
runtime.bus.subscribe('task.status.changed', (e) => {
  if (!e.final) return;
  finals.set(e.taskId, { at: clock(), event: e });
  finalWaiters.get(e.taskId)?.();
});

async function cookieFor(userId: string): Promise<string> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { sessionVersion: true } });
  const token = { sub: userId, sv: user?.sessionVersion ?? 0 };
  return `next-auth.session-token=${await encode({ token, secret: TEST_SECRET, maxAge: 3600 })}`;
}

/** The inventory rows, as bench/fixtures/portal.ts adds them (host keys pre-trusted). */
async function addDevices({ devices }: { devices: BenchDevice[] }): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const rows = devices.map((d) => {
    const id = randomUUID();
    ids[d.name] = id;
    const secret = d.privateKey ?? d.password ?? '';
    return {
      id,
      name: d.name,
      host: d.host,
      port: d.port,
      vendor: d.vendor,
      encoding: d.encoding ?? 'utf-8',
      username: d.username,
      authType: d.privateKey ? 'key' : 'password',
      secretEnc: vault.seal(secret, credentialContext(id, 'secret')),
      enableSecretEnc: d.enablePassword
        ? vault.seal(d.enablePassword, credentialContext(id, 'enable'))
        : null,
      hostKeyFingerprint: d.hostKeyFingerprint ?? null,
      hostKey: d.hostKey ?? null,
      jumpHostId: d.jumpHostId ?? null,
    };
  });
  for (let i = 0; i < rows.length; i += 200) await db.device.createMany({ data: rows.slice(i, i + 200) });
  return ids;
}

/** createTask on this node, then wait for its final event (whichever node runs it). */
async function runTask(args: {
  deviceIds: string[];
  commands: string[];
  concurrency: number;
  timeoutSeconds: number;
}): Promise<ClusterTaskRun> {
  const actor = { id: users.admin, role: 'admin' as const };
  const startedAt = clock();
  const r = await createTask(
    actor,
    {
      name: `bench cluster batch (${init.nodeId})`,
      commands: args.commands.join('\n'),
      deviceIds: args.deviceIds,
      concurrency: String(args.concurrency),
      timeoutSeconds: String(args.timeoutSeconds),
    },
    runtime,
  );
  const createdAt = clock();
  if (!r.ok) throw new Error(`createTask refused: ${JSON.stringify(r.errors)}`);
  if (!finals.has(r.id)) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('task did not finish in time')),
        args.timeoutSeconds * 1000 * 20,
      );
      finalWaiters.set(r.id, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  finalWaiters.delete(r.id);
  const finishedAt = finals.get(r.id)!.at;
  const task = await db.task.findUniqueOrThrow({ where: { id: r.id } });
  const rows = await db.taskDevice.findMany({
    where: { taskId: r.id },
    select: { startedAt: true, finishedAt: true, error: true },
  });
  const errors: Record<string, number> = {};
  for (const d of rows) if (d.error) errors[d.error] = (errors[d.error] ?? 0) + 1;
  return {
    taskId: r.id,
    startedAt,
    finishedAt,
    wallMs: finishedAt - startedAt,
    ranOn: task.nodeId,
    status: task.status,
    succeeded: task.succeededDevices,
    failed: task.failedDevices,
    deviceMs: rows.flatMap((d) =>
      d.startedAt && d.finishedAt ? [d.finishedAt.getTime() - d.startedAt.getTime()] : [],
    ),
    errors,
    phases: taskPhases(startedAt, { created: createdAt, final: finishedAt, task, rows }),
  };
}

async function fanoutTask({ total }: { total: number }): Promise<string> {
  const task = await db.task.create({
    data: {
      ownerId: users.operator,
      name: 'bench cluster fan-out',
      commands: JSON.stringify(['display clock']),
      concurrency: 1,
      timeoutMs: 60_000,
      totalDevices: total,
      status: 'running',
      startedAt: new Date(),
    },
  });
  return task.id;
}

/** One task update onto this node's bus (Redis pub/sub: every node's monitor channel fans it out). */
function publish({ taskId, seq, total }: { taskId: string; seq: number; total: number }): void {
  void runtime.bus.publish('task.status.changed', {
    taskId,
    ownerId: users.operator,
    status: 'running',
    progress: Math.min(100, Math.round((seq / total) * 1000) / 10),
    currentDevice: null,
    totalDevices: total,
    completedDevices: seq,
    failedDevices: 0,
    timestamp: new Date().toISOString(),
  });
}

serve(
  {
    addDevices,
    runTask,
    fanoutTask,
    publish,
    cpu: () => process.cpuUsage(),
    sockets: () => runtime.realtime.manager.countByChannel(),
  },
  async () => {
    server.close();
    await runtime.close();
  },
  {
    nodeId: init.nodeId,
    wsBase: `ws://127.0.0.1:${port}`,
    origin: `http://127.0.0.1:${port}`,
    cookies: { admin: await cookieFor(users.admin), operator: await cookieFor(users.operator) },
  } satisfies ClusterNodeReady,
);
