import { readFileSync } from 'node:fs';
import path from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { apiRouteTemplate } from './api/route';
import { InProcessEventBus } from './events';
import { createMetrics, SCRAPE_CACHE_MS, type MetricsSources } from './metrics';

const ROOT = path.resolve(import.meta.dirname, '..');

/** A registry on a database that counts its reads; `fail` makes them reject. */
function metricsOn(opts: { fail?: boolean; redis?: boolean } = {}) {
  const reads = { task: 0, device: 0, readiness: 0 };
  let now = 1_000_000;
  const groupBy = (table: 'task' | 'device', rows: { status: string; n: number }[]) =>
    vi.fn(async () => {
      reads[table]++;
      if (opts.fail) throw new Error('database is gone');
      return rows.map((r) => ({ status: r.status, _count: { _all: r.n } }));
    });
  const sources: MetricsSources = {
    node: 'node-a',
    connectionsByChannel: () => ({ terminal: 2 }),
    terminalSessions: () => 1,
    queueStats: () => ({ queued: 3, running: 1 }),
    db: {
      task: { groupBy: groupBy('task', [{ status: 'running', n: 1 }]) },
      device: { groupBy: groupBy('device', [{ status: 'online', n: 5 }]) },
    } as unknown as MetricsSources['db'],
    readiness: async () => {
      reads.readiness++;
      return opts.fail
        ? { database: { up: false, error: 'database is gone' } }
        : {
            database: { up: true, latencyMs: 3 },
            ...(opts.redis ? { redis: { up: true, latencyMs: 1 } } : {}),
          };
    },
    redis: opts.redis ?? false,
    now: () => now,
  };
  return { metrics: createMetrics(sources), reads, advance: (ms: number) => (now += ms) };
}

async function valuesOf(registry: Registry, name: string) {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return metric?.values.map((v) => ({ labels: v.labels, value: v.value }));
}

/** One series' value: `name` may be a histogram's `_sum` or `_count`. */
async function valueOf(registry: Registry, name: string, labels: Record<string, string>) {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  for (const m of await registry.getMetricsAsJSON())
    for (const v of m.values)
      if (
        ((v as { metricName?: string }).metricName ?? m.name) === name &&
        JSON.stringify(Object.entries(v.labels).sort()) === wanted
      )
        return v.value;
  return undefined;
}

describe('scrape-time reads', () => {
  it('a burst of scrapes reads the database once per table; the next read comes after the cache time', async () => {
    const { metrics, reads, advance } = metricsOn();
    await Promise.all(Array.from({ length: 10 }, () => metrics.metrics()));
    expect(reads).toEqual({ task: 1, device: 1, readiness: 1 });
    advance(SCRAPE_CACHE_MS - 1);
    await metrics.metrics();
    expect(reads).toEqual({ task: 1, device: 1, readiness: 1 });
    advance(1);
    await metrics.metrics();
    expect(reads).toEqual({ task: 2, device: 2, readiness: 2 });
  });

  it('every known status is reported, absent ones as 0, with the node label', async () => {
    const { metrics } = metricsOn();
    const tasks = await valuesOf(metrics, 'switchboard_tasks');
    expect(tasks).toContainEqual({ labels: { status: 'running', node: 'node-a' }, value: 1 });
    expect(tasks).toContainEqual({ labels: { status: 'completed', node: 'node-a' }, value: 0 });
    expect(await valuesOf(metrics, 'switchboard_devices')).toContainEqual({
      labels: { status: 'online', node: 'node-a' },
      value: 5,
    });
    expect(await valuesOf(metrics, 'switchboard_task_queue_depth')).toEqual([
      { labels: { state: 'queued', node: 'node-a' }, value: 3 },
      { labels: { state: 'running', node: 'node-a' }, value: 1 },
    ]);
    expect(await valuesOf(metrics, 'switchboard_database_latency_seconds')).toEqual([
      { labels: { node: 'node-a' }, value: 0.003 },
    ]);
  });

  it('a database that fails: the scrape still answers, counts left out, database down', async () => {
    const { metrics } = metricsOn({ fail: true });
    await expect(metrics.metrics()).resolves.toContain('switchboard_terminal_sessions');
    const node = { node: 'node-a' };
    expect(await valuesOf(metrics, 'switchboard_tasks')).toEqual([]);
    expect(await valuesOf(metrics, 'switchboard_devices')).toEqual([]);
    expect(await valueOf(metrics, 'switchboard_database_up', node)).toBe(0);
    expect(await valueOf(metrics, 'switchboard_database_latency_seconds', node)).toBeNaN();
    expect(await valueOf(metrics, 'switchboard_terminal_sessions', node)).toBe(1);
  });

  it('Redis gauges only in cluster mode', async () => {
    expect(await valuesOf(metricsOn().metrics, 'switchboard_redis_up')).toBeUndefined();
    const { metrics } = metricsOn({ redis: true });
    expect(await valuesOf(metrics, 'switchboard_redis_up')).toEqual([
      { labels: { node: 'node-a' }, value: 1 },
    ]);
    expect(await valuesOf(metrics, 'switchboard_redis_latency_seconds')).toEqual([
      { labels: { node: 'node-a' }, value: 0.001 },
    ]);
  });
});

