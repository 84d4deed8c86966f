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

/**
 * How long a task passed to another node may wait in that node's queue before the passing node takes
 * it back and runs it wherever the shared queue sends it: a live node whose worker takes nothing
 * (starting, or stuck) cannot hold a task up.
 */
const HANDOFF_TIMEOUT_MS = 2_000;

/** How long a task given back waits for its id to be free on the shared queue (see requeue). */
const REQUEUE_WAIT_MS = 5_000;

/**
 * A node's own queue (tasks passed to it by a busier node). BullMQ refuses ":" in a queue name and
 * NODE_ID is often "host:port", so the id is base64url-encoded.
 */
export function nodeQueueName(nodeId: string): string {
  return `${TASK_QUEUE_NAME}-node-${Buffer.from(nodeId).toString('base64url')}`;
}

interface TaskJob {
  taskId: string;
  ownerId: string;
  /** Set on a job a node took back from another node's queue: it runs where it lands. */
  noHandoff?: boolean;
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
  /** Every live node's id (a dead node's queue holds nothing: reconciliation queues its tasks again). */
  live(): Promise<string[]>;
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
  /** How long a task passed to another node may wait there (HANDOFF_TIMEOUT_MS; tests change it). */
  handoffTimeoutMs?: number;
}

/**
 * The cluster's task queue on BullMQ: any node's worker takes a waiting task (up to TASKS_MAX_RUNNING
 * on each node), a job's lock is renewed while its runner runs, and a job whose node died is put back
 * by BullMQ's stalled-job check and run by another node. Cancelling reaches the running node through
 * the event bus. The database stays the source of truth: a job lost with Redis's data is found and
 * added again by reconciliation (lib/tasks/reconcile.ts).
 *
 * Spreading (with `load`): a node that already runs tasks and takes a new one while a live node runs
 * fewer moves the job into that node's own queue (`nodeQueueName`), which only that node's second
 * worker reads, so it is woken at once (a job delayed on the shared queue wakes one blocked worker,
 * usually the passing node's own). A job in a dead node's queue is not "held": reconciliation queues
 * its task again once that node's lease has expired.
 */
export class BullTaskQueue implements TaskQueue {
  private readonly queue: Queue<TaskJob>;
  /** This node's own queue and the worker reading it (with `load`). */
  private readonly own: Queue<TaskJob> | null;
  private direct: Worker<TaskJob> | null = null;
  /** Other nodes' queues, for passing jobs on and looking them up. */
  private readonly others = new Map<string, Queue<TaskJob>>();
  private worker: Worker<TaskJob> | null = null;
  /** Jobs between being taken and starting (deciding whether to hand themselves off). */
  private deciding = 0;
  /** Jobs of this node's own queue taken and not finished (the shared worker leaves their slots). */
  private directActive = 0;
  private readonly running = new Map<string, AbortController>();
  /** Runs waiting for one of this node's TASKS_MAX_RUNNING slots. */
  private readonly slotWaiters: Array<() => void> = [];
  private readonly handoffTimers = new Set<NodeJS.Timeout>();
  private queued = 0;
  private closed = false;
  private readonly refresh: NodeJS.Timeout;
  private readonly stopCancels: () => void;

  constructor(private readonly opts: BullTaskQueueOptions) {
    this.queue = this.openQueue(TASK_QUEUE_NAME);
    this.own = opts.load ? this.openQueue(nodeQueueName(opts.load.self)) : null;
    this.stopCancels = opts.bus.subscribe('task.cancel', ({ taskId }) => {
      this.running.get(taskId)?.abort(new TaskAbort('cancel'));
    });
    const count = () =>
      void Promise.all(
        [this.queue, ...(this.own ? [this.own] : [])].map((q) =>
          q.getJobCounts('waiting', 'prioritized', 'delayed'),
        ),
      )
        .then((all) => {
          this.queued = all.reduce(
            (n, c) => n + (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0),
            0,
          );
        })
        .catch(() => {}); // Redis down: keep the last figure
    this.refresh = setInterval(count, QUEUED_REFRESH_MS);
    this.refresh.unref();
    count();
  }

  private openQueue(name: string): Queue<TaskJob> {
    return new Queue<TaskJob>(name, {
      connection: this.opts.connection,
      prefix: this.opts.prefix,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
    });
  }

  private nodeQueue(nodeId: string): Queue<TaskJob> {
    if (nodeId === this.opts.load?.self && this.own) return this.own;
    let q = this.others.get(nodeId);
    if (!q) {
      q = this.openQueue(nodeQueueName(nodeId));
      this.others.set(nodeId, q);
    }
    return q;
  }

  /** The shared queue and the queues of the live nodes: where a task's job may be. */
  private async queues(): Promise<Array<Queue<TaskJob>>> {
    const { load } = this.opts;
    if (!load) return [this.queue];
    const live = await load.live();
    return [this.queue, ...new Set([load.self, ...live])].map((q) =>
      typeof q === 'string' ? this.nodeQueue(q) : q,
    );
  }

