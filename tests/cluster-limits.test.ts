import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RedisRateLimiter } from '../lib/cluster/rate-limit';
import { RedisSlotStore } from '../lib/cluster/slots';
import { DeviceSessionLimiter } from '../lib/devices/limiter';
import { closeRedis, createRedisClient, waitForRedis } from '../lib/redis/connection';
import { startRedisServer, type PrivateRedis } from './redis-server';

/**
 * The caps a cluster shares in Redis (device sessions, a user's terminals and sockets, API rate
 * limits): each "node" here is its own Redis connection and store, as on separate processes. A
 * private redis-server, so that a test may restart it.
 */

const WAIT = { timeout: 10_000, interval: 20 };
let redis: PrivateRedis;
const closeAfter: Array<() => Promise<void>> = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterEach(async () => {
  redis.thaw();
  await Promise.all(closeAfter.splice(0).map((close) => close()));
});
afterAll(async () => {
  await redis?.stop();
});

async function client(name: string): Promise<Redis> {
  const c = createRedisClient(
    { url: redis.url, prefix: 'unused:', nodeId: name, retryMaxDelayMs: 100 },
    { role: 'test', commandTimeoutMs: 500 },
  );
  closeAfter.push(() => closeRedis(c));
  await waitForRedis(c, 5_000);
  return c;
}

/** A node's slot store: its own connection, holder and renewal. */
async function node(name: string, prefix: string, ttlMs = 3_000) {
  const c = await client(name);
  const errors: string[] = [];
  const store = new RedisSlotStore({
    redis: c,
    prefix,
    holder: `${name}/${randomUUID()}`,
    ttlMs,
    onError: (_err, what) => void errors.push(what),
  });
  closeAfter.unshift(() => store.close());
  return { store, redis: c, errors };
}

const newPrefix = () => `sb-test-${randomUUID().slice(0, 8)}:slots:`;

describe('session slots shared in Redis', () => {
  it('two nodes asking at once for the last slots of a device get exactly the cap between them', async () => {
    const prefix = newPrefix();
    const a = await node('a', prefix);
    const b = await node('b', prefix);
    const asks = Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).store.take('device:d1', 5));
    const tokens = await Promise.all(asks);
    expect(tokens.filter((t) => t !== null)).toHaveLength(5);
    expect(await a.store.count('device:d1')).toBe(5);
    // another key is another cap
    expect(await b.store.take('device:d2', 5)).not.toBeNull();
  });

  it('a released slot is free for the other node at once; releasing twice frees one', async () => {
    const prefix = newPrefix();
    const a = await node('a', prefix);
    const b = await node('b', prefix);
    const t1 = await a.store.take('device:d1', 2);
    const t2 = await a.store.take('device:d1', 2);
    expect(t1 && t2).toBeTruthy();
    expect(await b.store.take('device:d1', 2)).toBeNull();
    await a.store.release('device:d1', t1!);
    await a.store.release('device:d1', t1!);
    expect(await a.store.count('device:d1')).toBe(1);
    expect(await b.store.take('device:d1', 2)).not.toBeNull();
    expect(await b.store.take('device:d1', 2)).toBeNull();
  });

  it('slots are renewed while held, and a node that stops renewing (dead, cut off) loses them within the lease', async () => {
    const prefix = newPrefix();
    const ttlMs = 600;
    const a = await node('a', prefix, ttlMs);
    const b = await node('b', prefix, ttlMs);
    const renewals = vi.spyOn(a.store, 'renew');
    expect(await a.store.take('device:d1', 1)).not.toBeNull();
    const held = Date.now();
    // held past several leases: renewal keeps it
    await vi.waitFor(() => expect(renewals.mock.calls.length).toBeGreaterThanOrEqual(8), WAIT);
    expect(Date.now() - held).toBeGreaterThan(ttlMs * 2);
    expect(await b.store.take('device:d1', 1)).toBeNull();
    // node a is cut off from Redis: it cannot renew, so its slot runs out
    a.redis.disconnect();
    const cut = Date.now();
    await vi.waitFor(async () => expect(await b.store.take('device:d1', 1)).not.toBeNull(), WAIT);
    expect(Date.now() - cut).toBeLessThan(ttlMs * 2 + 500);
  });

  it('Redis restarted empty: the slots still held are written back by the next renewal', async () => {
    const prefix = newPrefix();
    const a = await node('a', prefix, 900);
    const b = await node('b', prefix, 900);
    expect(await a.store.take('device:d1', 1)).not.toBeNull();
    await redis.restart();
    await vi.waitFor(async () => expect(await b.store.count('device:d1')).toBe(1), WAIT);
    expect(await b.store.take('device:d1', 1)).toBeNull();
  });

  it('a frozen Redis fails the take fast (the caller decides), and it works again once Redis answers', async () => {
    const prefix = newPrefix();
    const a = await node('a', prefix);
    redis.freeze();
    const asked = Date.now();
    await expect(a.store.take('device:d1', 1)).rejects.toThrow();
    expect(Date.now() - asked).toBeLessThan(3_000);
    redis.thaw();
    await vi.waitFor(async () => expect(await a.store.take('device:d1', 1)).not.toBeNull(), WAIT);
  });
});

