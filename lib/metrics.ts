import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PrismaClient } from './db/client';
import { DEVICE_STATUSES } from './devices/status';
import type { EventBus, EventMap, Handler, Topic } from './events/types';
import type { Readiness } from './server/runtime';
import { TASK_STATUSES, type TaskDeviceOutcome } from './tasks/status';

/** What the portal's own gauges read at scrape time. */
export interface MetricsSources {
  /** NODE_ID (one node alone: `local`): the `node` label of every series. */
  node: string;
  connectionsByChannel(): Record<string, number>;
  terminalSessions(): number;
  queueStats(): { queued: number; running: number };
  /** Tasks and devices by status: one groupBy each per scrape (cached). */
  db: Pick<PrismaClient, 'task' | 'device'>;
  /** The runtime's readiness check (SELECT 1, Redis PING; bounded): the latency gauges. */
  readiness(): Promise<Pick<Readiness, 'database' | 'redis'>>;
  /** Cluster mode: Redis is a dependency of this node (its gauges are exported). */
  redis: boolean;
  /** How long one scrape's database reads serve later scrapes (default SCRAPE_CACHE_MS). */
  cacheMs?: number;
  now?: () => number;
}

export const METRIC_CHANNELS = ['terminal', 'monitor', 'notifications'] as const;

/**
 * Scrapes within this long of one another share one round of database reads, so many scrapers
 * (or a scrape storm) cost the database one groupBy per table every few seconds at most.
 */
export const SCRAPE_CACHE_MS = 5_000;
/** A database read at scrape time that takes longer is dropped: its series are left out. */
export const SCRAPE_QUERY_TIMEOUT_MS = 2_000;

const DEVICE_OUTCOMES = [
  'success',
  'failed',
  'cancelled',
  'skipped',
] as const satisfies readonly TaskDeviceOutcome[];
const SIGN_IN_FAILURES = ['invalid', 'disabled'] as const;
export type SignInRefusal = (typeof SIGN_IN_FAILURES)[number] | 'throttled';

/** A device's run: a few seconds usually, up to a task's timeout for a slow device. */
const DEVICE_RUN_BUCKETS_S = [0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];
const API_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const EVENT_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

interface ScrapeReads {
  tasks: Map<string, number> | null;
  devices: Map<string, number> | null;
  readiness: Pick<Readiness, 'database' | 'redis'>;
}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);
}

/** Rows counted by status; null when the read failed (its series are left out rather than zeroed). */
async function countByStatus(
  read: () => Promise<(readonly [string, number])[]>,
): Promise<Map<string, number> | null> {
  try {
    return new Map(await within(read(), SCRAPE_QUERY_TIMEOUT_MS));
  } catch {
    return null;
  }
}

/**
 * The portal's Prometheus registry (one per runtime): process metrics, gauges read at scrape time,
 * and counters fed by the runtime's parts. Every series carries `node`.
 *
 * Events are counted where they are published (`observe`), not where they are received: in a
 * cluster every node receives every event, but a device transition, a notification or a device's
 * result is published once, by the node that stored it, so summing over nodes never double counts.
 */
export class PortalMetrics extends Registry {
  private reads: { at: number; value: Promise<ScrapeReads> } | null = null;
  private readonly deviceRuns: Histogram<'outcome'>;
  private readonly devicesFinished: Counter<'outcome'>;
  private readonly deviceTransitions: Counter<'to'>;
  private readonly notificationsCreated: Counter;
  private readonly notificationsPushedTotal: Counter;
  private readonly signInFailures: Counter<'reason'>;
  private readonly signInThrottled: Counter;
  private readonly apiRequests: Counter<'route' | 'method' | 'status'>;
  private readonly apiDuration: Histogram<'route' | 'method'>;
  private readonly eventDelivery: Histogram<'topic'>;

