/**
 * Counted slots under a key ("at most N at once"): the sessions a device takes, the terminals a user
 * holds, a user's open sockets. One node keeps them in memory; a cluster keeps them in Redis
 * (lib/cluster/slots.ts) so that the cap holds across nodes, and a dead node's slots expire.
 *
 * A taken slot is a token; releasing it twice, or releasing a token that expired, does nothing.
 */
export interface SlotStore {
  /** Take one of `cap` slots under `key`: its token, or null when all are taken. Rejects when the store is unreachable. */
  take(key: string, cap: number): Promise<string | null>;
  /** Give the slot back (never rejects: a slot whose release fails expires on its own in a cluster). */
  release(key: string, token: string): Promise<void>;
  /** Slots taken under `key`, by every node. */
  count(key: string): Promise<number>;
  /** Whether other nodes share these slots (a waiter must then look again now and then). */
  readonly shared: boolean;
  close(): Promise<void>;
}

export class MemorySlotStore implements SlotStore {
  readonly shared = false;
  private readonly taken = new Map<string, Set<string>>();
  private seq = 0;

  async take(key: string, cap: number): Promise<string | null> {
    return this.takeNow(key, cap);
  }

  /** `take` without the promise (a single node's caps are decided synchronously). */
  takeNow(key: string, cap: number): string | null {
    const set = this.taken.get(key) ?? new Set<string>();
    if (set.size >= cap) return null;
    const token = String(++this.seq);
    set.add(token);
    this.taken.set(key, set);
    return token;
  }

  async release(key: string, token: string): Promise<void> {
    this.releaseNow(key, token);
  }

  releaseNow(key: string, token: string): void {
    const set = this.taken.get(key);
    if (!set?.delete(token)) return;
    if (set.size === 0) this.taken.delete(key);
  }

  async count(key: string): Promise<number> {
    return this.taken.get(key)?.size ?? 0;
  }

  async close(): Promise<void> {}
}
