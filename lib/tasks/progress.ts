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

  update(state: ProgressState, device?: DeviceResultEvent): void {
    this.latest = state;
    if (device) this.devices.push(device);
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
