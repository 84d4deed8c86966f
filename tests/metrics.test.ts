import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as meRoute from '../app/api/v1/me/route';
import * as taskRoute from '../app/api/v1/tasks/[id]/route';
import { signInWithPassword, type SignInInput } from '../lib/auth/sign-in';
import { startCluster, type StartedCluster } from '../lib/cluster/start';
import { createVault } from '../lib/devices/vault';
import { setRuntime } from '../lib/server/registry';
import { createRuntime, type Runtime } from '../lib/server/runtime';
import { createTask } from '../lib/tasks/service';
import { call, mintToken } from './api-client';
import { startPortal, TEST_SECRET, TestClient, testTunables, waitFinal, type Portal } from './harness';
import { freshDatabase } from './helpers';
import { startRedisServer, type PrivateRedis } from './redis-server';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format, as a scraper reads it: each family's TYPE, and every sample. */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const head = line.slice(0, space);
    const brace = head.indexOf('{');
    const labels: Record<string, string> = {};
    if (brace >= 0)
      for (const m of head.slice(brace + 1, -1).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]!] = m[2]!;
    samples.push({
      name: brace >= 0 ? head.slice(0, brace) : head,
      labels,
      value: Number(line.slice(space + 1)),
    });
  }
  return { types, samples };
}

class Scrape {
  readonly types: Map<string, string>;
  readonly samples: Sample[];
  constructor(text: string) {
    ({ types: this.types, samples: this.samples } = parseExposition(text));
  }
  /** The samples of `name` whose labels include `labels`. */
  find(name: string, labels: Record<string, string> = {}): Sample[] {
    return this.samples.filter(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    );
  }
  /** The sum over those samples; undefined when there are none. */
  value(name: string, labels: Record<string, string> = {}): number | undefined {
    const found = this.find(name, labels);
    return found.length === 0 ? undefined : found.reduce((sum, s) => sum + s.value, 0);
  }
}

