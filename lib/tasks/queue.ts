/** Tasks running at once on this node (each with its own device concurrency). */
export const TASK_MAX_RUNNING = 4;

export type TaskRunner = (taskId: string, signal: AbortSignal) => Promise<void>;

/** Why a running task was stopped. */
export class TaskAbort extends Error {
  constructor(public readonly kind: 'cancel' | 'shutdown') {
    super(kind === 'cancel' ? 'cancelled' : 'server shutting down');
    this.name = 'TaskAbort';
  }
}

/** Thrown by a runner that finds its task held by another live node: the job waits and tries again. */
export class TaskHeldElsewhere extends Error {
  override name = 'TaskHeldElsewhere';
  constructor(
    readonly taskId: string,
    readonly nodeId: string,
  ) {
    super(`Task ${taskId} is held by node ${nodeId}.`);
  }
}

/** The task queue: in-process (one node), or BullMQ on Redis (a cluster: lib/tasks/bull-queue.ts). */
export interface TaskQueue {
  /** Queue a task of this owner; running slots are shared fairly between owners. */
  enqueue(taskId: string, ownerId: string): Promise<void>;
  /** Drop a queued task or stop a running one; returns where it was found. */
  cancel(taskId: string): Promise<'queued' | 'running' | 'absent'>;
  /** Whether the queue has this task (waiting, or running on any node): reconciliation leaves it be. */
  holds(taskId: string): Promise<boolean>;
  process(runner: TaskRunner): void;
  /** Stop taking work and abort running tasks as a shutdown. */
  close(): Promise<void>;
  stats(): { queued: number; running: number };
}

interface Waiting {
  taskId: string;
  ownerId: string;
}

/**
 * Which waiting task gets a free slot: the first task of the waiting owner with the fewest running
 * tasks; on a tie, the owner served least recently, then the task waiting longest. An owner may
 * take every slot only while nobody else waits. Pure, for the queue and its tests.
 */
export function pickNext(
  waiting: readonly Waiting[],
  runningByOwner: ReadonlyMap<string, number>,
  lastServed: ReadonlyMap<string, number>,
): number {
  let best = -1;
  const seen = new Set<string>();
  for (let i = 0; i < waiting.length; i++) {
    const owner = waiting[i]!.ownerId;
    if (seen.has(owner)) continue; // an owner's own tasks keep their order
    seen.add(owner);
    if (best < 0) {
      best = i;
      continue;
    }
    const b = waiting[best]!.ownerId;
    const running = runningByOwner.get(owner) ?? 0;
    const bestRunning = runningByOwner.get(b) ?? 0;
    if (
      running < bestRunning ||
      (running === bestRunning && (lastServed.get(owner) ?? -1) < (lastServed.get(b) ?? -1))
    )
      best = i;
  }
  return best;
}

export class InProcessTaskQueue implements TaskQueue {
  private readonly waiting: Waiting[] = [];
  private readonly running = new Map<
    string,
    { ownerId: string; controller: AbortController; done: Promise<void> }
  >();
  private readonly runningByOwner = new Map<string, number>();
  /** When each owner last got a slot (a counter, for round-robin between equals). */
  private readonly lastServed = new Map<string, number>();
  private served = 0;
  private runner: TaskRunner | null = null;
  private closed = false;

  constructor(
    private readonly maxRunning = TASK_MAX_RUNNING,
    private readonly onError: (err: unknown, taskId: string) => void = () => {},
  ) {}

  async enqueue(taskId: string, ownerId: string): Promise<void> {
    if (this.closed || this.running.has(taskId) || this.waiting.some((w) => w.taskId === taskId)) return;
    this.waiting.push({ taskId, ownerId });
    this.pump();
  }

  async cancel(taskId: string): Promise<'queued' | 'running' | 'absent'> {
    const i = this.waiting.findIndex((w) => w.taskId === taskId);
    if (i >= 0) {
      this.waiting.splice(i, 1);
      return 'queued';
    }
    const r = this.running.get(taskId);
    if (r) {
      r.controller.abort(new TaskAbort('cancel'));
      return 'running';
    }
    return 'absent';
  }

  async holds(taskId: string): Promise<boolean> {
    return this.running.has(taskId) || this.waiting.some((w) => w.taskId === taskId);
  }

  process(runner: TaskRunner): void {
    this.runner = runner;
    this.pump();
  }

  private pump(): void {
    while (this.runner && !this.closed && this.running.size < this.maxRunning && this.waiting.length > 0) {
      const [{ taskId, ownerId }] = this.waiting.splice(
        pickNext(this.waiting, this.runningByOwner, this.lastServed),
        1,
      ) as [Waiting];
      this.runningByOwner.set(ownerId, (this.runningByOwner.get(ownerId) ?? 0) + 1);
      this.lastServed.set(ownerId, this.served++);
      const controller = new AbortController();
      const done = this.runner(taskId, controller.signal)
        .catch((err: unknown) => this.onError(err, taskId))
        .finally(() => {
          this.running.delete(taskId);
          const left = (this.runningByOwner.get(ownerId) ?? 1) - 1;
          if (left > 0) this.runningByOwner.set(ownerId, left);
          else this.runningByOwner.delete(ownerId);
          this.pump();
        });
      this.running.set(taskId, { ownerId, controller, done });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    const running = [...this.running.values()];
    for (const r of running) r.controller.abort(new TaskAbort('shutdown'));
    await Promise.all(running.map((r) => r.done));
  }

  stats() {
    return { queued: this.waiting.length, running: this.running.size };
  }
}
