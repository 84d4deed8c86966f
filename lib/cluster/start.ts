import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { PrismaClient } from '../db/generated/client';
import { RedisEventBus, type ReconnectEvent } from '../events/redis';
import type { EventBus, Topic } from '../events/types';
import {
  closeRedis,
  createRedisClient,
  createSubscriberClient,
  pingRedis,
  redisKey,
  waitForRedis,
  type RedisPing,
} from '../redis/connection';
import { BullTaskQueue } from '../tasks/bull-queue';
import { TASK_ACTIVE_STATUSES } from '../tasks/status';
import { RedisLease } from './lease';
import { RedisTaskLoad } from './load';
import { RedisRelayTransport, RedisSessionDirectory } from '../realtime/relay';
import { RedisRateLimiter } from './rate-limit';
import { RedisSlotStore } from './slots';
import { RedisNodes, secretsFingerprint } from './nodes';
import type { RuntimeCluster } from '../server/runtime';

/** How long a starting node waits for Redis before it gives up (and says where it looked). */
const REDIS_START_TIMEOUT_MS = 15_000;

export interface StartedCluster {
  cluster: RuntimeCluster;
  /** The Redis bus as the runtime's parts use it: a publish that fails is logged, never thrown. */
  bus: EventBus;
  redisBus: RedisEventBus;
  queue: BullTaskQueue;
  /** Redis round trip, for /api/ready. */
  ping(): Promise<RedisPing>;
}

/**
 * Cluster mode from the configuration (REDIS_URL set): join the node registry (refused when the
 * secrets differ from a live node's, or NODE_ID is taken), then the Redis event bus and the BullMQ
 * task queue. Everything lives under REDIS_PREFIX.
 */
export async function startCluster(
  config: Pick<
    Config,
    | 'REDIS_URL'
    | 'REDIS_PREFIX'
    | 'NODE_ID'
    | 'NODE_LEASE_MS'
    | 'TASKS_MAX_RUNNING'
    | 'SWITCHBOARD_SECRET'
    | 'NEXTAUTH_SECRET'
  >,
  deps: { db: PrismaClient; log: Logger },
): Promise<StartedCluster> {
  const { db, log } = deps;
  const url = config.REDIS_URL!;
  const prefix = config.REDIS_PREFIX;
  const settings = { url, prefix, nodeId: config.NODE_ID, log: log.child({ module: 'redis' }) };
  const leases = createRedisClient(settings, { role: 'leases', commandTimeoutMs: 2_000 });
  const queueClient = createRedisClient(settings, { role: 'tasks' });
  const workerClient = createRedisClient(settings, {
    role: 'task-worker',
    // BullMQ's worker waits in blocking reads and must ride out a Redis restart
    overrides: { maxRetriesPerRequest: null, enableOfflineQueue: true },
  });
  // terminal sockets relayed between nodes (lib/realtime/relay.ts): one publisher, one subscriber
  const relayPub = createRedisClient(settings, { role: 'relay' });
  const relaySub = createSubscriberClient(settings, { role: 'relay-subscriber' });
  const clients = [leases, queueClient, workerClient, relayPub, relaySub];
  const reconnectListeners: ((e: ReconnectEvent) => void)[] = [];
  const deliveryListeners: ((topic: Topic, latencyMs: number) => void)[] = [];
  let bus: RedisEventBus | null = null;
  try {
    await Promise.all(clients.map((c) => waitForRedis(c, REDIS_START_TIMEOUT_MS, url)));
    const nodes = await RedisNodes.join({
      redis: leases,
      prefix,
      nodeId: config.NODE_ID,
      fingerprint: secretsFingerprint(config),
      leaseMs: config.NODE_LEASE_MS,
      onLost: (err) => log.error({ err, node: config.NODE_ID }, 'node lease not renewed'),
    });
    const redisBus = new RedisEventBus({
      ...settings,
      onSubscriberError: (err, topic) => log.error({ err, topic }, 'event subscriber failed'),
      onMalformed: (channel, reason) => log.warn({ channel, reason }, 'malformed event dropped'),
      onDelivered: (topic, latencyMs) => {
        for (const listener of deliveryListeners) listener(topic, latencyMs);
      },
      onReconnect: (e) => {
        log.warn(e, 'event bus reconnected: events may have been missed');
        for (const listener of reconnectListeners) listener(e);
      },
    });
    bus = redisBus;
    await redisBus.ready(REDIS_START_TIMEOUT_MS);
    const queue = new BullTaskQueue({
      connection: queueClient,
      workerConnection: workerClient,
      prefix: redisKey(prefix, 'bull'),
      maxRunning: config.TASKS_MAX_RUNNING,
      lockMs: config.NODE_LEASE_MS,
      bus,
      priorityOf: (ownerId) =>
        db.task.count({ where: { ownerId, status: { in: [...TASK_ACTIVE_STATUSES] } } }),
      onError: (err, taskId) => log.error({ err, taskId }, 'task run failed'),
      load: new RedisTaskLoad(leases, redisKey(prefix, 'load'), config.NODE_ID, nodes),
    });
    const instance = randomUUID();
    const holder = `${config.NODE_ID}/${instance}`;
    const slots = new RedisSlotStore({
      redis: leases,
      prefix: redisKey(prefix, 'slots:'),
      holder,
      ttlMs: config.NODE_LEASE_MS,
      onError: (err, what) => log.warn({ err, what }, 'session slots: Redis unreachable'),
    });
    let rateErrors = 0;
    // Every part of the portal publishes as it did on the in-process bus, which never rejects (many
    // fire and forget). A publish lost while Redis is down is logged here; the bus announces the
    // loss when it is back, and nodes resync their browsers from the database (onReconnect).
    const safeBus: EventBus = {
      publish: (topic, payload) =>
        redisBus.publish(topic, payload).catch((err: unknown) => {
          log.warn({ err, topic }, 'event not published: Redis unreachable');
        }),
      subscribe: (topic, handler) => redisBus.subscribe(topic, handler),
      close: () => redisBus.close(),
    };
    const transport = new RedisRelayTransport(relayPub, relaySub, prefix, config.NODE_ID);
    await transport.whenReady();
    return {
      bus: safeBus,
      redisBus,
      queue,
      ping: () => pingRedis(leases),
      cluster: {
        nodes,
        ping: () => pingRedis(leases),
        onEventsMissed: (listener) => void reconnectListeners.push(listener),
        onDelivered: (listener) => void deliveryListeners.push(listener),
        lease: (role, ttlMs = config.NODE_LEASE_MS) =>
          new RedisLease(leases, redisKey(prefix, 'lease', role), holder, ttlMs),
        slots,
        relay: {
          transport,
          directory: new RedisSessionDirectory(leases, redisKey(prefix, 'terminal-sessions')),
        },
        rateLimit: (perMinute) =>
          new RedisRateLimiter(leases, redisKey(prefix, 'rate:'), perMinute, (err) => {
            // one line per 100 failures: every API request fails the same way while Redis is down
            if (rateErrors++ % 100 === 0)
              log.warn({ err, failures: rateErrors }, 'API rate limit unchecked: Redis unreachable');
          }),
        async close() {
          await slots.close();
          await Promise.all(clients.map((c) => closeRedis(c)));
        },
      },
    };
  } catch (err) {
    await bus?.close().catch(() => {});
    await Promise.all(clients.map((c) => closeRedis(c).catch(() => {})));
    throw err;
  }
}
