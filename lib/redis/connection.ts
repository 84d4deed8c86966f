import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Redis connections for cluster mode. Every key and channel the portal uses lives under one prefix
 * (`REDIS_PREFIX`), so several portals, or test runs, can share one Redis without seeing each other.
 *
 * The default connection fails fast: while Redis is unreachable a command is rejected at once
 * instead of waiting in ioredis' offline queue, so nothing piles up in memory during an outage and
 * nothing stale is replayed after it (the database stays the truth; callers resync from it).
 */

export const DEFAULT_REDIS_PREFIX = 'sb:';
/** A TCP connect (and TLS handshake) slower than this has failed; the next attempt follows. */
export const REDIS_CONNECT_TIMEOUT_MS = 5_000;
/** First reconnect delay; it doubles per failed attempt up to the cap below. */
export const REDIS_RETRY_BASE_MS = 100;
/** Longest pause between reconnect attempts: a restarted Redis is in use again within this. */
export const REDIS_RETRY_MAX_DELAY_MS = 2_000;
/** TCP keep-alive: the kernel probes an idle connection (pub/sub is idle most of the time). */
export const REDIS_TCP_KEEPALIVE_MS = 10_000;
/** How long QUIT may wait for pending replies before the socket is dropped. */
export const REDIS_QUIT_TIMEOUT_MS = 1_000;
/** How long a PING from the readiness check or the latency gauge may take. */
export const REDIS_PING_TIMEOUT_MS = 1_000;

/** Where Redis is and who this node is: the same on every connection of the node. */
export interface RedisSettings {
  /** `REDIS_URL`: redis://[user:password@]host:port[/db] or rediss:// for TLS. */
  url: string;
  /** `REDIS_PREFIX`, e.g. `sb:`; tests use `sb-test-<random>:`. */
  prefix: string;
  /** `NODE_ID`: part of every connection name, so `CLIENT LIST` shows which node holds what. */
  nodeId: string;
  connectTimeoutMs?: number;
  /** Cap of the reconnect back-off (default `REDIS_RETRY_MAX_DELAY_MS`). */
  retryMaxDelayMs?: number;
  /** Connection lost / restored / unreachable, once per outage (errors while down go to debug). */
  log?: Pick<Logger, 'warn' | 'info' | 'debug'>;
}

/**
 * Dead-peer detection for a connection that must notice a silent network failure (a pub/sub
 * connection receives nothing for minutes, so a dropped link would otherwise go unseen): PING every
 * `pingEveryMs` while ready; a PING unanswered for `deadAfterMs`, or a handshake stuck that long,
 * destroys that socket and the reconnect back-off starts.
 * Not ioredis' `socketTimeout`: in ioredis 5.11 its timer outlives the socket it was armed for and
 * destroys the next, healthy one (redis/ioredis#2147, fixed in 6.x).
 * Never on a connection that runs blocking commands (a BullMQ worker's BRPOPLPUSH waits on purpose).
 */
export interface RedisLiveness {
  pingEveryMs: number;
  deadAfterMs: number;
}

export interface RedisClientOptions {
  /** What the connection is for (`events-pub`, `leases`, …); the connection name is `switchboard:<nodeId>:<role>`. */
  role: string;
  /** A command unanswered this long is rejected with "Command timed out" (default: none). */
  commandTimeoutMs?: number;
  liveness?: RedisLiveness;
  /** Connect only on `connect()` / `waitForRedis()` (default true: the owner decides when). */
  lazyConnect?: boolean;
  /**
   * ioredis options that win over the portal's defaults. BullMQ needs `{ maxRetriesPerRequest: null }`
   * on a worker's connection (and keeps its own `prefix`, never ioredis' `keyPrefix`).
   */
  overrides?: RedisOptions;
}

/** `prefix` + parts joined by `:`: `redisKey('sb:', 'events', 'task.status.changed')` → `sb:events:task.status.changed`. */
export function redisKey(prefix: string, ...parts: string[]): string {
  return prefix + parts.join(':');
}

/** The URL without its password, for logs and error messages. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable REDIS_URL>';
  }
}

/**
 * Reconnect delay for the `attempt`-th try (1-based): exponential from `REDIS_RETRY_BASE_MS`, capped,
 * with "equal jitter" (half fixed, half random) so the nodes of a cluster do not all reconnect in
 * the same millisecond after a Redis restart.
 */
