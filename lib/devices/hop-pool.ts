/**
 * Shared connections to jump hosts. Many logins through one bastion ride one authenticated SSH
 * connection (one handshake, one of the bastion's `MaxStartups` slots; each login is a `direct-tcpip`
 * channel on it), as `ssh -J` with ControlMaster does. A batch task at concurrency 50 through a
 * default OpenSSH bastion would otherwise open 50 handshakes at once and have some dropped.
 *
 * A connection is kept while any login uses it and for `JUMP_HOST_IDLE_MS` after the last one lets
 * go (the next device of a task reuses it). The key names the hop and every hop before it, with the
 * time each row last changed, so new credentials, address or host key mean a new connection.
 */

/** How long an unused jump-host connection stays open for the next login. */
export const JUMP_HOST_IDLE_MS = 30_000;

export interface Pooled<C> {
  conn: C;
  /** This login is done with it (the connection closes after the idle time if nobody else uses it). */
  release(): void;
}

interface Entry<C> {
  conn: Promise<C>;
  users: number;
  idle: NodeJS.Timeout | null;
  dead: boolean;
}

export class HopPool<C> {
  private readonly entries = new Map<string, Entry<C>>();

  constructor(
    private readonly ops: {
      /** Close a connection for good. */
      close(conn: C): void;
      /** Call `gone` once when the connection ends by itself (the bastion went away). */
      onClose(conn: C, gone: () => void): void;
      idleMs?: number;
    },
  ) {}

  /**
   * The shared connection for `key`, opened with `open` by the first login that needs it; logins that
   * arrive while it opens wait for the same attempt. A failed open is forgotten (the next login tries
   * again) and its error reaches every waiter.
   */
  async acquire(key: string, open: () => Promise<C>): Promise<Pooled<C>> {
    let entry = this.entries.get(key);
    if (!entry || entry.dead) {
      const fresh: Entry<C> = { conn: open(), users: 0, idle: null, dead: false };
      entry = fresh;
      this.entries.set(key, fresh);
      fresh.conn.then(
        (c) =>
          this.ops.onClose(c, () => {
            fresh.dead = true;
            if (fresh.idle) clearTimeout(fresh.idle);
            if (this.entries.get(key) === fresh) this.entries.delete(key);
          }),
        () => {
          fresh.dead = true;
          if (this.entries.get(key) === fresh) this.entries.delete(key);
        },
      );
    }
    const e = entry;
    e.users++;
    if (e.idle) {
      clearTimeout(e.idle);
      e.idle = null;
    }
    let conn: C;
    try {
      conn = await e.conn;
    } catch (err) {
      e.users--;
      throw err;
    }
    let released = false;
    return {
      conn,
      release: () => {
        if (released) return;
        released = true;
        e.users--;
        if (e.users > 0 || e.dead) return;
        e.idle = setTimeout(() => {
          if (e.users > 0) return;
          e.dead = true;
          if (this.entries.get(key) === e) this.entries.delete(key);
          this.ops.close(conn);
        }, this.ops.idleMs ?? JUMP_HOST_IDLE_MS);
        e.idle.unref();
      },
    };
  }

  /** Open connections (for tests and metrics). */
  get size(): number {
    return [...this.entries.values()].filter((e) => !e.dead).length;
  }

  /** Close every connection (shutdown). */
  closeAll(): void {
    for (const [key, e] of this.entries) {
      e.dead = true;
      if (e.idle) clearTimeout(e.idle);
      this.entries.delete(key);
      e.conn.then((c) => this.ops.close(c), () => {});
    }
  }
}
