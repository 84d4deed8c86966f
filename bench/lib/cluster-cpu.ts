/**
 * Where a cluster benchmark's CPU goes: the node and lab children (by pid, from /proc), the
 * PostgreSQL backends serving the benchmark's database (their pids from pg_stat_activity), and the
 * Redis server (INFO cpu: the whole server, which other users of the machine's Redis share). On two
 * cores these together decide how far two nodes can run in parallel.
 */
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { TEST_PG_URL } from '../../tests/helpers';
import { round } from './stats';

/** /proc/<pid>/stat counts in clock ticks: 100 per second on Linux (getconf CLK_TCK). */
const TICKS_PER_SECOND = 100;

/** User + system CPU time of a process in ms (0 once it is gone). */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces: count fields after its closing parenthesis
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU time by name, ms. */
export type CpuSample = Record<string, number>;

/** What `sample` read: each named process, each backend of the database by pid, the Redis server. */
export interface CpuReading {
  named: Record<string, number>;
  backends: Map<number, number>;
  redis: number;
}

export class CpuAccount {
  private constructor(
    private readonly processes: Record<string, number>,
    private readonly database: string,
    private readonly pgClient: pg.Client,
    private readonly redis: Redis,
  ) {}

  /** `processes`: name → pid; `database`: whose backends count as "postgres". */
  static async open(
    processes: Record<string, number>,
    database: string,
    redisUrl: string,
  ): Promise<CpuAccount> {
    const pgClient = new pg.Client({ connectionString: TEST_PG_URL });
    await pgClient.connect();
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    return new CpuAccount(processes, database, pgClient, redis);
  }

  /** CPU time so far of each child, each backend of the database and the Redis server. */
  async sample(): Promise<CpuReading> {
    const named: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.processes)) named[name] = processCpuMs(pid);
    const { rows } = await this.pgClient.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1',
      [this.database],
    );
    const backends = new Map(rows.map((r) => [r.pid, processCpuMs(r.pid)]));
    const info = await this.redis.info('cpu');
    const field = (k: string) => Number(new RegExp(`^${k}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
    return { named, backends, redis: (field('used_cpu_user') + field('used_cpu_sys')) * 1000 };
  }

  async close(): Promise<void> {
    await this.pgClient.end().catch(() => {});
    this.redis.disconnect();
  }
}

/**
 * CPU time between two readings by name, ms: each child, `postgres` (the backends alive at the end;
 * one that closed in between is not counted) and `redis`.
 */
export function cpuDelta(before: CpuReading, after: CpuReading): CpuSample {
  const out: CpuSample = {};
  for (const [name, ms] of Object.entries(after.named)) out[name] = round(ms - (before.named[name] ?? 0), 0);
  let postgres = 0;
  for (const [pid, ms] of after.backends) postgres += ms - (before.backends.get(pid) ?? 0);
  out.postgres = round(postgres, 0);
  out.redis = round(after.redis - before.redis, 0);
  return out;
}
