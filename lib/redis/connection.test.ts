import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../tests/ports';
import { startRedisProxy } from '../../tests/redis-server';
import {
  closeRedis,
  createRedisClient,
  createSubscriberClient,
  pingRedis,
  redactRedisUrl,
  redisKey,
  REDIS_RETRY_MAX_DELAY_MS,
  retryDelayMs,
  waitForRedis,
  type RedisSettings,
} from './connection';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const settings = (over: Partial<RedisSettings> = {}): RedisSettings => ({
  url: REDIS_URL,
  prefix: `sb-test-${randomUUID().slice(0, 8)}:`,
  nodeId: `conn-${randomUUID().slice(0, 6)}`,
  ...over,
});

const opened: Array<ReturnType<typeof createRedisClient>> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => closeRedis(c)));
});

describe('redis connection helpers', () => {
  it('back-off doubles from 100 ms, stays under the cap, and is jittered', () => {
    const low = () => 0;
    const high = () => 1;
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 2_000, high))).toEqual([100, 200, 400, 800, 1_600]);
    expect([1, 2, 3].map((n) => retryDelayMs(n, 2_000, low))).toEqual([50, 100, 200]);
    expect(retryDelayMs(6, 2_000, high)).toBe(2_000);
    expect(retryDelayMs(10_000, 2_000, high)).toBe(2_000);
    expect(retryDelayMs(10_000, 2_000, low)).toBe(1_000);
    for (let n = 1; n < 50; n++) expect(retryDelayMs(n)).toBeLessThanOrEqual(REDIS_RETRY_MAX_DELAY_MS);
  });

  it('keys sit under the prefix; URLs lose their password in messages', () => {
    expect(redisKey('sb:', 'events', 'task.status.changed')).toBe('sb:events:task.status.changed');
    expect(redisKey('sb-test-1:', 'lease')).toBe('sb-test-1:lease');
    expect(redactRedisUrl('redis://user:s3cret@redis.example:6380/2')).toBe(
      'redis://user:***@redis.example:6380/2',
    );
    expect(redactRedisUrl('rediss://redis.example')).toBe('rediss://redis.example');
    expect(redactRedisUrl('::bad')).toBe('<unparseable REDIS_URL>');
  });

  it('a command connection is named after node and role, pings, and closes', async () => {
    const s = settings();
    const client = createRedisClient(s, { role: 'leases' });
    opened.push(client);
    expect(client.status).toBe('wait'); // lazy: connects when the owner says so
    await waitForRedis(client, 5_000);
    expect(await client.client('GETNAME')).toBe(`switchboard:${s.nodeId}:leases`);
    const ping = await pingRedis(client);
    expect(ping.ok).toBe(true);
    await closeRedis(client);
    expect(client.status).toBe('end');
    expect(await pingRedis(client)).toEqual({ ok: false, error: 'redis not connected (end)' });
  });

  it('node ids with spaces still make a valid connection name', async () => {
    const client = createRedisClient(settings({ nodeId: 'host one:3000' }), { role: 'x' });
    opened.push(client);
    await waitForRedis(client, 5_000);
    expect(await client.client('GETNAME')).toBe('switchboard:host_one:3000:x');
  });

  it('without Redis: commands fail at once, waiting gives up in time, closing is immediate', async () => {
    const port = await freePort();
    const client = createRedisClient(settings({ url: `redis://127.0.0.1:${port}`, retryMaxDelayMs: 50 }), {
      role: 'nowhere',
    });
    opened.push(client);
    await expect(waitForRedis(client, 300, `redis://127.0.0.1:${port}`)).rejects.toThrow(
      new RegExp(`redis at redis://127.0.0.1:${port}/? not ready within 300 ms: .*ECONNREFUSED`),
    );
    const started = performance.now();
    await expect(client.get('k')).rejects.toThrow(/enableOfflineQueue/);
    expect(performance.now() - started).toBeLessThan(50);
    expect(await pingRedis(client)).toMatchObject({ ok: false });
    const closing = performance.now();
    await closeRedis(client);
    expect(performance.now() - closing).toBeLessThan(100);
  });

  it('a subscriber connection may PING while subscribed (readiness works on it too)', async () => {
    const s = settings();
    const sub = createSubscriberClient(s, { role: 'sub' });
    opened.push(sub);
    await waitForRedis(sub, 5_000);
    await sub.subscribe(redisKey(s.prefix, 'c'));
    expect((await pingRedis(sub)).ok).toBe(true);
  });

  it('liveness drops a connection whose PING goes unanswered, and only that connection', async () => {
    const target = new URL(REDIS_URL);
    let held = 0;
    // the first liveness PING is held back 2 s: its socket is cut meanwhile and a new one connects
    const link = await startRedisProxy(
      { host: target.hostname, port: Number(target.port || 6379) },
      { delayMs: 2_000, when: (chunk) => /ping/i.test(chunk.toString('latin1')) && held++ === 0 },
    );
    const deadAfterMs = 400;
    const dead = vi.fn();
    const client = createRedisClient(
      settings({ url: link.url, retryMaxDelayMs: 50, log: { warn: dead, info: () => {}, debug: () => {} } }),
      { role: 'live', liveness: { pingEveryMs: 100, deadAfterMs } },
    );
    opened.push(client);
    let closes = 0;
    client.on('close', () => void closes++);
    try {
      await waitForRedis(client, 5_000);
      await vi.waitFor(() => expect(held).toBe(1), { timeout: 5_000, interval: 10 });
      link.cut();
      link.mend();
      await vi.waitFor(() => expect(closes).toBe(1), { timeout: 5_000, interval: 10 });
      await waitForRedis(client, 5_000);
      // the held PING's deadline passes while the new connection serves: it must stay up
      // (ioredis' own socketTimeout destroys it here, redis/ioredis#2147)
      await new Promise((r) => setTimeout(r, deadAfterMs + 300));
      expect(closes).toBe(1);
      expect(client.status).toBe('ready');
      expect(await client.ping()).toBe('PONG');
      expect(dead.mock.calls.filter(([, msg]) => msg === 'redis connection dead; dropping it')).toEqual([]);
    } finally {
      await link.close();
    }
  });

  it('liveness drops a connection to a Redis that stopped answering', async () => {
    const target = new URL(REDIS_URL);
    let answering = true;
    const link = await startRedisProxy(
      { host: target.hostname, port: Number(target.port || 6379) },
      { delayMs: 60_000, when: () => !answering },
    );
    const warn = vi.fn();
    const client = createRedisClient(
      settings({ url: link.url, retryMaxDelayMs: 50, log: { warn, info: () => {}, debug: () => {} } }),
      { role: 'live', liveness: { pingEveryMs: 100, deadAfterMs: 300 } },
    );
    opened.push(client);
    try {
      await waitForRedis(client, 5_000);
      answering = false; // everything sent from now on is held: a black hole
      await vi.waitFor(() => expect(client.status).not.toBe('ready'), { timeout: 5_000, interval: 10 });
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ why: 'redis did not answer PING within 300 ms' }),
        'redis connection dead; dropping it',
      );
      answering = true;
      await waitForRedis(client, 5_000);
      expect(await client.ping()).toBe('PONG');
    } finally {
      await link.close();
    }
  });
});