describe('one node: what the portal did shows in its metrics', () => {
  const STATUS_INTERVAL_MS = 150;
  let portal: Portal;
  let scrape: Scrape;
  let taskId: string;

  beforeAll(async () => {
    portal = await startPortal({ statusIntervalMs: STATUS_INTERVAL_MS });
    setRuntime(portal.runtime);
    const { db } = portal;
    await vi.waitFor(async () => expect(await db.device.count({ where: { status: 'online' } })).toBe(4), {
      timeout: 5000,
      interval: 25,
    });

    // a task on two lab devices, both succeed
    const created = await createTask(
      { id: portal.users.admin, role: 'admin' },
      {
        name: 'metrics',
        commands: '',
        vendorCommands: JSON.stringify({ huawei_vrp: 'display clock', cisco_ios: 'show clock' }),
        deviceIds: [await portal.deviceId('lab-vrp-01'), await portal.deviceId('lab-ios-01')],
        concurrency: '2',
        timeoutSeconds: '10',
      },
      portal.tasks,
    );
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    taskId = created.id;
    expect((await waitFinal(portal, taskId)).status).toBe('completed');

    // a device goes down: a transition and a notification for each user who can see it
    const down = await portal.deviceId('lab-ios-02');
    await portal.labControl.setUp('lab-ios-02', false);
    await vi.waitFor(
      async () => {
        expect((await db.device.findUniqueOrThrow({ where: { id: down } })).status).toBe('offline');
        expect(await db.notification.count({ where: { kind: 'device_down' } })).toBeGreaterThan(0);
      },
      { timeout: 10_000, interval: 25 },
    );

    // sign-ins: two wrong passwords, a disabled account, then guesses until the back-off refuses one
    await db.user.create({ data: { username: 'gone', role: 'viewer', passwordHash: 'x', disabled: true } });
    const signIn = (input: SignInInput, right: boolean) =>
      signInWithPassword(input, { ...portal.runtime, verifyPassword: async () => right });
    expect((await signIn({ username: 'admin', password: 'a', ip: '198.51.100.1' }, false)).ok).toBe(false);
    expect((await signIn({ username: 'nobody', password: 'b', ip: '198.51.100.2' }, false)).ok).toBe(false);
    expect(await signIn({ username: 'gone', password: 'c', ip: '198.51.100.3' }, true)).toMatchObject({
      code: 'disabled',
    });
    const guesser = { username: 'viewer', password: 'guess', ip: '203.0.113.9' };
    for (let i = 0; ; i++) {
      const r = await signIn(guesser, false);
      if (!r.ok && r.code === 'throttled') break;
      expect(i).toBeLessThan(portal.runtime.tunables.LOGIN_MAX_FAILURES + 1);
    }

    // API requests: two answered, one not found
    const { token } = await mintToken(portal.runtime, portal.users.admin, 'read');
    expect((await call(meRoute.GET, { token, path: '/me' })).status).toBe(200);
    expect((await call(meRoute.GET, { token, path: '/me' })).status).toBe(200);
    const missing = randomUUID();
    expect(
      (await call(taskRoute.GET, { token, path: `/tasks/${missing}`, params: { id: missing } })).status,
    ).toBe(404);

    scrape = new Scrape(await portal.runtime.metrics.metrics());
  });
  afterAll(async () => {
    setRuntime(undefined);
    await portal?.close();
  });

  it('every series carries the node label (one node alone: local)', () => {
    expect(scrape.samples.length).toBeGreaterThan(50);
    expect(scrape.samples.filter((s) => s.labels.node !== 'local')).toEqual([]);
  });

  it('tasks by status from the database, and the queue empty again', () => {
    expect(scrape.types.get('switchboard_tasks')).toBe('gauge');
    expect(scrape.value('switchboard_tasks', { status: 'completed' })).toBe(1);
    expect(scrape.value('switchboard_tasks', { status: 'running' })).toBe(0);
    expect(scrape.value('switchboard_task_queue_depth', { state: 'queued' })).toBe(0);
    expect(scrape.value('switchboard_task_queue_depth', { state: 'running' })).toBe(0);
  });

  it('each device of the task: its outcome counted and its run time observed', async () => {
    expect(scrape.value('switchboard_task_devices_finished_total', { outcome: 'success' })).toBe(2);
    expect(scrape.value('switchboard_task_devices_finished_total', { outcome: 'failed' })).toBe(0);
    expect(scrape.types.get('switchboard_task_device_duration_seconds')).toBe('histogram');
    expect(scrape.value('switchboard_task_device_duration_seconds_count', { outcome: 'success' })).toBe(2);
    // the observed seconds are the durations the task's rows hold
    const rows = await portal.db.taskDevice.findMany({
      where: { taskId },
      select: { startedAt: true, finishedAt: true },
    });
    const stored =
      rows.reduce((sum, r) => sum + (r.finishedAt!.getTime() - r.startedAt!.getTime()), 0) / 1000;
    expect(scrape.value('switchboard_task_device_duration_seconds_sum', { outcome: 'success' })).toBeCloseTo(
      stored,
      3,
    );
  });

  it('devices by status, the transitions that led there, and the notifications they made', async () => {
    expect(scrape.value('switchboard_devices', { status: 'online' })).toBe(3);
    expect(scrape.value('switchboard_devices', { status: 'offline' })).toBe(1);
    // four devices came online at the first probe round, one went down
    expect(scrape.value('switchboard_device_status_transitions_total', { to: 'online' })).toBe(4);
    expect(scrape.value('switchboard_device_status_transitions_total', { to: 'offline' })).toBe(1);
    // one per user notified; the count includes the task's completion notice for its owner
    const stored = await portal.db.notification.count();
    expect(scrape.value('switchboard_notifications_created_total')).toBeGreaterThan(0);
    expect(scrape.value('switchboard_notifications_created_total')).toBeLessThanOrEqual(stored);
  });

  it('a notification pushed to two open sockets of its user counts two frames', async () => {
    const pushed = async () =>
      new Scrape(await portal.runtime.metrics.metrics()).value('switchboard_notifications_pushed_total') ?? 0;
    const sockets = await Promise.all(
      [0, 1].map(async () => {
        const c = await TestClient.open(portal, '/ws/notifications', portal.users.viewer);
        c.send({ type: 'hello', last_seq: await portal.runtime.feed.latestSeq(portal.users.viewer) });
        await c.waitFrame('unread_count');
        return c;
      }),
    );
    try {
      const before = await pushed();
      await portal.runtime.feed.notify([portal.users.viewer], {
        kind: 'device_down',
        title: 'metrics-push is down',
      });
      for (const c of sockets) await c.waitFrame('notification');
      expect((await pushed()) - before).toBe(2);
    } finally {
      for (const c of sockets) c.close();
    }
  });

  it('refused sign-ins by reason, and the throttled ones apart', () => {
    expect(scrape.value('switchboard_sign_in_failures_total', { reason: 'invalid' })).toBe(
      2 + portal.runtime.tunables.LOGIN_MAX_FAILURES,
    );
    expect(scrape.value('switchboard_sign_in_failures_total', { reason: 'disabled' })).toBe(1);
    expect(scrape.value('switchboard_sign_in_throttled_total')).toBe(1);
  });

  it('API requests by route template (never the raw path), method and status, and their duration', () => {
    const me = { route: '/api/v1/me', method: 'GET' };
    expect(scrape.value('switchboard_api_requests_total', { ...me, status: '200' })).toBe(2);
    expect(
      scrape.value('switchboard_api_requests_total', {
        route: '/api/v1/tasks/{id}',
        method: 'GET',
        status: '404',
      }),
    ).toBe(1);
    const routes = new Set(scrape.find('switchboard_api_requests_total').map((s) => s.labels.route));
    expect([...routes].sort()).toEqual(['/api/v1/me', '/api/v1/tasks/{id}']);
    expect(scrape.value('switchboard_api_request_duration_seconds_count', me)).toBe(2);
    const seconds = scrape.value('switchboard_api_request_duration_seconds_sum', me)!;
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(10);
  });

  it('the database answers, with its round trip; no Redis on one node alone', () => {
    expect(scrape.value('switchboard_database_up')).toBe(1);
    const latency = scrape.value('switchboard_database_latency_seconds')!;
    expect(latency).toBeGreaterThanOrEqual(0);
    expect(latency).toBeLessThan(2);
    expect(scrape.types.has('switchboard_redis_up')).toBe(false);
    expect(scrape.types.has('switchboard_redis_latency_seconds')).toBe(false);
    expect(scrape.find('switchboard_event_delivery_seconds_count')).toEqual([]);
  });

  it('sockets, terminals and the process metrics are still there', () => {
    expect(scrape.value('switchboard_websocket_connections', { channel: 'terminal' })).toBe(0);
    expect(scrape.value('switchboard_terminal_sessions')).toBe(0);
    expect(scrape.value('switchboard_process_start_time_seconds')).toBeGreaterThan(0);
  });
});

