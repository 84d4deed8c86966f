import type { EventMap } from '../events/types';

/** At most one progress event per task per this interval; the final state is always delivered. */
export const PROGRESS_MIN_INTERVAL_MS = 250;

export type TaskProgressEvent = EventMap['task.status.changed'];
export type DeviceResultEvent = NonNullable<TaskProgressEvent['devices']>[number];
export type ProgressState = Omit<TaskProgressEvent, 'progress' | 'timestamp' | 'devices' | 'final'>;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export function progressPercent(completed: number, total: number): number {
  return total === 0 ? 100 : Math.min(100, Math.round((completed / total) * 1000) / 10);
}

/**
 * Coalesces a task's progress: the latest state plus every device result since the last event
 * go out together, no more often than the interval; `final` flushes at once.
 */
export class ProgressCoalescer {
  private latest: ProgressState | null = null;
  private devices: DeviceResultEvent[] = [];
  private lastSent = -Infinity;
  private timer: unknown = null;

  constructor(
    private readonly publish: (event: TaskProgressEvent) => void,
    private readonly intervalMs = PROGRESS_MIN_INTERVAL_MS,
    private readonly clock: Clock = realClock,
  ) {}

  update(state: ProgressState, device?: DeviceResultEvent | readonly DeviceResultEvent[]): void {
    this.latest = state;
    if (Array.isArray(device)) this.devices.push(...(device as readonly DeviceResultEvent[]));
    else if (device) this.devices.push(device as DeviceResultEvent);
    if (this.timer !== null) return;
    const wait = this.lastSent + this.intervalMs - this.clock.now();
    if (wait <= 0) this.flush(false);
    else this.timer = this.clock.setTimeout(() => this.flush(false), wait);
  }

  final(state: ProgressState, device?: DeviceResultEvent): void {
    this.latest = state;
    if (device) this.devices.push(device);
    this.flush(true);
  }

