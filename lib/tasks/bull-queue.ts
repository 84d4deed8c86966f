import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { EventBus } from '../events/types';
import { TaskAbort, TaskHeldElsewhere, type TaskQueue, type TaskRunner } from './queue';

/** One BullMQ queue for every task of the portal; a job's id is its task's id. */
export const TASK_QUEUE_NAME = 'tasks';
/** How often this node refreshes the queued count it reports (stats() answers synchronously). */
const QUEUED_REFRESH_MS = 2_000;
/** A job found stalled more often than this is failed by BullMQ; reconciliation then takes the task. */
const MAX_STALLED = 5;

/** How often a job may be passed on to a less busy node before this node runs it anyway. */
const MAX_HANDOFFS = 5;
/**
 * How long a job passed on waits before a worker may take it (the other node's worker takes it then).
 * With MAX_HANDOFFS, the other node has about half a second to take it: 30 ms (150 ms in all) was too
 * short for a busy machine, where the job came back to the node that passed it every time.
 */
const HANDOFF_DELAY_MS = 100;

interface TaskJob {
  taskId: string;
  ownerId: string;
  /** Set when a busy node passed the job on: the node meant to take it, and how often it was passed. */
  handoff?: { to: string; count: number };
}

/**
 * How many tasks each live node runs, shared through Redis, so that tasks spread over the nodes: a
 * node's worker takes every waiting job it has room for, and two tasks created together would
 * otherwise often both land on the same node while another sits idle.
 */
export interface TaskLoad {
  readonly self: string;
  /** This node now runs `running` tasks. */
  report(running: number): Promise<void>;
  /** The live node (not this one) with the fewest running tasks and room for one more, or null. */
  leastBusyOther(maxRunning: number): Promise<{ nodeId: string; running: number } | null>;
}

export interface BullTaskQueueOptions {
  /** For adding and looking up jobs: fails fast while Redis is down (the database keeps the task). */
  connection: Redis;
  /** For the worker (BullMQ duplicates it for its blocking reads): needs maxRetriesPerRequest null. */
  workerConnection: Redis;
  /** BullMQ's key prefix (REDIS_PREFIX + "bull"). */
  prefix: string;
  /** Tasks running at once on this node (TASKS_MAX_RUNNING). */
  maxRunning: number;
  /**
   * The job lock: a node that stops renewing it (killed, frozen) loses the job, and another node's
   * stalled check (every half of it) puts the job back in the queue. NODE_LEASE_MS.
   */
  lockMs: number;
  /** Cancels reach the node running the task over the bus. */
  bus: EventBus;
  /** Lower first: an owner's n-th unfinished task gets n, so one owner's batch cannot starve another's. */
  priorityOf: (ownerId: string) => Promise<number>;
  onError?: (err: unknown, taskId: string) => void;
  /** Spread tasks over the live nodes (absent: each node takes what it has room for). */
  load?: TaskLoad;
}

/**
 * The cluster's task queue on BullMQ: any node's worker takes a waiting task (up to TASKS_MAX_RUNNING
 * on each node), a job's lock is renewed while its runner runs, and a job whose node died is put back
 * by BullMQ's stalled-job check and run by another node. Cancelling reaches the running node through
 * the event bus. The database stays the source of truth: a job lost with Redis's data is found and
 * added again by reconciliation (lib/tasks/reconcile.ts).
 */
export class BullTaskQueue implements TaskQueue {
  private readonly queue: Queue<TaskJob>;
  private worker: Worker<TaskJob> | null = null;
  /** Jobs between being taken and starting (deciding whether to hand themselves off). */
  private deciding = 0;
  private readonly running = new Map<string, AbortController>();
  private queued = 0;
  private closed = false;
  private readonly refresh: NodeJS.Timeout;
  private readonly stopCancels: () => void;

  constructor(private readonly opts: BullTaskQueueOptions) {
    this.queue = new Queue<TaskJob>(TASK_QUEUE_NAME, {
      connection: opts.connection,
      prefix: opts.prefix,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
    });
    this.stopCancels = opts.bus.subscribe('task.cancel', ({ taskId }) => {
      this.running.get(taskId)?.abort(new TaskAbort('cancel'));
    });
    const count = () =>
      void this.queue
        .getJobCounts('waiting', 'prioritized', 'delayed')
        .then((c) => {
          this.queued = (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0);
        })
        .catch(() => {}); // Redis down: keep the last figure
    this.refresh = setInterval(count, QUEUED_REFRESH_MS);
    this.refresh.unref();
    count();
  }