  private async priority(ownerId: string): Promise<number> {
    return Math.max(1, Math.min(2_000_000, await this.opts.priorityOf(ownerId)));
  }

  async enqueue(taskId: string, ownerId: string): Promise<void> {
    if (this.closed) return;
    try {
      // the job id is the task id: adding a task that is already waiting or running changes nothing
      await this.queue.add(
        'task',
        { taskId, ownerId },
        { jobId: taskId, priority: await this.priority(ownerId) },
      );
    } catch (err) {
      // Redis unreachable: the task is stored as queued, and reconciliation adds its job once Redis
      // answers again; the request that created it need not fail
      this.opts.onError?.(err, taskId);
    }
  }

  async cancel(taskId: string): Promise<'queued' | 'running' | 'absent'> {
    let found = false;
    for (const q of await this.queues()) {
      const state = await q.getJobState(taskId);
      if (state === 'waiting' || state === 'prioritized' || state === 'delayed') {
        const job = await q.getJob(taskId);
        try {
          await job?.remove();
          return 'queued';
        } catch {
          // taken by a worker between the two calls: it is running now
        }
      }
      if (state !== 'unknown' && state !== 'completed' && state !== 'failed') found = true;
    }
    if (!found && !this.running.has(taskId)) return 'absent';
    // running here or on another node: the runner that has it stops it
    await this.opts.bus.publish('task.cancel', { taskId });
    return 'running';
  }

  async holds(taskId: string): Promise<boolean> {
    if (this.running.has(taskId)) return true;
    for (const q of await this.queues()) {
      const state = await q.getJobState(taskId);
      if (state !== 'unknown' && state !== 'completed' && state !== 'failed') return true;
    }
    return false;
  }

  process(runner: TaskRunner): void {
    if (this.worker || this.closed) return;
    const worker = (queue: Queue<TaskJob>, direct: boolean) => {
      const w = new Worker<TaskJob>(queue.name, (job, token) => this.run(job, token, runner, direct), {
        connection: this.opts.workerConnection,
        prefix: this.opts.prefix,
        concurrency: this.opts.maxRunning,
        lockDuration: this.opts.lockMs,
        stalledInterval: Math.max(500, Math.floor(this.opts.lockMs / 2)),
        maxStalledCount: MAX_STALLED,
      });
      // connection trouble is reported by the connection's owner; a job error by onError below
      w.on('error', () => {});
      return w;
    };
    this.worker = worker(this.queue, false);
    if (this.own) this.direct = worker(this.own, true);
  }

  /**
   * The live node to pass a job from the shared queue to: this node already runs (or is starting)
   * tasks and another live node with room runs fewer. A job taken back from a node's queue stays.
   */
  private async handOff(job: Job<TaskJob>, busy: number): Promise<string | null> {
    const { load } = this.opts;
    if (!load || job.data.noHandoff) return null;
    if (busy === 0) return null;
    const other = await load.leastBusyOther(this.opts.maxRunning).catch(() => null);
    return other && other.running < busy ? other.nodeId : null;
  }

  /** Move a job taken from the shared queue into another node's queue; false if Redis refused. */
  private async pass(job: Job<TaskJob>, to: string): Promise<boolean> {
    const target = this.nodeQueue(to);
    const { taskId, ownerId } = job.data;
    try {
      await target.add('task', { taskId, ownerId }, { jobId: taskId, priority: job.opts.priority ?? 1 });
    } catch (err) {
      this.opts.onError?.(err, taskId);
      return false;
    }
    // a node that does not take it in time (alive but not reading its queue) gives it back
    const timer = setTimeout(() => {
      this.handoffTimers.delete(timer);
      void this.takeBack(target, taskId, ownerId);
    }, this.opts.handoffTimeoutMs ?? HANDOFF_TIMEOUT_MS);
    timer.unref();
    this.handoffTimers.add(timer);
    return true;
  }

  private async takeBack(from: Queue<TaskJob>, taskId: string, ownerId: string): Promise<void> {
    if (this.closed) return;
    try {
      const state = await from.getJobState(taskId);
      if (state !== 'waiting' && state !== 'prioritized') return;
      const job = await from.getJob(taskId);
      await job?.remove(); // throws if the node took it meanwhile
      await this.requeue(taskId, ownerId, await this.priority(ownerId));
    } catch {
      // taken meanwhile, or Redis trouble: reconciliation finds a task nobody holds
    }
  }

  /**
   * Put a job of this node's own queue back on the shared queue (this node is stopping): whichever
   * node takes it runs it, since this node may still look alive to the others for a moment.
   */
  private async giveBack(job: Job<TaskJob>): Promise<void> {
    const { taskId, ownerId } = job.data;
    await this.requeue(taskId, ownerId, job.opts.priority ?? 1);
  }