describe('cluster mode: Redis and the event bus, labelled with NODE_ID', () => {
  const nodeId = `metrics-${randomUUID().slice(0, 6)}`;
  let redis: PrivateRedis;
  let clustered: StartedCluster | undefined;
  let runtime: Runtime | undefined;

  beforeAll(async () => {
    redis = await startRedisServer();
    const { db } = freshDatabase();
    const log = pino({ level: 'silent' });
    const tunables = testTunables({ NODE_LEASE_MS: 3_000 });
    clustered = await startCluster(
      {
        ...tunables,
        REDIS_URL: redis.url,
        REDIS_PREFIX: `sb-test-${randomUUID().slice(0, 8)}:`,
        NODE_ID: nodeId,
        SWITCHBOARD_SECRET: TEST_SECRET,
      },
      { db, log },
    );
    runtime = await createRuntime({
      db,
      vault: createVault(TEST_SECRET),
      log,
      tunables,
      statusMonitor: false,
      scheduler: false,
      bus: clustered.bus,
      queue: clustered.queue,
      cluster: clustered.cluster,
    });
  });
  afterAll(async () => {
    if (runtime) await runtime.close();
    else await clustered?.cluster.close();
    await redis?.stop();
  });

  it('Redis up with its round trip, and each event published here observed when Redis delivers it back', async () => {
    const rt = runtime!;
    await rt.bus.publish('notification.read', { userId: 'someone', unread: 0 });
    await rt.bus.publish('notification.read', { userId: 'someone', unread: 0 });
    const scrape = await vi.waitFor(
      async () => {
        const s = new Scrape(await rt.metrics.metrics());
        expect(s.value('switchboard_event_delivery_seconds_count', { topic: 'notification.read' })).toBe(2);
        return s;
      },
      { timeout: 5000, interval: 25 },
    );
    const delivery = scrape.value('switchboard_event_delivery_seconds_sum', { topic: 'notification.read' })!;
    expect(delivery).toBeGreaterThanOrEqual(0);
    expect(delivery).toBeLessThan(2);
    expect(scrape.value('switchboard_redis_up')).toBe(1);
    const latency = scrape.value('switchboard_redis_latency_seconds')!;
    expect(latency).toBeGreaterThanOrEqual(0);
    expect(latency).toBeLessThan(2);
    expect(scrape.value('switchboard_database_up')).toBe(1);
    expect(scrape.samples.filter((s) => s.labels.node !== nodeId)).toEqual([]);
  });
});