describe('a task waiting for a device slot that another node holds', () => {
  it('gets it soon after the other node releases it, and gives up when cancelled', async () => {
    const prefix = newPrefix();
    const a = new DeviceSessionLimiter(1, (await node('a', prefix)).store, 50);
    const b = new DeviceSessionLimiter(1, (await node('b', prefix)).store, 50);
    expect(await a.tryAcquire('d1')).toBe(true);
    let granted = false;
    const waiting = b.acquire('d1').then(() => (granted = true));
    const cancel = new AbortController();
    const cancelled = b.acquire('d1', cancel.signal);
    cancel.abort(new Error('task cancelled'));
    await expect(cancelled).rejects.toThrow('task cancelled');
    expect(granted).toBe(false);
    a.release('d1');
    await waiting;
    expect(b.count('d1')).toBe(1);
    expect(await b.countAll('d1')).toBe(1);
  });

  it('keeps waiting through a Redis outage and gets the slot once Redis is back', async () => {
    const prefix = newPrefix();
    const { store } = await node('a', prefix, 900);
    const asks = vi.spyOn(store, 'take');
    const a = new DeviceSessionLimiter(1, store, 50);
    redis.freeze();
    let granted = false;
    const waiting = a.acquire('d1').then(() => (granted = true));
    // several asks, each failed (timed out): it went on asking instead of giving up
    await vi.waitFor(() => expect(asks.mock.calls.length).toBeGreaterThanOrEqual(3), WAIT);
    await expect(asks.mock.results[0]!.value).rejects.toThrow();
    expect(granted).toBe(false);
    redis.thaw();
    await waiting;
    expect(a.count('d1')).toBe(1);
  });
});

describe('the API rate limit shared in Redis', () => {
  it('two nodes draw from one bucket per token, and the refusal says when to come back', async () => {
    const prefix = `sb-test-${randomUUID().slice(0, 8)}:rate:`;
    const errors: unknown[] = [];
    const a = new RedisRateLimiter(await client('a'), prefix, 6, (e) => errors.push(e));
    const b = new RedisRateLimiter(await client('b'), prefix, 6, (e) => errors.push(e));
    const verdicts = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).take('token-1')));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(6);
    const refused = verdicts.find((v) => !v.allowed)!;
    // 6 a minute: one more in about 10 s
    expect(refused.retryAfterS).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterS).toBeLessThanOrEqual(10);
    // another token has its own bucket
    expect((await a.take('token-2')).allowed).toBe(true);
    expect(errors).toEqual([]);
  });

  it('with Redis unreachable requests go through and the failure is reported', async () => {
    const prefix = `sb-test-${randomUUID().slice(0, 8)}:rate:`;
    const errors: unknown[] = [];
    const a = new RedisRateLimiter(await client('a'), prefix, 1, (e) => errors.push(e));
    redis.freeze();
    expect(await a.take('token-1')).toEqual({ allowed: true, retryAfterS: 0 });
    expect(errors).toHaveLength(1);
  });
});
