import type { Redis } from 'ioredis';
import {
  closeRedis,
  createRedisClient,
  createSubscriberClient,
  pingRedis,
  redactRedisUrl,
  redisKey,
  REDIS_CONNECT_TIMEOUT_MS,
  waitForRedis,
  type RedisPing,
  type RedisSettings,
} from '../redis/connection';
import type { EventBus, EventMap, Handler, Topic } from './types';

/**
 * The cluster bus: Redis pub/sub, one channel per topic (`<prefix>events:<topic>`). Every node,
 * the publishing one included, receives an event from Redis, so each topic's events arrive in the
 * same order everywhere.
 *
 * Redis pub/sub is at-most-once: what is published while a node is cut off never reaches it. The
 * database is the truth and the bus says when to reread it: `onReconnect` fires when this node may
 * have missed events, i.e. when its subscriber connection is back (and subscribed again) after a
 * loss, or when any node reports that publishes of its own failed.
 *
 * Publishing while Redis is down fails fast: `publish` rejects at once with
 * `EventBusUnavailableError` (code `EVENT_BUS_UNAVAILABLE`) instead of queueing; a publish already
 * sent rejects when its connection drops or after `publishTimeoutMs`. Nothing is replayed later, so
 * an event can never arrive after the resync that superseded it, and a publisher never hangs.
 */

/** A PUBLISH (or SUBSCRIBE) unanswered this long has failed; also the dead-connection timeout. */
export const EVENT_PUBLISH_TIMEOUT_MS = 2_000;
/** PING interval on both bus connections, so a silently dropped link is noticed within ~this + the timeout. */
export const EVENT_LIVENESS_PING_MS = 5_000;
export const EVENT_ENVELOPE_VERSION = 1;

/** What travels on a topic's channel. */
export interface EventEnvelope {
  v: typeof EVENT_ENVELOPE_VERSION;
  /** NODE_ID of the publishing node. */
  origin: string;
  /** Publish time on the publisher's clock, ms since the epoch. */
  at: number;
  payload: Record<string, unknown>;
}

export type DecodedEnvelope = { ok: true; envelope: EventEnvelope } | { ok: false; reason: string };

/** Why this node should resync its browsers from the database. */
export type ReconnectEvent =
  /** This node's subscription was down for `downMs`: whatever was published meanwhile is lost here. */
  | { reason: 'reconnected'; downMs: number }
  /** `origin` (maybe this node) could not publish `lost` events: nobody received them. */
  | { reason: 'events-lost'; origin: string; lost: number };

export interface RedisEventBusOptions extends RedisSettings {
  /** Default `EVENT_PUBLISH_TIMEOUT_MS`. */
  publishTimeoutMs?: number;
  /** Default `EVENT_LIVENESS_PING_MS`. */
  livenessPingMs?: number;
  /** A subscriber threw or rejected (as with the in-process bus; the others still get the event). */
  onSubscriberError?: (err: unknown, topic: Topic) => void;
  /** Once per event received on this node: publish-to-delivery time (clock skew between nodes included). */
  onDelivered?: (topic: Topic, latencyMs: number) => void;
  /** A message on one of the bus' channels was not a valid envelope; it was dropped. */
  onMalformed?: (channel: string, reason: string) => void;
  /** Events may have been missed on this node: resync from the database. */
  onReconnect?: (event: ReconnectEvent) => void;
}

/** Publishing failed because Redis is unreachable or did not answer in time. */
export class EventBusUnavailableError extends Error {
  readonly code = 'EVENT_BUS_UNAVAILABLE';
  override readonly name = 'EventBusUnavailableError';
}