describe('events', () => {
  it('are counted where they are published, not where they arrive (every node receives every event)', async () => {
    const { metrics } = metricsOn();
    const shared = new InProcessEventBus();
    const here = metrics.observe(shared);
    const arrived: string[] = [];
    here.subscribe('device.status.changed', (e) => void arrived.push(e.status));
    const at = new Date().toISOString();
    await here.publish('device.status.changed', {
      deviceId: 'd1',
      status: 'offline',
      previous: 'online',
      at,
    });
    // published by another node: this node receives it but does not count it
    await shared.publish('device.status.changed', {
      deviceId: 'd2',
      status: 'offline',
      previous: 'online',
      at,
    });
    await here.publish('notification.created', { userId: 'u', seq: 1, id: 'n1' });
    const base = {
      taskId: 't',
      ownerId: 'u',
      status: 'running' as const,
      progress: 50,
      currentDevice: null,
      totalDevices: 3,
      completedDevices: 3,
      failedDevices: 1,
      timestamp: at,
    };
    await here.publish('task.status.changed', {
      ...base,
      devices: [
        { deviceId: 'd1', deviceName: 'a', status: 'running' },
        { deviceId: 'd1', deviceName: 'a', status: 'success', durationMs: 1500 },
        { deviceId: 'd2', deviceName: 'b', status: 'failed', error: 'timeout', durationMs: 500 },
        { deviceId: 'd3', deviceName: 'c', status: 'skipped', error: null, durationMs: 0 },
      ],
    });
    await vi.waitFor(() => expect(arrived).toEqual(['offline', 'offline']));

    const node = 'node-a';
    expect(await valuesOf(metrics, 'switchboard_device_status_transitions_total')).toContainEqual({
      labels: { to: 'offline', node },
      value: 1,
    });
    expect(await valuesOf(metrics, 'switchboard_notifications_created_total')).toEqual([
      { labels: { node }, value: 1 },
    ]);
    const finished = await valuesOf(metrics, 'switchboard_task_devices_finished_total');
    expect(finished).toContainEqual({ labels: { outcome: 'success', node }, value: 1 });
    expect(finished).toContainEqual({ labels: { outcome: 'failed', node }, value: 1 });
    const run = 'switchboard_task_device_duration_seconds';
    expect(await valueOf(metrics, `${run}_sum`, { outcome: 'success', node })).toBe(1.5);
    expect(await valueOf(metrics, `${run}_count`, { outcome: 'failed', node })).toBe(1);
    // skipped: finished, but it never ran
    expect(finished).toContainEqual({ labels: { outcome: 'skipped', node }, value: 1 });
    expect(await valueOf(metrics, `${run}_count`, { outcome: 'skipped', node })).toBe(0);
  });

  it('delivery time over Redis is observed in seconds; clock skew into the past counts as 0', async () => {
    const { metrics } = metricsOn({ redis: true });
    metrics.eventDelivered('task.status.changed', 4);
    metrics.eventDelivered('task.status.changed', -3);
    const labels = { topic: 'task.status.changed', node: 'node-a' };
    expect(await valueOf(metrics, 'switchboard_event_delivery_seconds_sum', labels)).toBe(0.004);
    expect(await valueOf(metrics, 'switchboard_event_delivery_seconds_count', labels)).toBe(2);
  });
});