  /**
   * Put a task back on the shared queue. The shared job it was passed from may not be gone yet (the
   * node that passed it completes and removes it just after the move): a job id still in use makes
   * `add` a silent no-op, and the task would be lost until reconciliation. So wait (a bounded time)
   * until the id is free, unless the task is already queued there again.
   */
  private async requeue(taskId: string, ownerId: string, priority: number): Promise<void> {
    const deadline = Date.now() + REQUEUE_WAIT_MS;
    for (;;) {
      const state = await this.queue.getJobState(taskId);
      if (
        state === 'waiting' ||
        state === 'prioritized' ||
        state === 'delayed' ||
        state === 'waiting-children'
      )
        return;
      if (state === 'unknown' || Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await this.queue.add('task', { taskId, ownerId, noHandoff: true }, { jobId: taskId, priority });
  }

  /** Wait for one of this node's TASKS_MAX_RUNNING slots (jobs of both workers share them). */
  private async slot(): Promise<void> {
    while (this.running.size >= this.opts.maxRunning && !this.closed)
      await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
  }

  private release(): void {
    this.slotWaiters.shift()?.();
  }

  /** The shared worker takes only what the node's own queue leaves room for. */
  private fitSharedWorker(): void {
    if (this.worker) this.worker.concurrency = Math.max(1, this.opts.maxRunning - this.directActive);
  }

  private async run(
    job: Job<TaskJob>,
    token: string | undefined,
    runner: TaskRunner,
    direct: boolean,
  ): Promise<void> {
    if (direct) {
      this.directActive++;
      this.fitSharedWorker();
    }
    // A job of the shared queue counts as this node's from the moment it is looked at until it runs
    // here (`running`) or has been passed on: jobs this worker took together decide at the same
    // time, and each counts the ones before it, or two tasks created together would both see an
    // idle node and both stay. It was uncounted once its own decision was made, a few microtasks
    // before it ran: a job looked at in between saw an idle node (both tasks of the two-task
    // benchmark stayed on one node in 2 rounds of 5).
    let counted = false;
    const uncount = () => {
      if (!counted) return;
      counted = false;
      this.deciding--;
    };
    try {
      if (!direct) {
        const busy = this.running.size + this.deciding;
        this.deciding++;
        counted = true;
        const to = await this.handOff(job, busy);
        if (to !== null) {
          // on its way to another node: not this node's while it goes (the other node does not
          // count it yet either), this node's again if Redis refused the move
          uncount();
          if (await this.pass(job, to)) return; // completed here, waiting there
          this.deciding++;
          counted = true;
        }
      }
      await this.slot();
      if (this.closed) return this.stopping(job, token, direct);
      await this.execute(job, token, runner, direct, uncount);
    } finally {
      uncount();
      if (direct) {
        this.directActive--;
        this.fitSharedWorker();
      }
    }
  }

  private async execute(
    job: Job<TaskJob>,
    token: string | undefined,
    runner: TaskRunner,
    direct: boolean,
    /** Called as the job joins `running` (in the same step, so the node's count never dips). */
    started: () => void,
  ): Promise<void> {
    const { taskId } = job.data;
    const controller = new AbortController();
    this.running.set(taskId, controller);
    started();
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
      this.release();
      void this.opts.load?.report(this.running.size).catch(() => {});
    }
    const reason: unknown = controller.signal.reason;
    if (controller.signal.aborted && reason instanceof TaskAbort && reason.kind === 'shutdown')
      await this.stopping(job, token, direct);
  }

  /**
   * This node is stopping: hand the task's pending devices to another node now, not after the lock.
   * A job of this node's own queue goes back to the shared queue (nobody else reads this one).
   */
  private async stopping(job: Job<TaskJob>, token: string | undefined, direct: boolean): Promise<void> {
    if (direct) return this.giveBack(job);
    await job.moveToDelayed(Date.now(), token);
    throw new DelayedError();
  }

  /** Stop taking work, stop this node's running tasks as a shutdown (their jobs go back to the queue). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.refresh);
    for (const t of this.handoffTimers) clearTimeout(t);
    this.stopCancels();
    for (const c of this.running.values()) c.abort(new TaskAbort('shutdown'));
    for (const wake of this.slotWaiters.splice(0)) wake();
    await Promise.all([this.worker?.close(), this.direct?.close()]);
    // jobs passed to this node and not taken yet go back to the shared queue
    if (this.own) {
      const left = await this.own.getJobs(['waiting', 'prioritized', 'delayed']).catch(() => []);
      for (const job of left) {
        try {
          await job.remove();
          await this.giveBack(job);
        } catch {
          // taken back by the node that passed it, or Redis trouble: reconciliation finds it
        }
      }
    }
    await Promise.all(
      [this.queue, ...(this.own ? [this.own] : []), ...this.others.values()].map((q) => q.close()),
    );
  }

  stats() {
    return { queued: this.queued, running: this.running.size };
  }
}
