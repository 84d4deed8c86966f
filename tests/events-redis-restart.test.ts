import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { status } from '../lib/events/contract';
import { EventBusUnavailableError, RedisEventBus, type ReconnectEvent } from '../lib/events/redis';
import { closeRedis, createRedisClient, createSubscriberClient, waitForRedis } from '../lib/redis/connection';
import { startRedisProxy, startRedisServer, type PrivateRedis } from './redis-server';

/**
 * Redis going away under a running cluster: crashed (SIGKILL) and started again, or frozen
 * (SIGSTOP: sockets stay open, nothing answers). A private redis-server, never the shared one.
 */

const PUBLISH_TIMEOUT_MS = 500;
const WAIT = { timeout: 10_000, interval: 20 };

let redis: PrivateRedis;
const prefix = `sb-test-${randomUUID().slice(0, 8)}:`;
const closeAfter: Array<() => Promise<void>> = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterEach(async () => {
  redis.thaw();
  await Promise.all(closeAfter.splice(0).map((close) => close()));
  // a test that failed while Redis was down does not take the next ones with it
  await redis.ensureRunning();
});
afterAll(async () => {
  await redis?.stop();
});

interface Node {
  bus: RedisEventBus;
  nodeId: string;
  reconnects: ReconnectEvent[];
}

async function node(name: string, url = redis.url): Promise<Node> {
  const nodeId = `${name}-${randomUUID().slice(0, 6)}`;
  const reconnects: ReconnectEvent[] = [];
  const bus = new RedisEventBus({
    url,
    prefix,
    nodeId,
    retryMaxDelayMs: 100,
    publishTimeoutMs: PUBLISH_TIMEOUT_MS,
    livenessPingMs: 200,
    onReconnect: (e) => void reconnects.push(e),
  });
  closeAfter.push(() => bus.close());
  await bus.ready();
  return { bus, nodeId, reconnects };
}

async function checker(): Promise<Redis> {
  const client = createRedisClient(
    { url: redis.url, prefix, nodeId: 'checker', retryMaxDelayMs: 100 },
    { role: 'checker' },
  );
  closeAfter.push(() => closeRedis(client));
  await waitForRedis(client, 5_000);
  return client;
}

async function numsub(client: Redis, channel: string): Promise<number> {
  await waitForRedis(client, 5_000);
  return Number((await client.pubsub('NUMSUB', channel))[1]);
}

const reconnected = (n: Node) =>
  n.reconnects.filter(
    (e): e is Extract<ReconnectEvent, { reason: 'reconnected' }> => e.reason === 'reconnected',
  );

const channel = (topic: string) => `${prefix}events:${topic}`;

/** Both nodes receive `ids` published by `from`, in order. */
async function flows(from: Node, to: Node[], ids: string[]): Promise<void> {
  const got = to.map(() => [] as string[]);
  const offs = to.map((n, i) =>
    n.bus.subscribe('device.status.changed', (e) => {
      if (ids.includes(e.deviceId)) got[i].push(e.deviceId);
    }),
  );
  await Promise.all(to.map((n) => n.bus.subscriptionsSettled()));
  for (const id of ids) await from.bus.publish('device.status.changed', status(id));
  await vi.waitFor(() => expect(got).toEqual(to.map(() => ids)), WAIT);
  offs.forEach((off) => off());
}

