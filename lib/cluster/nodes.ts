import { createHmac, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RedisLease } from './lease';

/**
 * Which nodes are alive. A task, a device session or a role is taken over from a node only once the
 * node is gone, so "alive" must be something a dead node cannot fake: a lease it keeps renewing.
 */
export interface ClusterNodes {
  /** This node's NODE_ID. */
  readonly self: string;
  isAlive(nodeId: string): Promise<boolean>;
  /** Every live node's id. */
  live(): Promise<string[]>;
  stop(): Promise<void>;
}

/** One node alone: only this process is alive (a NODE_ID left in the database by an earlier run is not). */
export class SingleNode implements ClusterNodes {
  constructor(readonly self: string) {}
  async isAlive(nodeId: string): Promise<boolean> {
    return nodeId === this.self;
  }
  async live(): Promise<string[]> {
    return [this.self];
  }
  async stop(): Promise<void> {}
}

export class ClusterStartError extends Error {
  override name = 'ClusterStartError';
}

/**
 * A fingerprint of the secrets every node must share (HMAC, so the secrets cannot be recovered from
 * it): a node started with a different SWITCHBOARD_SECRET could not read the credentials the others
 * store, and one with a different NEXTAUTH_SECRET would refuse their sessions.
 */
export function secretsFingerprint(secrets: { SWITCHBOARD_SECRET: string; NEXTAUTH_SECRET: string }): string {
  const part = (secret: string) =>
    createHmac('sha256', secret).update('switchboard cluster secret check').digest('base64url').slice(0, 22);
  return `${part(secrets.SWITCHBOARD_SECRET)}.${part(secrets.NEXTAUTH_SECRET)}`;
}

interface NodeRecord {
  instance: string;
  fingerprint: string;
  startedAt: string;
  pid: number;
}

/**
 * Node leases in Redis: `<prefix>node:<NODE_ID>` holds this process's record while it renews it
 * every third of NODE_LEASE_MS. A node killed without a word is gone once its lease expires.
 */
export class RedisNodes implements ClusterNodes {
  private readonly lease: RedisLease;
  private readonly record: NodeRecord;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly self: string,
    fingerprint: string,
    private readonly leaseMs: number,
    private readonly onLost: (err?: unknown) => void,
  ) {
    this.record = {
      instance: randomUUID(),
      fingerprint,
      startedAt: new Date().toISOString(),
      pid: process.pid,
    };
    this.lease = new RedisLease(redis, this.keyOf(self), JSON.stringify(this.record), leaseMs);
  }

  /**
   * Join the cluster: refuse when a live node has other secrets; wait (up to one lease) for an
   * earlier process with the same NODE_ID to lapse, and refuse if it is still renewing by then.
   */
  static async join(opts: {
    redis: Redis;
    prefix: string;
    nodeId: string;
    fingerprint: string;
    leaseMs: number;
    /** The lease could not be renewed (Redis unreachable for a while, or taken over). */
    onLost?: (err?: unknown) => void;
  }): Promise<RedisNodes> {
    const nodes = new RedisNodes(
      opts.redis,
      opts.prefix,
      opts.nodeId,
      opts.fingerprint,
      opts.leaseMs,
      opts.onLost ?? (() => {}),
    );
    for (const other of await nodes.records()) {
      if (other.id !== opts.nodeId && other.record.fingerprint !== opts.fingerprint)
        throw new ClusterStartError(
          `Node ${other.id} runs with a different SWITCHBOARD_SECRET or NEXTAUTH_SECRET: every node of a cluster needs the same values.`,
        );
    }
    const deadline = Date.now() + opts.leaseMs + 500;
    while (!(await nodes.lease.acquire())) {
      if (Date.now() > deadline)
        throw new ClusterStartError(
          `NODE_ID ${opts.nodeId} is in use by a live node: give each node its own NODE_ID.`,
        );
      await new Promise((r) => setTimeout(r, Math.min(250, opts.leaseMs / 4)));
    }
    nodes.renewEvery();
    return nodes;
  }

  private keyOf(nodeId: string): string {
    return `${this.prefix}node:${nodeId}`;
  }

  private renewEvery(): void {
    const tick = async () => {
      if (this.stopped) return;
      try {
        // renewed, or (after Redis lost its data) taken again: this process is still alive
        if (!(await this.lease.hold())) this.onLost();
      } catch (err) {
        this.onLost(err);
      }
      if (this.stopped) return;
      this.timer = setTimeout(() => void tick(), Math.floor(this.leaseMs / 3));
      this.timer.unref();
    };
    this.timer = setTimeout(() => void tick(), Math.floor(this.leaseMs / 3));
    this.timer.unref();
  }

  async isAlive(nodeId: string): Promise<boolean> {
    if (nodeId === this.self) return true;
    return (await this.redis.exists(this.keyOf(nodeId))) === 1;
  }

  async live(): Promise<string[]> {
    return (await this.records()).map((r) => r.id);
  }

  private async records(): Promise<{ id: string; record: NodeRecord }[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(
        cursor,
        'MATCH',
        `${this.escapedPrefix()}node:*`,
        'COUNT',
        200,
      );
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    if (keys.length === 0) return [];
    const values = await this.redis.mget(...keys);
    const out: { id: string; record: NodeRecord }[] = [];
    keys.forEach((key, i) => {
      const v = values[i];
      if (!v) return; // expired between SCAN and MGET
      try {
        out.push({ id: key.slice(`${this.prefix}node:`.length), record: JSON.parse(v) as NodeRecord });
      } catch {
        // not ours to judge: a key under our prefix that is not a node record
      }
    });
    return out;
  }

  /** SCAN's MATCH is a glob: a prefix holding * ? [ ] must not widen it. */
  private escapedPrefix(): string {
    return this.prefix.replace(/[*?[\]\\]/g, '\\$&');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    // leave at once: the others need not wait for the lease to run out
    await this.lease.release().catch(() => {});
  }
}
