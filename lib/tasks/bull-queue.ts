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

interface TaskJob {
  taskId: string;
  ownerId: string;
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

  private async run(job: Job<TaskJob>, token: string | undefined, runner: TaskRunner): Promise<void> {
    const { taskId } = job.data;
    const controller = new AbortController();
    this.running.set(taskId, controller);
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