describe('event bus when Redis restarts', () => {
  it('ioredis re-subscribes a subscriber connection by itself (autoResubscribe)', async () => {
    const sub = createSubscriberClient(
      { url: redis.url, prefix, nodeId: 'raw', retryMaxDelayMs: 100 },
      { role: 'raw-sub' },
    );
    closeAfter.push(() => closeRedis(sub));
    await waitForRedis(sub, 5_000);
    const got: string[] = [];
    sub.on('message', (_ch: string, m: string) => void got.push(m));
    await sub.subscribe(`${prefix}raw`);
    let readies = 0;
    sub.on('ready', () => void readies++);
    await redis.restart();
    await vi.waitFor(() => expect(readies).toBe(1), WAIT);
    // no SUBSCRIBE from us after the restart
    const check = await checker();
    await vi.waitFor(async () => expect(await numsub(check, `${prefix}raw`)).toBe(1), WAIT);
    await check.publish(`${prefix}raw`, 'after restart');
    await vi.waitFor(() => expect(got).toEqual(['after restart']), WAIT);
  });

  it('after a crash both nodes reconnect, resubscribe, report it, and carry events again', async () => {
    const a = await node('a');
    const b = await node('b');
    const c = await node('c');
    const keep = [a, b].map((n) => n.bus.subscribe('device.status.changed', () => {}));
    await flows(a, [a, b], ['before-1', 'before-2']);

    await redis.crash();
    await vi.waitFor(() => expect([a.bus.connected, b.bus.connected]).toEqual([false, false]), WAIT);
    // publishing while Redis is down fails at once, with a clear error
    const started = performance.now();
    const err = await a.bus.publish('device.status.changed', status('while-down')).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(200);
    expect(err).toBeInstanceOf(EventBusUnavailableError);
    expect((err as Error).message).toMatch(/not published: redis not connected/);
    // a topic first subscribed while down is subscribed on reconnect
    const lateTopic: string[] = [];
    b.bus.subscribe('notification.read', (e) => void lateTopic.push(e.userId));
    // closing while down does not wait for Redis
    const closing = performance.now();
    await c.bus.close();
    expect(performance.now() - closing).toBeLessThan(500);

    await redis.start();
    for (const n of [a, b]) {
      await vi.waitFor(() => expect(n.bus.connected).toBe(true), WAIT);
      await vi.waitFor(() => expect(reconnected(n)).toHaveLength(1), WAIT);
      expect(reconnected(n)[0].downMs).toBeGreaterThan(0);
      // a's announcement of its failed publish may reach a node or not (it is resyncing anyway)
      for (const e of n.reconnects.filter((r) => r.reason !== 'reconnected'))
        expect(e).toEqual({ reason: 'events-lost', origin: a.nodeId, lost: 1 });
    }
    expect(c.reconnects).toEqual([]);
    const check = await checker();
    expect(await numsub(check, channel('device.status.changed'))).toBe(2);
    expect(await numsub(check, channel('notification.read'))).toBe(1);
    expect(await numsub(check, `${prefix}bus:events-lost`)).toBe(2);

    await flows(b, [a, b], ['after-1', 'after-2', 'after-3']);
    await flows(a, [a, b], ['after-4']);
    await a.bus.publish('notification.read', { userId: 'late', unread: 0 });
    await vi.waitFor(() => expect(lateTopic).toEqual(['late']), WAIT);
    keep.forEach((off) => off());
  });

  it('a frozen Redis: publishes fail within the timeout, the dead link is dropped, and it recovers', async () => {
    const a = await node('a');
    const b = await node('b');
    await flows(a, [a, b], ['before']);

    redis.freeze();
    const started = performance.now();
    const err = await a.bus.publish('device.status.changed', status('frozen')).catch((e: unknown) => e);
    const waited = performance.now() - started;
    expect(err).toBeInstanceOf(EventBusUnavailableError);
    // it was sent and waited for (a liveness PING just before the freeze may start the clock earlier)
    // (the command's timeout, or a liveness PING sent before it timing out first and dropping the link)
    expect((err as Error).message).toMatch(
      /not published: (Command timed out|redis connection lost before it answered)/,
    );
    expect(waited).toBeGreaterThanOrEqual(PUBLISH_TIMEOUT_MS / 2);
    expect(waited).toBeLessThan(PUBLISH_TIMEOUT_MS + 1_000);
    // liveness pings go unanswered: both nodes notice without publishing anything
    await vi.waitFor(() => expect([a.bus.connected, b.bus.connected]).toEqual([false, false]), WAIT);

    redis.thaw();
    for (const n of [a, b]) {
      await vi.waitFor(() => expect(n.bus.connected).toBe(true), WAIT);
      await vi.waitFor(() => expect(reconnected(n)).toHaveLength(1), WAIT);
    }
    await flows(a, [a, b], ['thawed-1', 'thawed-2']);
    await flows(b, [a, b], ['thawed-3']);
  });

  it('a node cut off from Redis: what it failed to publish makes every other node resync', async () => {
    const link = await startRedisProxy({ port: redis.port });
    closeAfter.push(() => link.close());
    const a = await node('a', link.url);
    const b = await node('b');
    await flows(a, [a, b], ['before']);

    link.cut();
    await vi.waitFor(() => expect(a.bus.connected).toBe(false), WAIT);
    for (const id of ['cut-1', 'cut-2']) {
      const err = await a.bus.publish('device.status.changed', status(id)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EventBusUnavailableError);
    }
    expect(b.bus.connected).toBe(true);

    link.mend();
    // b never lost its connection: only a's announcement tells it that events are missing
    await vi.waitFor(
      () => expect(b.reconnects).toEqual([{ reason: 'events-lost', origin: a.nodeId, lost: 2 }]),
      WAIT,
    );
    await vi.waitFor(() => expect(reconnected(a)).toHaveLength(1), WAIT);
    await vi.waitFor(() => expect(a.bus.connected).toBe(true), WAIT);
    await flows(a, [a, b], ['mended-1']);
    await flows(b, [a, b], ['mended-2']);
    expect(b.reconnects).toHaveLength(1);
  });
});