describe('API route templates', () => {
  it.each([
    ['/api/v1/me', '/api/v1/me'],
    ['/api/v1/tasks/cm9x2k1', '/api/v1/tasks/{id}'],
    ['/api/v1/tasks/cm9x2k1/devices', '/api/v1/tasks/{id}/devices'],
    ['/api/v1/devices/import', '/api/v1/devices/import'],
    ['/api/v1/devices/import/template', '/api/v1/devices/import/template'],
    ['/api/v1/devices/d1/history/7/diff', '/api/v1/devices/{id}/history/{version}/diff'],
    // an id that happens to be a fixed segment's name is still matched by position
    ['/api/v1/tasks/devices/devices', '/api/v1/tasks/{id}/devices'],
    ['/api/v1/tasks/a/b/c/d', 'other'],
    ['/api/v1/nothing-here', 'other'],
    ['/api/tasks/abc', 'other'],
  ])('%s is %s', (pathname, template) => {
    expect(apiRouteTemplate(pathname)).toBe(template);
  });
});

describe('the Grafana dashboard (deploy/grafana/switchboard.json)', () => {
  interface Panel {
    type: string;
    title: string;
    datasource?: { uid: string };
    targets?: { expr: string }[];
  }
  const dashboard = JSON.parse(readFileSync(path.join(ROOT, 'deploy/grafana/switchboard.json'), 'utf8')) as {
    uid: string;
    panels: Panel[];
    templating: { list: { name: string; type: string; query: unknown; definition?: string }[] };
  };
  const panels = dashboard.panels.filter((p) => p.type !== 'row');
  const metricNames = (expr: string) => [...expr.matchAll(/\bswitchboard_[a-z0-9_]+/g)].map((m) => m[0]);

  /** Every series name the registry can produce (a histogram's _bucket, _sum and _count). */
  async function defined(registry: Registry): Promise<Set<string>> {
    const names = new Set<string>();
    for (const m of await registry.getMetricsAsJSON()) {
      names.add(m.name);
      // prom-client's types call it an enum; at run time it is the exposition's type name
      if (String(m.type) === 'histogram')
        for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
    }
    return names;
  }

  it('has a Prometheus data source variable and a multi-value $node variable', () => {
    const vars = Object.fromEntries(dashboard.templating.list.map((v) => [v.name, v]));
    expect(vars.datasource).toMatchObject({ type: 'datasource', query: 'prometheus' });
    expect(vars.node).toMatchObject({ type: 'query', multi: true, includeAll: true });
  });

  it('every panel queries the data source variable and filters by $node', () => {
    expect(panels.length).toBeGreaterThan(10);
    for (const p of panels) {
      expect(p.datasource?.uid, p.title).toBe('${datasource}');
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets!) expect(t.expr, p.title).toContain('node=~"$node"');
    }
  });

  it('every metric a panel or variable names is one the registry defines, and every portal metric has a panel', async () => {
    const { metrics } = metricsOn({ redis: true });
    const names = await defined(metrics);
    const used = new Set([
      ...panels.flatMap((p) => p.targets!.flatMap((t) => metricNames(t.expr))),
      ...dashboard.templating.list.flatMap((v) => metricNames(v.definition ?? '')),
    ]);
    expect([...used].filter((n) => !names.has(n))).toEqual([]);

    const processOnly = new Registry();
    collectDefaultMetrics({ register: processOnly, prefix: 'switchboard_' });
    const processNames = new Set((await processOnly.getMetricsAsJSON()).map((m) => m.name));
    const portal = (await metrics.getMetricsAsJSON()).map((m) => m.name).filter((n) => !processNames.has(n));
    const shown = new Set([...used].map((n) => n.replace(/_(bucket|sum|count)$/, '')));
    expect(portal.filter((n) => !shown.has(n))).toEqual([]);
  });
});
