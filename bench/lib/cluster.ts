/**
 * A cluster of portal nodes for the cluster benchmarks: a fresh PostgreSQL database on the machine's
 * server (tests/helpers.ts createPostgresDatabase, migrated), a Redis key prefix of this run on the
 * machine's Redis, and one child process per node (bench/lib/cluster-node.ts) with its own NODE_ID.
 * Closing stops the nodes, drops the database and deletes the prefix's keys (never anything else).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createPostgresDatabase, dropPostgresDatabases } from '../../tests/helpers';
import type { ClusterNodeInit, ClusterNodeReady } from './cluster-node';
import type { BenchContext } from './common';
import { onInterrupt, startChild, type Child } from './proc';

/** The machine's Redis (CI starts it, as it starts PostgreSQL); BENCH_REDIS_URL points elsewhere. */
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Node ids: the first one seeds the users. */
export const NODE_IDS = ['node-a', 'node-b', 'node-c', 'node-d'] as const;
/** Keys deleted per DEL while cleaning up the prefix. */
const DELETE_BATCH = 500;

export type ClusterNodeChild = Child<ClusterNodeReady>;

export interface BenchCluster {
  nodes: ClusterNodeChild[];
  databaseUrl: string;
  /** What the cluster kept where (results.json; the smoke test checks both are gone after the run). */
  where: { database: string; redisPrefix: string };
  close(): Promise<void>;
}

/** Deletes every key under `prefix` (SCAN, never FLUSHDB: the Redis is shared). */
async function deletePrefix(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    await redis.connect();
    const glob = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', glob, 'COUNT', 1000);
      cursor = next;
      for (let i = 0; i < keys.length; i += DELETE_BATCH)
        deleted += await redis.del(...keys.slice(i, i + DELETE_BATCH));
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export async function startBenchCluster(
  o: { nodes: number; progressIntervalMs?: number; tasksMaxRunning?: number },
  ctx: BenchContext,
): Promise<BenchCluster> {
  if (o.nodes < 1 || o.nodes > NODE_IDS.length) throw new Error(`1 to ${NODE_IDS.length} nodes`);
  const redisPrefix = `sb-bench-${randomBytes(4).toString('hex')}:`;
  ctx.log(`cluster: a fresh PostgreSQL database, Redis prefix ${redisPrefix}`);
  const databaseUrl = createPostgresDatabase();
  const dbName = new URL(databaseUrl).pathname.slice(1);
  const nodes: ClusterNodeChild[] = [];
  let closing: Promise<void> | undefined;
  const cleanUp = async () => {
    dropPostgresDatabases([dbName]);
    await deletePrefix(BENCH_REDIS_URL, redisPrefix).catch(() => 0);
  };
  const unregister = onInterrupt(cleanUp);
  const close = () =>
    (closing ??= (async () => {
      // every node at once: a node stopped alone would hand its work to the others
      await Promise.allSettled(nodes.map((n) => n.close()));
      await cleanUp();
      unregister();
    })());
  const start = (nodeId: string, seed: boolean) =>
    startChild<ClusterNodeReady>(
      '../lib/cluster-node.ts',
      {
        databaseUrl,
        redisUrl: BENCH_REDIS_URL,
        redisPrefix,
        nodeId,
        seed,
        progressIntervalMs: o.progressIntervalMs,
        tasksMaxRunning: o.tasksMaxRunning,
      } satisfies ClusterNodeInit,
      { name: nodeId },
    );
  try {
    ctx.log(`cluster: starting ${o.nodes} nodes (${NODE_IDS.slice(0, o.nodes).join(', ')})`);
    const started = await Promise.allSettled(NODE_IDS.slice(0, o.nodes).map((id, i) => start(id, i === 0)));
    for (const r of started) if (r.status === 'fulfilled') nodes.push(r.value);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (err) {
    await close();
    throw err;
  }
  return { nodes, databaseUrl, where: { database: dbName, redisPrefix }, close };
}
