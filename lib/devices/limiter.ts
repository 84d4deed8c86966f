import { MemorySlotStore, type SlotStore } from '../limits/slots';

/** How often a task waiting for a device slot looks again when other nodes may free one (or the store failed). */
export const DEVICE_SLOT_POLL_MS = 250;

/**
 * Concurrent sessions per device, shared by terminals and batch tasks (network devices often allow
 * only 5 VTY lines; a Linux jump box takes many more). The cap is the device's own
 * (`Device.maxSessions`) or the default. Terminals ask and are refused at once; tasks wait.
 *
 * The slots live in a `SlotStore`: in memory on one node, in Redis in a cluster, where the cap holds
 * across nodes and a dead node's slots expire (lib/cluster/slots.ts). A waiting task is woken when
 * this node frees a slot of its device; with a shared store it also looks again every
 * DEVICE_SLOT_POLL_MS, for slots other nodes free.
 */
export class DeviceSessionLimiter {
  /** Tokens of the slots this node holds, by device. */
  private readonly held = new Map<string, string[]>();
  /** Waiters by device, first come first served; each is woken by a release here. */
  private readonly waiting = new Map<string, (() => void)[]>();
  /** Releases by device since start: a waiter that saw a release while asking asks again at once. */
  private readonly releases = new Map<string, number>();

  constructor(
    public readonly perDevice: number,
    private readonly store: SlotStore = new MemorySlotStore(),
    private readonly pollMs = DEVICE_SLOT_POLL_MS,
  ) {}

  /** Slots of the device this node holds. */
  count(deviceId: string): number {
    return this.held.get(deviceId)?.length ?? 0;
  }

  /** Slots of the device taken by every node. */
  countAll(deviceId: string): Promise<number> {
    return this.store.count(slotKey(deviceId));
  }

  /** Take a slot if one is free. Rejects when the store cannot be reached (the cluster's Redis is down). */
  async tryAcquire(deviceId: string, cap: number = this.perDevice): Promise<boolean> {
    const token = await this.store.take(slotKey(deviceId), cap);
    if (token === null) return false;
    const tokens = this.held.get(deviceId) ?? [];
    tokens.push(token);
    this.held.set(deviceId, tokens);
    return true;
  }

  /**
   * Wait for a free slot; rejects if the signal aborts first. While the store cannot be reached it
   * keeps asking (a task waits out a Redis restart instead of failing its devices).
   */
  async acquire(deviceId: string, signal?: AbortSignal, cap: number = this.perDevice): Promise<void> {
    let first = true;
    for (;;) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const seen = this.releases.get(deviceId) ?? 0;
      let failed = false;
      try {
        if (await this.tryAcquire(deviceId, cap)) return;
      } catch {
        failed = true;
      }
      if ((this.releases.get(deviceId) ?? 0) !== seen) continue; // freed while we asked
      await this.waitTurn(deviceId, first, failed || this.store.shared, signal);
      first = false;
    }
  }

  private waitTurn(deviceId: string, first: boolean, poll: boolean, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason ?? new Error('aborted')); // while it asked
      const queue = this.waiting.get(deviceId) ?? [];
      this.waiting.set(deviceId, queue);
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        const i = queue.indexOf(wake);
        if (i >= 0) queue.splice(i, 1);
        if (queue.length === 0 && this.waiting.get(deviceId) === queue) this.waiting.delete(deviceId);
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const wake = () => {
        done();
        resolve();
      };
      const onAbort = () => {
        done();
        reject(signal!.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // a waiter that lost its turn to a newcomer keeps its place at the front
      if (first) queue.push(wake);
      else queue.unshift(wake);
      if (poll) timer = setTimeout(wake, this.pollMs * (0.5 + Math.random()));
    });
  }

  /** Give back one of the device's slots this node holds; the first waiter here is woken. */
  release(deviceId: string): void {
    const tokens = this.held.get(deviceId);
    const token = tokens?.shift();
    if (!token) return;
    if (tokens!.length === 0) this.held.delete(deviceId);
    void this.store.release(slotKey(deviceId), token).then(() => {
      this.releases.set(deviceId, (this.releases.get(deviceId) ?? 0) + 1);
      this.waiting.get(deviceId)?.[0]?.();
    });
  }
}

function slotKey(deviceId: string): string {
  return `device:${deviceId}`;
}
