import type { Redis } from 'ioredis';

/**
 * A lease in Redis: a key that exists while its holder keeps renewing it. Expiry is Redis's own
 * clock (PX), so clock skew between nodes does not shorten or stretch anyone's lease. Renewing and
 * releasing compare the holder's token first (one Lua call), so a holder whose lease lapsed and was
 * taken by another can never renew or delete the new holder's key.
 */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
else
  return 0
end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
else
  return 0
end`;

export class RedisLease {
  constructor(
    private readonly redis: Redis,
    readonly key: string,
    /** What the key holds while this holder has it (unique per holder: it is the token). */
    readonly token: string,
    readonly ttlMs: number,
  ) {}

  /** Take the lease if nobody holds it; true when this holder has it now. */
  async acquire(): Promise<boolean> {
    return (await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  /** Extend the lease; false when it is no longer this holder's (expired, or taken by another). */
  async renew(): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.key, this.token, String(this.ttlMs))) === 1;
  }

  /** Keep it (renew), or take it if it is free: whether this holder has it afterwards. */
  async hold(): Promise<boolean> {
    return (await this.renew()) || (await this.acquire());
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }
}

/**
 * One role held by one node of the cluster at a time (the status monitor's prober): every node
 * tries every third of the lease; the holder renews. When the holder dies, its lease expires and
 * another node takes the role within one lease plus one try.
 */
export class Leadership {
  private timer: NodeJS.Timeout | null = null;
  private leader = false;
  private stopped = false;
  private trying: Promise<void> | null = null;

  constructor(
    private readonly lease: RedisLease,
    private readonly opts: {
      onChange?: (leader: boolean) => void;
      onError?: (err: unknown) => void;
    } = {},
  ) {}

  isLeader(): boolean {
    return this.leader;
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.trying ??= this.tryOnce().finally(() => {
        this.trying = null;
      });
      this.timer = setTimeout(tick, Math.max(100, Math.floor(this.lease.ttlMs / 3)));
      this.timer.unref();
    };
    tick();
  }

  /** One attempt to take or keep the role; exposed for tests. */
  async tryOnce(): Promise<void> {
    let leader: boolean;
    try {
      leader = await this.lease.hold();
    } catch (err) {
      // Redis unreachable: this node can no longer prove it holds the role, so it stops acting on
      // it; another node (or this one, later) takes over once Redis answers again.
      this.opts.onError?.(err);
      leader = false;
    }
    if (this.stopped) return;
    if (leader !== this.leader) {
      this.leader = leader;
      this.opts.onChange?.(leader);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.trying;
    if (this.leader) {
      this.leader = false;
      this.opts.onChange?.(false);
      // hand the role over at once instead of after the lease runs out
      await this.lease.release().catch(() => {});
    }
  }
}