export function retryDelayMs(
  attempt: number,
  maxDelayMs = REDIS_RETRY_MAX_DELAY_MS,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, REDIS_RETRY_BASE_MS * 2 ** Math.min(Math.max(attempt - 1, 0), 20));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** CLIENT SETNAME refuses spaces and control characters. */
function connectionName(nodeId: string, role: string): string {
  return `switchboard:${nodeId}:${role}`.replace(/[^\x21-\x7e]/g, '_');
}

function baseOptions(settings: RedisSettings, opts: RedisClientOptions): RedisOptions {
  const maxDelay = settings.retryMaxDelayMs ?? REDIS_RETRY_MAX_DELAY_MS;
  return {
    connectionName: connectionName(settings.nodeId, opts.role),
    connectTimeout: settings.connectTimeoutMs ?? REDIS_CONNECT_TIMEOUT_MS,
    // never gives up: a portal node outlives a Redis outage and reconnects when it is back
    retryStrategy: (attempt) => retryDelayMs(attempt, maxDelay),
    // after a failover the old primary, now a replica, answers READONLY: reconnect to the new one
    reconnectOnError: (err) => err.message.startsWith('READONLY'),
    keepAlive: REDIS_TCP_KEEPALIVE_MS,
    lazyConnect: opts.lazyConnect ?? true,
    commandTimeout: opts.commandTimeoutMs,
  };
}

/**
 * A command connection that fails fast: a command sent while Redis is unreachable, or in flight when
 * the connection drops, is rejected at once (never queued, never replayed after a reconnect).
 * Not connected yet unless `lazyConnect: false`: call `waitForRedis(client)`.
 */
export function createRedisClient(settings: RedisSettings, opts: RedisClientOptions): Redis {
  const client = new Redis(settings.url, {
    ...baseOptions(settings, opts),
    enableOfflineQueue: false,
    // 0: on a lost connection the commands awaiting a reply are rejected there and then
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    ...opts.overrides,
  });
  return watch(client, settings, opts);
}

/**
 * The dedicated connection pub/sub needs (a subscribed connection may send nothing but
 * (UN)SUBSCRIBE and PING). After a reconnect ioredis re-SUBSCRIBEs every channel that was subscribed
 * (`autoResubscribe`); a SUBSCRIBE sent while Redis is down waits for the connection, since a
 * subscription is state, not a message that could go stale.
 */
export function createSubscriberClient(settings: RedisSettings, opts: RedisClientOptions): Redis {
  const client = new Redis(settings.url, {
    ...baseOptions(settings, opts),
    autoResubscribe: true,
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    ...opts.overrides,
  });
  return watch(client, settings, opts);
}

/** Error listener (without one ioredis prints every failed reconnect), outage log lines, liveness pings. */
function watch(client: Redis, settings: RedisSettings, opts: RedisClientOptions): Redis {
  const log = settings.log;
  const where = { redis: redactRedisUrl(settings.url), role: opts.role };
  let wasReady = false;
  let downSince: number | null = null;
  let errorLogged = false;
  client.on('error', (err: Error) => {
    if (errorLogged) return log?.debug({ ...where, err: err.message }, 'redis connection error');
    errorLogged = true;
    log?.warn(
      { ...where, err: err.message },
      wasReady ? 'redis connection error; reconnecting' : 'redis not reachable yet; retrying',
    );
  });
  client.on('close', () => {
    if (!wasReady || downSince !== null) return;
    downSince = Date.now();
    log?.warn(where, 'redis connection lost; reconnecting');
  });
  client.on('ready', () => {
    if (downSince !== null)
      log?.info({ ...where, downMs: Date.now() - downSince }, 'redis connection restored');
    wasReady = true;
    downSince = null;
    errorLogged = false;
  });

  if (opts.liveness)
    watchLiveness(client, opts.liveness, (why) =>
      log?.warn({ ...where, why }, 'redis connection dead; dropping it'),
    );
  return client;
}