  constructor(private readonly sources: MetricsSources) {
    super();
    this.setDefaultLabels({ node: sources.node });
    collectDefaultMetrics({ register: this, prefix: 'switchboard_' });
    const registers = [this];
    const scrape = () => this.scrapeReads();

    new Gauge({
      name: 'switchboard_websocket_connections',
      help: 'Open WebSocket connections on this node, by channel',
      labelNames: ['channel'],
      registers,
      collect() {
        this.reset();
        const counts = sources.connectionsByChannel();
        for (const channel of METRIC_CHANNELS) this.set({ channel }, counts[channel] ?? 0);
      },
    });
    new Gauge({
      name: 'switchboard_terminal_sessions',
      help: 'Open terminal (SSH shell) sessions on this node, attached or waiting to be resumed',
      registers,
      collect() {
        this.set(sources.terminalSessions());
      },
    });

    new Gauge({
      name: 'switchboard_tasks',
      help: 'Tasks in the database by status (cluster-wide: every node reports the same counts)',
      labelNames: ['status'],
      registers,
      async collect() {
        const { tasks } = await scrape();
        this.reset();
        if (tasks)
          for (const status of statusesOf(TASK_STATUSES, tasks)) this.set({ status }, tasks.get(status) ?? 0);
      },
    });
    new Gauge({
      name: 'switchboard_task_queue_depth',
      help: 'Tasks in the task queue: queued (waiting for a slot) and running on this node',
      labelNames: ['state'],
      registers,
      collect() {
        const { queued, running } = sources.queueStats();
        this.set({ state: 'queued' }, queued);
        this.set({ state: 'running' }, running);
      },
    });
    this.deviceRuns = new Histogram({
      name: 'switchboard_task_device_duration_seconds',
      help: 'How long one device of a task ran on this node, from its start to its outcome, by outcome (devices that ended before a login are not observed)',
      labelNames: ['outcome'],
      buckets: DEVICE_RUN_BUCKETS_S,
      registers,
    });
    this.devicesFinished = new Counter({
      name: 'switchboard_task_devices_finished_total',
      help: 'Task devices that reached an outcome on this node, by outcome',
      labelNames: ['outcome'],
      registers,
    });

    new Gauge({
      name: 'switchboard_devices',
      help: 'Devices in the inventory by reachability status (cluster-wide: every node reports the same counts)',
      labelNames: ['status'],
      registers,
      async collect() {
        const { devices } = await scrape();
        this.reset();
        if (devices)
          for (const status of statusesOf(DEVICE_STATUSES, devices))
            this.set({ status }, devices.get(status) ?? 0);
      },
    });
    this.deviceTransitions = new Counter({
      name: 'switchboard_device_status_transitions_total',
      help: 'Device status changes stored and published by this node, by the new status (each change counts once in a cluster)',
      labelNames: ['to'],
      registers,
    });
    this.notificationsCreated = new Counter({
      name: 'switchboard_notifications_created_total',
      help: 'Notification feed entries stored by this node (one per user notified; each counts once in a cluster)',
      registers,
    });

    this.notificationsPushedTotal = new Counter({
      name: 'switchboard_notifications_pushed_total',
      help: 'Notification frames this node sent to open sockets (live, and replayed to a reconnecting or resynced browser)',
      registers,
    });

    this.signInFailures = new Counter({
      name: 'switchboard_sign_in_failures_total',
      help: 'Password sign-ins refused on this node: wrong username or password (invalid), or a disabled account',
      labelNames: ['reason'],
      registers,
    });
    this.signInThrottled = new Counter({
      name: 'switchboard_sign_in_throttled_total',
      help: 'Password sign-ins refused on this node without a password check, because of earlier failures (back-off)',
      registers,
    });

    this.apiRequests = new Counter({
      name: 'switchboard_api_requests_total',
      help: 'REST API (/api/v1) requests answered by this node, by route template, method and status code',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.apiDuration = new Histogram({
      name: 'switchboard_api_request_duration_seconds',
      help: 'REST API (/api/v1) time to a response (headers; a streamed body may take longer), by route template and method',
      labelNames: ['route', 'method'],
      buckets: API_BUCKETS_S,
      registers,
    });

    new Gauge({
      name: 'switchboard_database_up',
      help: 'Whether the database answered SELECT 1 from this node (1) or not (0) within the readiness timeout',
      registers,
      async collect() {
        this.set((await scrape()).readiness.database.up ? 1 : 0);
      },
    });
    new Gauge({
      name: 'switchboard_database_latency_seconds',
      help: 'Round trip of SELECT 1 from this node to the database, to the millisecond (NaN while it does not answer)',
      registers,
      async collect() {
        const { latencyMs } = (await scrape()).readiness.database;
        this.set(latencyMs === undefined ? NaN : latencyMs / 1000);
      },
    });
    if (sources.redis) {
      new Gauge({
        name: 'switchboard_redis_up',
        help: 'Cluster mode: whether Redis answered PING from this node (1) or not (0)',
        registers,
        async collect() {
          this.set((await scrape()).readiness.redis?.up ? 1 : 0);
        },
      });
      new Gauge({
        name: 'switchboard_redis_latency_seconds',
        help: 'Cluster mode: round trip of PING from this node to Redis, to the millisecond (NaN while it does not answer)',
        registers,
        async collect() {
          const latencyMs = (await scrape()).readiness.redis?.latencyMs;
          this.set(latencyMs === undefined ? NaN : latencyMs / 1000);
        },
      });
    }
    this.eventDelivery = new Histogram({
      name: 'switchboard_event_delivery_seconds',
      help: 'Cluster mode: from an event’s publish (on any node) to its arrival on this node, by topic (clock skew between nodes included)',
      labelNames: ['topic'],
      buckets: EVENT_BUCKETS_S,
      registers,
    });
    // known label values start at 0, so a rate over the first increase is not lost
    for (const outcome of DEVICE_OUTCOMES) {
      this.devicesFinished.inc({ outcome }, 0);
      this.deviceRuns.zero({ outcome });
    }
    for (const to of DEVICE_STATUSES) this.deviceTransitions.inc({ to }, 0);
    for (const reason of SIGN_IN_FAILURES) this.signInFailures.inc({ reason }, 0);
  }

  /** The bus as the runtime's parts use it: publishes pass through and are counted here. */
  observe(bus: EventBus): EventBus {
    return {
      publish: <K extends Topic>(topic: K, payload: EventMap[K]) => {
        this.published(topic, payload);
        return bus.publish(topic, payload);
      },
      subscribe: <K extends Topic>(topic: K, handler: Handler<K>) => bus.subscribe(topic, handler),
      close: () => bus.close(),
    };
  }

  private published<K extends Topic>(topic: K, payload: EventMap[K]): void {
    if (topic === 'task.status.changed') {
      for (const d of (payload as EventMap['task.status.changed']).devices ?? []) {
        const outcome = DEVICE_OUTCOMES.find((o) => o === d.status);
        if (!outcome) continue;
        this.devicesFinished.inc({ outcome });
        // a device that ended before any login (skipped, failed to start) did not run: 0 ms
        if (d.durationMs) this.deviceRuns.observe({ outcome }, d.durationMs / 1000);
      }
    } else if (topic === 'device.status.changed') {
      this.deviceTransitions.inc({ to: (payload as EventMap['device.status.changed']).status });
    } else if (topic === 'notification.created') {
      this.notificationsCreated.inc();
    }
  }

  /** A password sign-in was refused (lib/auth/sign-in.ts). */
  notificationsPushed(frames: number): void {
    if (frames > 0) this.notificationsPushedTotal.inc(frames);
  }

  signInRefused(reason: SignInRefusal): void {
    if (reason === 'throttled') this.signInThrottled.inc();
    else this.signInFailures.inc({ reason });
  }

  /** A REST API request was answered (lib/api/route.ts); `route` is its template, never the raw path. */
  apiRequest(route: string, method: string, status: number, seconds: number): void {
    this.apiRequests.inc({ route, method, status: String(status) });
    this.apiDuration.observe({ route, method }, seconds);
  }

  /** The Redis bus delivered an event to this node (lib/cluster/start.ts). */
  eventDelivered(topic: Topic, latencyMs: number): void {
    // a negative latency is clock skew between nodes, not an event from the future
    this.eventDelivery.observe({ topic }, Math.max(0, latencyMs) / 1000);
  }

  private scrapeReads(): Promise<ScrapeReads> {
    const now = (this.sources.now ?? Date.now)();
    if (this.reads && now - this.reads.at < (this.sources.cacheMs ?? SCRAPE_CACHE_MS))
      return this.reads.value;
    const { db } = this.sources;
    const value = Promise.all([
      countByStatus(async () => {
        const rows = await db.task.groupBy({ by: ['status'], _count: { _all: true } });
        return rows.map((r) => [r.status, r._count._all] as const);
      }),
      countByStatus(async () => {
        const rows = await db.device.groupBy({ by: ['status'], _count: { _all: true } });
        return rows.map((r) => [r.status, r._count._all] as const);
      }),
      // readiness answers rather than throws; should it throw, the scrape still reports the rest
      this.sources.readiness().catch((err: unknown) => ({
        database: { up: false, error: err instanceof Error ? err.message : String(err) },
      })),
    ]).then(([tasks, devices, readiness]) => ({ tasks, devices, readiness }));
    this.reads = { at: now, value };
    return value;
  }
}

/** The known statuses (reported as 0 when absent) and any other value the database holds. */
function statusesOf(known: readonly string[], counts: Map<string, number>): string[] {
  return [...new Set([...known, ...counts.keys()])];
}

export function createMetrics(sources: MetricsSources): PortalMetrics {
  return new PortalMetrics(sources);
}