export function encodeEnvelope(origin: string, payload: object, at: number): string {
  return JSON.stringify({ v: EVENT_ENVELOPE_VERSION, origin, at, payload });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Anything may be PUBLISHed on a channel: a bad message is a value, never an exception. */
export function decodeEnvelope(raw: string): DecodedEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!isRecord(value)) return { ok: false, reason: 'not a JSON object' };
  if (value.v !== EVENT_ENVELOPE_VERSION)
    return { ok: false, reason: `envelope version ${String(value.v)} unknown` };
  if (typeof value.origin !== 'string' || value.origin === '') return { ok: false, reason: 'origin missing' };
  if (typeof value.at !== 'number' || !Number.isFinite(value.at))
    return { ok: false, reason: 'publish time missing' };
  if (!isRecord(value.payload)) return { ok: false, reason: 'payload is not an object' };
  return { ok: true, envelope: value as unknown as EventEnvelope };
}

const noop = () => {};

function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(noop);
  return { promise, resolve, reject };
}

export class RedisEventBus implements EventBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Map<Topic, Set<Handler<Topic>>>();
  private readonly channelPrefix: string;
  /** Where a node announces publishes it could not make. */
  private readonly lossChannel: string;
  /**
   * Publishes are written in call order, each after the SUBSCRIBEs this bus sent before it are
   * confirmed (so a subscriber of this node receives what this node publishes next, as in-process).
   */
  private order: Promise<void> = Promise.resolve();
  /** Channels unsubscribed while disconnected: ioredis would subscribe them again on reconnect. */
  private readonly stale = new Set<string>();
  /** Events this node failed to publish and has not announced yet. */
  private lost = 0;
  private subscriptionsLive = false;
  private subscriptionLostAt: number | null = null;
  private readonly firstLive = deferred();
  private closed = false;

  constructor(private readonly opts: RedisEventBusOptions) {
    this.channelPrefix = redisKey(opts.prefix, 'events', '');
    this.lossChannel = redisKey(opts.prefix, 'bus', 'events-lost');
    const timeoutMs = opts.publishTimeoutMs ?? EVENT_PUBLISH_TIMEOUT_MS;
    const liveness = { pingEveryMs: opts.livenessPingMs ?? EVENT_LIVENESS_PING_MS, deadAfterMs: timeoutMs };
    const common = { commandTimeoutMs: timeoutMs, liveness, lazyConnect: false };
    this.pub = createRedisClient(opts, { role: 'events-pub', ...common });
    this.sub = createSubscriberClient(opts, { role: 'events-sub', ...common });
    this.sub.on('message', (channel: string, message: string) => this.receive(channel, message));
    this.sub.on('ready', () => void this.subscriberReady());
    this.sub.on('close', () => {
      if (this.subscriptionsLive && this.subscriptionLostAt === null) this.subscriptionLostAt = Date.now();
      this.subscriptionsLive = false;
    });
    this.pub.on('ready', () => {
      if (this.lost > 0) this.order = this.order.then(() => this.announceLoss());
    });
  }

  /**
   * Until both connections are up and the subscriptions made so far are in effect. Rejects with
   * `EventBusUnavailableError` after `timeoutMs` (the bus keeps retrying: close it to give up).
   */
  async ready(timeoutMs = this.opts.connectTimeoutMs ?? REDIS_CONNECT_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      // the connections first: their failure carries the socket's error (ECONNREFUSED, auth, …)
      await Promise.all([waitForRedis(this.pub, timeoutMs), waitForRedis(this.sub, timeoutMs)]);
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`subscriptions not confirmed within ${timeoutMs} ms`)),
          Math.max(0, deadline - Date.now()),
        );
        this.firstLive.promise.then(resolve, reject);
      });
    } catch (err) {
      throw new EventBusUnavailableError(
        `event bus: redis at ${redactRedisUrl(this.opts.url)} unavailable: ${(err as Error).message}`,
        { cause: err },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** Both connections up and every topic subscribed. */
  get connected(): boolean {
    return !this.closed && this.pub.status === 'ready' && this.subscriptionsLive;
  }

  /** Round trip to Redis on the publishing connection (for `/api/ready` and a latency gauge). */
  ping(timeoutMs?: number): Promise<RedisPing> {
    return pingRedis(this.pub, timeoutMs);
  }

  async publish<K extends Topic>(topic: K, payload: EventMap[K]): Promise<void> {
    if (this.closed) return;
    const message = encodeEnvelope(this.opts.nodeId, payload, Date.now());
    let reply: Promise<void> = Promise.resolve();
    const written = this.order.then(() => {
      reply = this.write(topic, message);
    });
    this.order = written;
    await written;
    return reply;
  }

  subscribe<K extends Topic>(topic: K, handler: Handler<K>): () => void {
    if (this.closed) return noop;
    const channel = this.channel(topic);
    let set = this.handlers.get(topic);
    if (!set) {
      this.handlers.set(topic, (set = new Set()));
      this.stale.delete(channel);
      if (this.sub.status === 'ready') this.after(this.sub.subscribe(channel));
      // otherwise the subscriber's next 'ready' subscribes every topic
    }
    const own = set;
    own.add(handler as Handler<Topic>);
    return () => {
      if (!own.delete(handler as Handler<Topic>) || own.size > 0 || this.handlers.get(topic) !== own) return;
      this.handlers.delete(topic);
      if (this.sub.status !== 'ready') return void this.stale.add(channel);
      this.after(this.sub.unsubscribe(channel).catch(() => void this.stale.add(channel)));
    };
  }

  listenerCount(topic: Topic): number {
    return this.handlers.get(topic)?.size ?? 0;
  }

  /**
   * Until every (UN)SUBSCRIBE this bus sent so far has been answered (or has failed): from then on
   * an event another node publishes reaches this node's subscribers.
   */
  async subscriptionsSettled(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.order;
      await current;
    } while (current !== this.order);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.handlers.clear();
    this.firstLive.reject(new Error('event bus closed'));
    await Promise.all([closeRedis(this.pub), closeRedis(this.sub)]);
  }

  private channel(topic: Topic): string {
    return this.channelPrefix + topic;
  }

  /** Publishes wait for `p` (a SUBSCRIBE) to be answered; its failure is the reconnect's business. */
  private after(p: Promise<unknown>): void {
    this.order = Promise.all([this.order, p.then(noop, noop)]).then(noop);
  }

  /** Why the publishing connection cannot take a command now, or null when it can. */
  private pubDown(): string | null {
    if (this.pub.status !== 'ready') return this.pub.status;
    // a socket that has just closed may not have moved the client out of `ready` yet
    const stream = this.pub.stream as { writable?: boolean } | undefined;
    return stream?.writable === false ? 'its socket closed' : null;
  }

  private write(topic: Topic, message: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    const down = this.pubDown();
    if (down !== null) {
      this.lost += 1;
      return Promise.reject(this.unavailable(topic, `redis not connected (${down})`));
    }
    if (this.lost > 0) this.announceLoss();
    return this.pub.publish(this.channel(topic), message).then(noop, (err: unknown) => {
      this.lost += 1;
      // the connection went down after the command went out (a closed socket, a liveness PING that
      // killed a frozen link): say so from the connection's state, not from ioredis's wording
      const down = this.pubDown();
      const why =
        down !== null
          ? `redis connection lost before it answered (${down})`
          : err instanceof Error
            ? err.message
            : String(err);
      throw this.unavailable(topic, why, err);
    });
  }

  private unavailable(topic: Topic, why: string, cause?: unknown): EventBusUnavailableError {
    return new EventBusUnavailableError(`event bus: ${topic} not published: ${why}`, { cause });
  }

  /** Tells every node (this one too) to resync: events this node should have published are gone. */
  private announceLoss(): void {
    if (this.closed || this.lost === 0 || this.pub.status !== 'ready') return;
    const lost = this.lost;
    this.lost = 0;
    this.pub
      .publish(this.lossChannel, encodeEnvelope(this.opts.nodeId, { lost }, Date.now()))
      .catch(() => void (this.lost += lost));
  }

  /**
   * (Re)connected: SUBSCRIBE every topic (ioredis' autoResubscribe already re-sent the channels it
   * knew; this adds topics first subscribed while down and waits for Redis to confirm), drop
   * channels left while down, and only then report the reconnect, so a resync never starts before
   * the live stream is back.
   */
  private async subscriberReady(): Promise<void> {
    if (this.closed) return;
    const wanted = [this.lossChannel, ...[...this.handlers.keys()].map((t) => this.channel(t))];
    const stale = [...this.stale].filter((c) => !wanted.includes(c));
    this.stale.clear();
    const confirmed = Promise.all([
      this.sub.subscribe(...wanted),
      stale.length > 0 ? this.sub.unsubscribe(...stale) : undefined,
    ]);
    this.after(confirmed);
    try {
      await confirmed;
    } catch {
      for (const c of stale) this.stale.add(c);
      return; // the connection dropped again: its next 'ready' retries
    }
    if (this.closed || this.sub.status !== 'ready') return;
    this.subscriptionsLive = true;
    this.firstLive.resolve();
    const lostAt = this.subscriptionLostAt;
    if (lostAt === null) return;
    this.subscriptionLostAt = null;
    this.reconnected({ reason: 'reconnected', downMs: Date.now() - lostAt });
  }

  /** Runs inside ioredis' reply parser: nothing may throw out of here. */
  private receive(channel: string, message: string): void {
    if (this.closed) return;
    try {
      if (channel === this.lossChannel) return this.receiveLoss(message);
      if (!channel.startsWith(this.channelPrefix)) return;
      const topic = channel.slice(this.channelPrefix.length) as Topic;
      const set = this.handlers.get(topic);
      if (!set || set.size === 0) return;
      const decoded = decodeEnvelope(message);
      if (!decoded.ok) return this.malformed(channel, decoded.reason);
      const latencyMs = Math.max(0, Date.now() - decoded.envelope.at);
      this.hook(() => this.opts.onDelivered?.(topic, latencyMs));
      const payload = decoded.envelope.payload as EventMap[Topic];
      for (const handler of [...set]) {
        try {
          const r = handler(payload);
          if (r && typeof r.catch === 'function')
            r.catch((err: unknown) => this.subscriberFailed(err, topic));
        } catch (err) {
          this.subscriberFailed(err, topic);
        }
      }
    } catch (err) {
      this.opts.log?.warn({ err, channel }, 'event bus: delivery failed');
    }
  }

  private receiveLoss(message: string): void {
    const decoded = decodeEnvelope(message);
    if (!decoded.ok) return this.malformed(this.lossChannel, decoded.reason);
    const { origin, payload } = decoded.envelope;
    if (typeof payload.lost !== 'number') return this.malformed(this.lossChannel, 'lost count missing');
    this.reconnected({ reason: 'events-lost', origin, lost: payload.lost });
  }

  private reconnected(event: ReconnectEvent): void {
    this.opts.log?.info({ ...event }, 'event bus: events may have been missed; resync');
    this.hook(() => this.opts.onReconnect?.(event));
  }

  private malformed(channel: string, reason: string): void {
    this.opts.log?.warn({ channel, reason }, 'event bus: malformed message dropped');
    this.hook(() => this.opts.onMalformed?.(channel, reason));
  }

  private subscriberFailed(err: unknown, topic: Topic): void {
    if (!this.opts.onSubscriberError)
      return void this.opts.log?.warn({ err, topic }, 'event subscriber failed');
    this.hook(() => this.opts.onSubscriberError?.(err, topic));
  }

  /** A throwing hook is a bug in the caller, not a reason to lose the next event. */
  private hook(call: () => void): void {
    try {
      call();
    } catch (err) {
      this.opts.log?.warn({ err }, 'event bus: hook failed');
    }
  }
}
