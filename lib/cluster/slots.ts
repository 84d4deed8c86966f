import type { Redis } from 'ioredis';
import type { SlotStore } from '../limits/slots';

/**
 * Slots shared by every node, in Redis: one sorted set per key, a member per taken slot, scored with
 * the time it expires (Redis's own clock: `TIME` inside the scripts, so skewed node clocks do not
 * matter). The node that took a slot renews it every third of `ttlMs` while it holds it; a node that
 * dies stops renewing, and its slots are free again within `ttlMs`. Taking a slot drops the expired
 * members and counts the rest in one script, so two nodes can never both take the last one.
 *
 * A renewal writes the member back even when it had expired or Redis lost it (restarted without
 * persistence): the session it stands for is still open, so the count stays true to what is in use.
 */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

const TAKE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return 1`;

const RENEW = `${NOW}
local ttl = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + ttl, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ttl * 2)
return 1`;

const COUNT = `${NOW}
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')`;

export interface RedisSlotStoreOptions {
  redis: Redis;
  /** Key prefix (REDIS_PREFIX + `slots:`). */
  prefix: string;
  /** Unique per node process (NODE_ID and an instance id): slot members start with it. */
  holder: string;
  /** How long a slot outlives its last renewal (NODE_LEASE_MS). */
  ttlMs: number;
  onError?: (err: unknown, what: string) => void;
}

export class RedisSlotStore implements SlotStore {
  readonly shared = true;
  /** Slots this node holds, by key: renewed until released. */
  private readonly held = new Map<string, Set<string>>();
  private seq = 0;
  private readonly timer: NodeJS.Timeout;
  private renewing: Promise<void> | null = null;

  constructor(private readonly opts: RedisSlotStoreOptions) {
    this.timer = setInterval(
      () => {
        this.renewing ??= this.renew().finally(() => (this.renewing = null));
      },
      Math.max(100, Math.floor(opts.ttlMs / 3)),
    );
    this.timer.unref();
  }

  private key(key: string): string {
    return `${this.opts.prefix}${key}`;
  }

  async take(key: string, cap: number): Promise<string | null> {
    const token = `${this.opts.holder}#${++this.seq}`;
    const ok = await this.opts.redis.eval(
      TAKE,
      1,
      this.key(key),
      String(cap),
      String(this.opts.ttlMs),
      token,
    );
    if (ok !== 1) return null;
    const set = this.held.get(key) ?? new Set<string>();
    set.add(token);
    this.held.set(key, set);
    return token;
  }

  async release(key: string, token: string): Promise<void> {
    const set = this.held.get(key);
    if (!set?.delete(token)) return;
    if (set.size === 0) this.held.delete(key);
    try {
      await this.opts.redis.zrem(this.key(key), token);
    } catch (err) {
      this.opts.onError?.(err, `release ${key}`); // it expires within ttlMs
    }
  }

  async count(key: string): Promise<number> {
    return Number(await this.opts.redis.eval(COUNT, 1, this.key(key)));
  }

  /** Renew every slot this node holds (one script per key, in one pipeline); exposed for tests. */
  async renew(): Promise<void> {
    if (this.held.size === 0) return;
    const pipeline = this.opts.redis.pipeline();
    for (const [key, tokens] of this.held)
      pipeline.eval(RENEW, 1, this.key(key), String(this.opts.ttlMs), ...tokens);
    try {
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([err]) => err);
      if (failed) this.opts.onError?.(failed[0], 'renew');
    } catch (err) {
      this.opts.onError?.(err, 'renew');
    }
  }

  /** Stop renewing and give back what this node still holds. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
    const pipeline = this.opts.redis.pipeline();
    for (const [key, tokens] of this.held) pipeline.zrem(this.key(key), ...tokens);
    this.held.clear();
    await pipeline.exec().catch((err: unknown) => this.opts.onError?.(err, 'close'));
  }
}
