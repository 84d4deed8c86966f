/**
 * Concurrent sessions per device on this node, shared by terminals and batch tasks (network devices
 * often allow only 5 VTY lines; a Linux jump box takes many more). The cap is the device's own
 * (`Device.maxSessions`) or the default. Terminals ask and are refused at once; tasks wait.
 */
export class DeviceSessionLimiter {
  private readonly inUse = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(public readonly perDevice: number) {}

  count(deviceId: string): number {
    return this.inUse.get(deviceId) ?? 0;
  }

  tryAcquire(deviceId: string, cap: number = this.perDevice): boolean {
    const n = this.count(deviceId);
    if (n >= cap) return false;
    this.inUse.set(deviceId, n + 1);
    return true;
  }

  /** Wait for a free slot; rejects if the signal aborts first. */
  acquire(deviceId: string, signal?: AbortSignal, cap: number = this.perDevice): Promise<void> {
    if (this.tryAcquire(deviceId, cap)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(deviceId) ?? [];
      this.waiting.set(deviceId, queue);
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = queue.indexOf(grant);
        if (i >= 0) queue.splice(i, 1);
        reject(signal!.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(grant);
    });
  }

  release(deviceId: string): void {
    const queue = this.waiting.get(deviceId);
    const next = queue?.shift();
    if (queue && queue.length === 0) this.waiting.delete(deviceId);
    if (next) return next(); // the slot passes straight to the next waiter
    const n = this.count(deviceId) - 1;
    if (n <= 0) this.inUse.delete(deviceId);
    else this.inUse.set(deviceId, n);
  }
}