  private flush(final: boolean): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    if (!this.latest) return;
    const s = this.latest;
    const devices = this.devices;
    this.devices = [];
    this.lastSent = this.clock.now();
    this.publish({
      ...s,
      progress: progressPercent(s.completedDevices, s.totalDevices),
      timestamp: new Date(this.lastSent).toISOString(),
      ...(devices.length > 0 ? { devices } : {}),
      ...(final ? { final: true } : {}),
    });
  }

  /** Stop without publishing (process shutting down). */
  dispose(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * One device's change waiting to be stored: it started (one more attempt), it has an outcome, or both
 * (a device that ends before the next write). `events` say so on the bus once it is stored.
 */
export interface DeviceChange<Outcome> {
  rowId: string;
  startedAt?: Date;
  outcome?: Outcome;
  events: DeviceResultEvent[];
}

/** A later change of the same device on top of an earlier one still waiting (or written back). */
export function mergeDeviceChange<O>(older: DeviceChange<O>, newer: DeviceChange<O>): DeviceChange<O> {
  return {
    rowId: older.rowId,
    startedAt: newer.startedAt ?? older.startedAt,
    outcome: newer.outcome ?? older.outcome,
    events: [...older.events, ...newer.events],
  };
}

class PendingBatch<O> {
  readonly changes = new Map<string, DeviceChange<O>>();
  readonly stored: Promise<void>;
  resolve!: () => void;
  reject!: (err: unknown) => void;
  constructor() {
    this.stored = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // a failed write is reported through onError; only callers that wait on it see the rejection
    this.stored.catch(() => {});
  }
}

/**
 * Batches a task's device writes: every start and outcome since the last write is stored by one
 * write, at most one write at a time (SQLite has one writer: fewer, larger transactions are the win),
 * and no more often than the interval unless a device needs its start stored now (before its
 * commands go out). Such a write takes the starts only (one statement, no transaction); outcomes
 * wait for the interval's write, or for flush (README "starts-alone"). A failed write keeps its
 * changes for the next one, under any newer change.
 */
export class DeviceChangeBatcher<O> {
  private batch = new PendingBatch<O>();
  /** The batch being written, if any. */
  private writing: PendingBatch<O> | null = null;
  private running: Promise<void> | null = null;
  private urgent = false;
  /** flush() wants everything written, outcomes too, whatever the interval says. */
  private draining = false;
  private timer: unknown = null;
  /** When the last write of everything queued (not of starts alone) began. */
  private lastWrite = -Infinity;

  constructor(
    private readonly write: (changes: DeviceChange<O>[]) => Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly intervalMs = PROGRESS_MIN_INTERVAL_MS,
    private readonly clock: Clock = realClock,
  ) {}

  /**
   * Queue a change. The returned function settles once the change is stored: it writes at once if
   * the change still waits for the interval, and tries a failed write once more before rejecting.
   */
  add(change: DeviceChange<O>): () => Promise<void> {
    const earlier = this.batch.changes.get(change.rowId);
    this.batch.changes.set(change.rowId, earlier ? mergeDeviceChange(earlier, change) : change);
    this.schedule();
    return async () => {
      // a write that stored it, or moved it on to a later one, is no attempt: only refusals count
      for (let failures = 0; ;) {
        const b = [this.writing, this.batch].find((x) => x?.changes.get(change.rowId) !== undefined);
        if (!b) return; // stored
        if (b === this.batch) {
          this.urgent = true;
          this.schedule();
        }
        try {
          // stored with that write, or moved on to a later one (an outcome left for the interval
          // by a write of starts alone): look again
          await b.stored;
        } catch (err) {
          if (++failures >= 2) throw err;
        }
      }
    };
  }

  /** Store everything queued so far, trying a failed write once more; rejects if that fails too. */
  async flush(): Promise<void> {
    let failures = 0;
    this.draining = true;
    try {
      while (this.running || this.batch.changes.size > 0) {
        if (this.running) {
          await this.running;
          continue;
        }
        const b = this.batch;
        this.urgent = true;
        this.schedule();
        try {
          await b.stored;
        } catch (err) {
          if (++failures >= 2) throw err;
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** Stop the timer without writing (the run gives up: its database refuses writes). */
  dispose(): void {
    this.clearTimer();
  }

  private schedule(): void {
    if (this.running || this.batch.changes.size === 0) return; // the write in progress looks again
    const now = this.clock.now();
    const wait = this.urgent ? 0 : Math.min(this.lastWrite, now) + this.intervalMs - now;
    if (wait <= 0) {
      this.clearTimer();
      this.running = this.run();
    } else if (this.timer === null) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = null;
        this.schedule();
      }, wait);
    }
  }

  private async run(): Promise<void> {
    try {
      while (this.batch.changes.size > 0) {
        const b = this.batch;
        this.batch = new PendingBatch<O>();
        const now = this.clock.now();
        // a clock set back does not hold outcomes back for as long as it went back
        this.lastWrite = Math.min(this.lastWrite, now);
        const early = now < this.lastWrite + this.intervalMs;
        if (early && !this.draining && [...b.changes.values()].some((c) => c.startedAt)) {
          // a write for starts needed now, before the interval: outcomes keep waiting for it
          // (their waiters look again once the starts are stored)
          for (const [rowId, c] of b.changes) {
            if (c.startedAt) continue;
            b.changes.delete(rowId);
            this.batch.changes.set(rowId, c);
          }
        } else this.lastWrite = now;
        this.writing = b;
        this.urgent = false;
        try {
          await this.write([...b.changes.values()]);
          this.writing = null;
          b.resolve();
        } catch (err) {
          this.writing = null;
          for (const [rowId, older] of b.changes) {
            const newer = this.batch.changes.get(rowId);
            this.batch.changes.set(rowId, newer ? mergeDeviceChange(older, newer) : older);
          }
          b.reject(err);
          this.onError(err);
          this.urgent = false;
          break; // retried after the interval, not in a tight loop against a failing database
        }
        // changes queued during the write wait for the interval unless one of them is needed now
        if (!this.urgent) break;
      }
    } finally {
      this.running = null;
      this.schedule();
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
