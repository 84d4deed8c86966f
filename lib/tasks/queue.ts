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

/** The task queue: in-process here; a BullMQ implementation on Redis goes behind the same interface. */
export interface TaskQueue {
  enqueue(taskId: string): Promise<void>;
  /** Drop a queued task or stop a running one; returns where it was found. */
  cancel(taskId: string): Promise<'queued' | 'running' | 'absent'>;
  process(runner: TaskRunner): void;
  /** Stop taking work and abort running tasks as a shutdown. */
  close(): Promise<void>;
  stats(): { queued: number; running: number };
}

export class InProcessTaskQueue implements TaskQueue {
  private readonly waiting: string[] = [];
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private runner: TaskRunner | null = null;
  private closed = false;

  constructor(
    private readonly maxRunning = TASK_MAX_RUNNING,
    private readonly onError: (err: unknown, taskId: string) => void = () => {},
  ) {}

  async enqueue(taskId: string): Promise<void> {
    if (this.closed || this.waiting.includes(taskId) || this.running.has(taskId)) return;
    this.waiting.push(taskId);
    this.pump();
  }

  async cancel(taskId: string): Promise<'queued' | 'running' | 'absent'> {
    const i = this.waiting.indexOf(taskId);
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

  process(runner: TaskRunner): void {
    this.runner = runner;
    this.pump();
  }

  private pump(): void {
    while (this.runner && !this.closed && this.running.size < this.maxRunning && this.waiting.length > 0) {
      const taskId = this.waiting.shift()!;
      const controller = new AbortController();
      const done = this.runner(taskId, controller.signal)
        .catch((err: unknown) => this.onError(err, taskId))
        .finally(() => {
          this.running.delete(taskId);
          this.pump();
        });
      this.running.set(taskId, { controller, done });
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
