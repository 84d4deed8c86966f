import type { Redis } from 'ioredis';
import type { TaskLoad } from '../tasks/bull-queue';
import type { ClusterNodes } from './nodes';

/**
 * How many tasks each node runs, in one Redis hash (node id → running tasks), read together with
 * the live nodes: a live node missing from the hash runs none, and a node that left is dropped.
 */
export class RedisTaskLoad implements TaskLoad {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    readonly self: string,
    private readonly nodes: ClusterNodes,
  ) {}

  async report(running: number): Promise<void> {
    await this.redis.hset(this.key, this.self, String(running));
  }

  live(): Promise<string[]> {
    return this.nodes.live();
  }

  async leastBusyOther(maxRunning: number): Promise<{ nodeId: string; running: number } | null> {
    const [counts, live] = await Promise.all([this.redis.hgetall(this.key), this.nodes.live()]);
    const alive = new Set(live);
    let best: { nodeId: string; running: number } | null = null;
    for (const nodeId of alive) {
      if (nodeId === this.self) continue;
      const running = Number(counts[nodeId] ?? 0);
      if (!(running < maxRunning)) continue;
      if (!best || running < best.running) best = { nodeId, running };
    }
    const gone = Object.keys(counts).filter((id) => !alive.has(id));
    if (gone.length > 0) void this.redis.hdel(this.key, ...gone).catch(() => {});
    return best;
  }
}
