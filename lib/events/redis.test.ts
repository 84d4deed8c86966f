import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../tests/ports';
import { startRedisProxy } from '../../tests/redis-server';
import { closeRedis, createRedisClient, createSubscriberClient, waitForRedis } from '../redis/connection';
import { status } from './contract';
import {
  decodeEnvelope,
  encodeEnvelope,
  EventBusUnavailableError,
  RedisEventBus,
  type RedisEventBusOptions,
} from './redis';

/** The machine's Redis, under a prefix of this file's own (never flushed, nothing else touched). */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `sb-test-${randomUUID().slice(0, 8)}:`;
const channel = (topic: string, p = prefix) => `${p}events:${topic}`;

let raw: Redis;
const buses: RedisEventBus[] = [];

async function node(nodeId: string, opts: Partial<RedisEventBusOptions> = {}): Promise<RedisEventBus> {
  const bus = new RedisEventBus({
    url: REDIS_URL,
    prefix,
    nodeId: `${nodeId}-${randomUUID().slice(0, 6)}`,
    ...opts,
  });
  buses.push(bus);
  await bus.ready();
  return bus;
}

/** `sub` (channels subscribed) of the connection named `name`, from CLIENT LIST. */
async function subscriptionsOf(name: string): Promise<number | undefined> {
  const list = (await raw.client('LIST')) as string;
  const line = list.split('\n').find((l) => l.includes(` name=${name} `));
  const sub = line?.match(/ sub=(\d+)/)?.[1];
  return sub === undefined ? undefined : Number(sub);
}

beforeAll(async () => {
  raw = createRedisClient({ url: REDIS_URL, prefix, nodeId: 'redis-test' }, { role: 'raw' });
  await waitForRedis(raw, 5_000);
});
afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
});
afterAll(async () => {
  await closeRedis(raw);
});

describe('event envelope', () => {
  it('round-trips and refuses what is not an envelope', () => {
    const decoded = decodeEnvelope(encodeEnvelope('node-a', { deviceId: 'd1' }, 1234));
    expect(decoded).toEqual({
      ok: true,
      envelope: { v: 1, origin: 'node-a', at: 1234, payload: { deviceId: 'd1' } },
    });
    const reasons = [
      'not json',
      '[]',
      'null',
      '"text"',
      '{"v":2,"origin":"a","at":1,"payload":{}}',
      '{"v":1,"at":1,"payload":{}}',
      '{"v":1,"origin":"a","at":"soon","payload":{}}',
      '{"v":1,"origin":"a","at":1,"payload":null}',
      '{"v":1,"origin":"a","at":1,"payload":[1]}',
    ].map((m) => {
      const d = decodeEnvelope(m);
      return d.ok ? 'accepted' : d.reason;
    });
    expect(reasons).toEqual([
      'not JSON',
      'not a JSON object',
      'not a JSON object',
      'not a JSON object',
      'envelope version 2 unknown',
      'origin missing',
      'publish time missing',
      'payload is not an object',
      'payload is not an object',
    ]);
  });
});

