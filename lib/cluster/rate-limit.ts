import type { Redis } from 'ioredis';
import type { RateLimit, RateVerdict } from '../api/rate-limit';

/**
 * The same token bucket as `RateLimiter` (lib/api/rate-limit.ts), kept in Redis so that every node
 * draws from one bucket per API token: `perMinute` requests a minute on average, bursts up to the
 * same number. One script reads, refills and takes, on Redis's clock. A bucket left alone for a
 * minute is full again, so it expires then.
 */
const TAKE = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cap = tonumber(ARGV[1])
local rate = cap / 60000
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or cap
local at = tonumber(b[2]) or now
tokens = math.min(cap, tokens + math.max(0, now - at) * rate)
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.max(1, math.ceil((1 - tokens) / rate / 1000))
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 60000)
return {allowed, retry}`;

export class RedisRateLimiter implements RateLimit {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly perMinute: number,
    /** Redis unreachable: the request goes through (an outage must not lock every client out), and this is told. */
    private readonly onError: (err: unknown) => void,
  ) {}

  async take(key: string): Promise<RateVerdict> {
    try {
      const [allowed, retry] = (await this.redis.eval(
        TAKE,
        1,
        `${this.prefix}${key}`,
        String(this.perMinute),
      )) as [number, number];
      return { allowed: allowed === 1, retryAfterS: retry };
    } catch (err) {
      this.onError(err);
      return { allowed: true, retryAfterS: 0 };
    }
  }
}