  async enqueue(taskId: string, ownerId: string): Promise<void> {
    if (this.closed) return;
    try {
      // the job id is the task id: adding a task that is already waiting or running changes nothing
      await this.queue.add(
        'task',
        { taskId, ownerId },
        { jobId: taskId, priority: Math.max(1, Math.min(2_000_000, await this.opts.priorityOf(ownerId))) },
      );
    } catch (err) {
      // Redis unreachable: the task is stored as queued, and reconciliation adds its job once Redis
      // answers again; the request that created it need not fail
      this.opts.onError?.(err, taskId);
    }
  }

  async cancel(taskId: string): Promise<'queued' | 'running' | 'absent'> {
    const state = await this.queue.getJobState(taskId);
    if (state === 'waiting' || state === 'prioritized' || state === 'delayed') {
      const job = await this.queue.getJob(taskId);
      try {
        await job?.remove();
        return 'queued';
      } catch {
        // taken by a worker between the two calls: it is running now
      }
    }
    if (state === 'unknown' || state === 'completed' || state === 'failed') return 'absent';
    // running here or on another node: the runner that has it stops it
    await this.opts.bus.publish('task.cancel', { taskId });
    return 'running';
  }

  async holds(taskId: string): Promise<boolean> {
    if (this.running.has(taskId)) return true;
    const state = await this.queue.getJobState(taskId);
    return state !== 'unknown' && state !== 'completed' && state !== 'failed';
  }

  process(runner: TaskRunner): void {
    if (this.worker || this.closed) return;
    this.worker = new Worker<TaskJob>(TASK_QUEUE_NAME, (job, token) => this.run(job, token, runner), {
      connection: this.opts.workerConnection,
      prefix: this.opts.prefix,
      concurrency: this.opts.maxRunning,
      lockDuration: this.opts.lockMs,
      stalledInterval: Math.max(500, Math.floor(this.opts.lockMs / 2)),
      maxStalledCount: MAX_STALLED,
    });
    // connection trouble is reported by the connection's owner; a job error by onError below
    this.worker.on('error', () => {});
  }

  /**
   * Whether to pass the job on: this node already runs tasks and a live node runs fewer (it gets a
   * moment to take it), or the job was passed to another node that has not taken it yet. After
   * MAX_HANDOFFS a job runs wherever it is: a node that never takes it cannot hold it up.
   */
  private async handOff(job: Job<TaskJob>, busy: number): Promise<string | null> {
    const { load } = this.opts;
    const handoff = job.data.handoff;
    if (!load || (handoff?.count ?? 0) >= MAX_HANDOFFS) return null;
    if (handoff && handoff.to !== load.self) return handoff.to;
    if (busy === 0) return null;
    const other = await load.leastBusyOther(this.opts.maxRunning).catch(() => null);
    return other && other.running < busy ? other.nodeId : null;
  }

  private async run(job: Job<TaskJob>, token: string | undefined, runner: TaskRunner): Promise<void> {
    const { taskId } = job.data;
    // jobs this worker took together are deciding at the same time: each counts the ones before it,
    // or two tasks created together would both see an idle node and both stay
    const busy = this.running.size + this.deciding;
    this.deciding++;
    let to: string | null;
    try {
      to = await this.handOff(job, busy);
    } finally {
      this.deciding--;
    }
    if (to !== null) {
      await job.updateData({ ...job.data, handoff: { to, count: (job.data.handoff?.count ?? 0) + 1 } });
      await job.moveToDelayed(Date.now() + HANDOFF_DELAY_MS, token);
      throw new DelayedError();
    }
    const controller = new AbortController();
    this.running.set(taskId, controller);
    void this.opts.load?.report(this.running.size).catch(() => {});
    try {
      await runner(taskId, controller.signal);
    } catch (err) {
      if (err instanceof TaskHeldElsewhere) {
        // its node is alive (a job put back while that node still ran it): look again after one lock
        await job.moveToDelayed(Date.now() + this.opts.lockMs, token);
        throw new DelayedError();
      }
      this.opts.onError?.(err, taskId);
      return;
    } finally {
      this.running.delete(taskId);
      void this.opts.load?.report(this.running.size).catch(() => {});
    }
    const reason: unknown = controller.signal.reason;
    if (controller.signal.aborted && reason instanceof TaskAbort && reason.kind === 'shutdown') {
      // this node is stopping: hand the task's pending devices to another node now, not after the lock
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
  }

  /** Stop taking work, stop this node's running tasks as a shutdown (their jobs go back to the queue). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.refresh);
    this.stopCancels();
    for (const c of this.running.values()) c.abort(new TaskAbort('shutdown'));
    await this.worker?.close();
    await this.queue.close();
  }

  stats() {
    return { queued: this.queued, running: this.running.size };
  }
}