describe('redis event bus', () => {
  it('two nodes publishing at once see the same order, each node its own publishes in call order', async () => {
    const a = await node('a');
    const b = await node('b');
    const onA: string[] = [];
    const onB: string[] = [];
    a.subscribe('device.status.changed', (e) => void onA.push(e.deviceId));
    b.subscribe('device.status.changed', (e) => void onB.push(e.deviceId));
    await Promise.all([a.subscriptionsSettled(), b.subscriptionsSettled()]);
    const fromA = Array.from({ length: 50 }, (_, i) => `a${i}`);
    const fromB = Array.from({ length: 50 }, (_, i) => `b${i}`);
    await Promise.all([
      ...fromA.map((id) => a.publish('device.status.changed', status(id))),
      ...fromB.map((id) => b.publish('device.status.changed', status(id))),
    ]);
    await vi.waitFor(() => expect(onA).toHaveLength(100), { timeout: 5_000 });
    await vi.waitFor(() => expect(onB).toHaveLength(100), { timeout: 5_000 });
    expect(onB).toEqual(onA);
    expect(onA.filter((id) => id.startsWith('a'))).toEqual(fromA);
    expect(onA.filter((id) => id.startsWith('b'))).toEqual(fromB);
  });

  it('puts the origin node and publish time on the wire; the publishing node receives through Redis', async () => {
    const delivered = vi.fn();
    const a = await node('a', { onDelivered: delivered });
    const seen: string[] = [];
    const tap = createSubscriberClient({ url: REDIS_URL, prefix, nodeId: 'tap' }, { role: 'tap' });
    try {
      tap.on('message', (_ch: string, m: string) => void seen.push(m));
      await tap.subscribe(channel('notification.created'));
      const got: string[] = [];
      a.subscribe('notification.created', (e) => void got.push(e.id));
      await a.subscriptionsSettled();
      const before = Date.now();
      await a.publish('notification.created', { userId: 'u1', seq: 7, id: 'n7' });
      await vi.waitFor(() => expect(got).toEqual(['n7']), { timeout: 5_000 });
      await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 5_000 });
      const wire = JSON.parse(seen[0]);
      expect(wire).toMatchObject({ v: 1, payload: { userId: 'u1', seq: 7, id: 'n7' } });
      expect(wire.origin).toMatch(/^a-/);
      expect(wire.at).toBeGreaterThanOrEqual(before);
      // delivery to a's own subscriber is counted like any other: it came back from Redis
      expect(delivered).toHaveBeenCalledTimes(1);
      expect(delivered.mock.calls[0][0]).toBe('notification.created');
    } finally {
      await closeRedis(tap);
    }
  });

  it('reports publish-to-delivery latency once per event on every node', async () => {
    const onA = vi.fn();
    const onB = vi.fn();
    const a = await node('a', { onDelivered: onA });
    const b = await node('b', { onDelivered: onB });
    a.subscribe('device.status.changed', () => {});
    b.subscribe('device.status.changed', () => {});
    b.subscribe('device.status.changed', () => {});
    await Promise.all([a.subscriptionsSettled(), b.subscriptionsSettled()]);
    for (const id of ['d1', 'd2', 'd3']) await a.publish('device.status.changed', status(id));
    await vi.waitFor(() => expect(onA).toHaveBeenCalledTimes(3), { timeout: 5_000 });
    await vi.waitFor(() => expect(onB).toHaveBeenCalledTimes(3), { timeout: 5_000 });
    for (const [topic, ms] of [...onA.mock.calls, ...onB.mock.calls]) {
      expect(topic).toBe('device.status.changed');
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(5_000);
    }
  });

  it('SUBSCRIBEs a topic once however many subscribers it has, and UNSUBSCRIBEs with the last', async () => {
    const a = await node('a');
    const name = `switchboard:${(a as unknown as { opts: { nodeId: string } }).opts.nodeId}:events-sub`;
    // the bus' own channel for loss announcements is always subscribed
    expect(await subscriptionsOf(name)).toBe(1);
    const offs = [1, 2, 3].map(() => a.subscribe('device.status.changed', () => {}));
    const offTask = a.subscribe('task.status.changed', () => {});
    await a.subscriptionsSettled();
    expect(await subscriptionsOf(name)).toBe(3);
    expect(Number((await raw.pubsub('NUMSUB', channel('device.status.changed')))[1])).toBe(1);
    offs[0]();
    offs[1]();
    await a.subscriptionsSettled();
    expect(await subscriptionsOf(name)).toBe(3);
    offs[2]();
    offTask();
    await a.subscriptionsSettled();
    expect(await subscriptionsOf(name)).toBe(1);
  });

  it('a publish right after a subscribe on the same node waits for Redis to confirm the subscription', async () => {
    // SUBSCRIBEs reach Redis 300 ms late: without the wait, the PUBLISH would overtake them
    const proxy = await startRedisProxy(
      { port: Number(new URL(REDIS_URL).port || 6379), host: new URL(REDIS_URL).hostname },
      { delayMs: 300, when: (chunk) => /subscribe/i.test(chunk.toString('latin1')) },
    );
    try {
      const a = await node('a', { url: proxy.url });
      const got: string[] = [];
      a.subscribe('device.status.changed', (e) => void got.push(e.deviceId));
      const started = performance.now();
      await a.publish('device.status.changed', status('d1'));
      expect(performance.now() - started).toBeGreaterThanOrEqual(250);
      await vi.waitFor(() => expect(got).toEqual(['d1']), { timeout: 5_000 });
    } finally {
      await proxy.close();
    }
  });

  it('names its connections after the node', async () => {
    const a = await node('named');
    const nodeId = (a as unknown as { opts: { nodeId: string } }).opts.nodeId;
    const list = (await raw.client('LIST')) as string;
    expect(list).toContain(` name=switchboard:${nodeId}:events-pub `);
    expect(list).toContain(` name=switchboard:${nodeId}:events-sub `);
  });

  it('drops malformed messages with a hook call and keeps delivering', async () => {
    const malformed = vi.fn();
    const subscriberError = vi.fn();
    const a = await node('a', { onMalformed: malformed, onSubscriberError: subscriberError });
    const got: unknown[] = [];
    a.subscribe('device.status.changed', (e) => void got.push(e));
    await a.subscriptionsSettled();
    const junk = [
      'not json at all',
      '{"v":1,"origin":"x"',
      '[1,2,3]',
      '{"v":1,"origin":"x","at":"yesterday","payload":{}}',
      '{"v":1,"origin":"x","at":1,"payload":null}',
      '{"deviceId":"d-raw"}',
    ];
    for (const m of junk) await raw.publish(channel('device.status.changed'), m);
    await raw.publish(`${prefix}bus:events-lost`, '{"v":1,"origin":"x","at":1,"payload":{}}');
    await a.publish('device.status.changed', status('d-good'));
    await vi.waitFor(() => expect(got).toHaveLength(1), { timeout: 5_000 });
    expect(got).toEqual([status('d-good')]);
    expect(malformed).toHaveBeenCalledTimes(junk.length + 1);
    expect(malformed.mock.calls.map(([ch]) => ch)).toEqual([
      ...junk.map(() => channel('device.status.changed')),
      `${prefix}bus:events-lost`,
    ]);
    expect(malformed.mock.calls.map(([, reason]) => reason)).toEqual([
      'not JSON',
      'not JSON',
      'not a JSON object',
      'publish time missing',
      'payload is not an object',
      'envelope version undefined unknown',
      'lost count missing',
    ]);
    expect(subscriberError).not.toHaveBeenCalled();
  });

  it('a throwing hook does not stop delivery', async () => {
    const a = await node('a', {
      onDelivered: () => {
        throw new Error('metrics broke');
      },
    });
    const got: string[] = [];
    a.subscribe('device.status.changed', (e) => void got.push(e.deviceId));
    await a.subscriptionsSettled();
    await a.publish('device.status.changed', status('d1'));
    await a.publish('device.status.changed', status('d2'));
    await vi.waitFor(() => expect(got).toEqual(['d1', 'd2']), { timeout: 5_000 });
  });

  it('a bus under another prefix sees nothing of this one', async () => {
    const a = await node('a');
    const otherPrefix = `sb-test-${randomUUID().slice(0, 8)}:`;
    const other = await node('other', { prefix: otherPrefix });
    const mine: string[] = [];
    const theirs: string[] = [];
    a.subscribe('device.status.changed', (e) => void mine.push(e.deviceId));
    other.subscribe('device.status.changed', (e) => void theirs.push(e.deviceId));
    await Promise.all([a.subscriptionsSettled(), other.subscriptionsSettled()]);
    await a.publish('device.status.changed', status('mine'));
    // published after a's event: once it arrives, a's event would have arrived before it
    await other.publish('device.status.changed', status('theirs'));
    await vi.waitFor(() => expect(theirs).toEqual(['theirs']), { timeout: 5_000 });
    await vi.waitFor(() => expect(mine).toEqual(['mine']), { timeout: 5_000 });
    expect(Number((await raw.pubsub('NUMSUB', channel('device.status.changed', otherPrefix)))[1])).toBe(1);
  });

  it('answers a ping with its latency', async () => {
    const a = await node('a');
    const ping = await a.ping();
    expect(ping.ok).toBe(true);
    if (ping.ok) expect(ping.latencyMs).toBeGreaterThanOrEqual(0);
    expect(a.connected).toBe(true);
  });

  it('with Redis unreachable: ready() rejects in time, publish fails fast, close returns', async () => {
    const port = await freePort(); // nothing listens there
    const bus = new RedisEventBus({
      url: `redis://:hunter2-secret@127.0.0.1:${port}`,
      prefix,
      nodeId: 'nowhere',
      retryMaxDelayMs: 100,
    });
    buses.push(bus);
    const readyFailure = await bus.ready(500).catch((err: unknown) => err);
    expect(readyFailure).toBeInstanceOf(EventBusUnavailableError);
    expect((readyFailure as Error).message).toContain(`127.0.0.1:${port}`);
    expect((readyFailure as Error).message).toMatch(/ECONNREFUSED/);
    expect((readyFailure as Error).message).not.toContain('hunter2');
    const started = performance.now();
    const err = await bus.publish('device.status.changed', status('d1')).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(200);
    expect(err).toBeInstanceOf(EventBusUnavailableError);
    expect((err as EventBusUnavailableError).code).toBe('EVENT_BUS_UNAVAILABLE');
    expect((err as Error).message).toMatch(/device\.status\.changed not published: redis not connected/);
    expect(bus.connected).toBe(false);
    expect(await bus.ping()).toMatchObject({ ok: false });
    await bus.close();
  });

  it('a publish the instant its socket closes says Redis is not connected', async () => {
    const bus = await node('closing');
    const pub = (bus as unknown as { pub: Redis }).pub;
    // the socket is gone, and the client has not noticed yet (its status changes on the close event)
    pub.stream.destroy();
    expect(pub.status).toBe('ready');
    const err = await bus.publish('device.status.changed', status('d1')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventBusUnavailableError);
    expect((err as Error).message).toBe(
      'event bus: device.status.changed not published: redis not connected (its socket closed)',
    );
  });

  it('a publish whose socket closes before Redis answers says why from the connection', async () => {
    const bus = await node('in-flight');
    const pub = (bus as unknown as { pub: Redis }).pub;
    const sent = bus.publish('device.status.changed', status('d1')).catch((e: unknown) => e);
    pub.stream.destroy();
    const err = await sent;
    expect(err).toBeInstanceOf(EventBusUnavailableError);
    expect((err as Error).message).toMatch(
      /^event bus: device\.status\.changed not published: redis (not connected|connection lost before it answered) \(\w[\w ]*\)$/,
    );
  });
});