function watchLiveness(
  client: Redis,
  { pingEveryMs, deadAfterMs }: RedisLiveness,
  onDead: (why: string) => void,
): void {
  let handshakeSince: number | null = null;
  let pinging = false;
  client.on('connect', () => void (handshakeSince = Date.now()));
  client.on('ready', () => void (handshakeSince = null));
  client.on('close', () => void (handshakeSince = null));
  // only ever the socket the check was made on: a newer connection is never touched
  const kill = (stream: Redis['stream'], why: string) => {
    if (!stream || stream.destroyed) return;
    onDead(why);
    stream.destroy(new Error(why));
  };
  const timer = setInterval(() => {
    if (
      client.status === 'connect' &&
      handshakeSince !== null &&
      Date.now() - handshakeSince >= deadAfterMs
    ) {
      return kill(client.stream, `redis handshake unanswered for ${deadAfterMs} ms`);
    }
    if (client.status !== 'ready' || pinging) return;
    pinging = true;
    const stream = client.stream;
    withTimeout(client.ping(), deadAfterMs, 'redis liveness PING')
      .catch(() => kill(stream, `redis did not answer PING within ${deadAfterMs} ms`))
      .finally(() => void (pinging = false));
  }, pingEveryMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  client.once('end', stop);
  stopLiveness.set(client, stop);
}

/** closeRedis stops the pings itself: a client closed between reconnect attempts emits no 'end'. */
const stopLiveness = new WeakMap<Redis, () => void>();

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Until `client` is ready (connecting it if it is lazy and idle). Rejects after `timeoutMs` with the
 * last connection error; the client keeps retrying in the background: close it if you give up.
 */
export function waitForRedis(client: Redis, timeoutMs: number, url?: string): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  if (client.status === 'end') return Promise.reject(new Error('redis connection is closed'));
  return new Promise<void>((resolve, reject) => {
    let lastError = '';
    const onError = (err: Error) => void (lastError = err.message);
    const onReady = () => finish();
    const onEnd = () => finish(new Error('redis connection was closed while connecting'));
    const timer = setTimeout(() => {
      const target = url ? ` at ${redactRedisUrl(url)}` : '';
      finish(
        new Error(`redis${target} not ready within ${timeoutMs} ms${lastError ? `: ${lastError}` : ''}`),
      );
    }, timeoutMs);
    function finish(err?: Error) {
      clearTimeout(timer);
      client.off('error', onError).off('ready', onReady).off('end', onEnd);
      if (err) reject(err);
      else resolve();
    }
    client.on('error', onError).once('ready', onReady).once('end', onEnd);
    if (client.status === 'wait') client.connect().catch(() => {});
  });
}

/** A readiness answer: a value, not an exception (a down Redis is an expected state). */
export type RedisPing = { ok: true; latencyMs: number } | { ok: false; error: string };

/**
 * Round trip of one PING, for `/api/ready` and a latency gauge. Answers at once when the connection
 * is not ready (no waiting for a reconnect); works on a subscribed connection too.
 */
export async function pingRedis(client: Redis, timeoutMs = REDIS_PING_TIMEOUT_MS): Promise<RedisPing> {
  if (client.status !== 'ready') return { ok: false, error: `redis not connected (${client.status})` };
  const started = performance.now();
  try {
    await withTimeout(client.ping(), timeoutMs, 'redis PING');
    return { ok: true, latencyMs: performance.now() - started };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * QUIT when connected (pending replies still arrive), otherwise drop the socket and stop
 * reconnecting. Resolves once the socket is closed; never waits longer than `timeoutMs` for QUIT.
 */
export async function closeRedis(client: Redis, timeoutMs = REDIS_QUIT_TIMEOUT_MS): Promise<void> {
  stopLiveness.get(client)?.();
  // between attempts there is no socket: disconnect() only cancels the next attempt, and ioredis
  // emits no further 'end' to wait for
  if (client.status === 'end' || client.status === 'reconnecting' || client.status === 'close') {
    client.disconnect();
    return;
  }
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  if (client.status === 'ready') {
    try {
      await withTimeout(client.quit(), timeoutMs, 'redis QUIT');
    } catch {
      client.disconnect();
    }
  } else {
    client.disconnect();
  }
  // a half-open socket is destroyed by ioredis after its disconnectTimeout (2 s)
  await withTimeout(ended, timeoutMs + 2_500, 'redis close').catch(() => {});
}
