import { afterEach, describe, expect, it, vi } from 'vitest';
import { HopPool } from './hop-pool';

interface Fake {
  id: number;
  closed: boolean;
  gone?: () => void;
}

function pool(idleMs = 1000) {
  let n = 0;
  const opened: Fake[] = [];
  const p = new HopPool<Fake>({
    close: (c) => {
      c.closed = true;
    },
    onClose: (c, gone) => {
      c.gone = gone;
    },
    idleMs,
  });
  const open = () => {
    const c = { id: ++n, closed: false };
    opened.push(c);
    return Promise.resolve(c);
  };
  return { p, open, opened };
}

afterEach(() => vi.useRealTimers());

describe('HopPool', () => {
  it('shares one connection among concurrent logins, also while it is still opening', async () => {
    const { p, open, opened } = pool();
    const [a, b, c] = await Promise.all([p.acquire('hop', open), p.acquire('hop', open), p.acquire('hop', open)]);
    expect(opened).toHaveLength(1);
    expect(a.conn).toBe(b.conn);
    expect(c.conn).toBe(a.conn);
    // another key (another hop, or the same hop after its row changed) is another connection
    const other = await p.acquire('hop@2', open);
    expect(other.conn).not.toBe(a.conn);
    expect(p.size).toBe(2);
  });

  it('closes a connection only after the idle time with nobody using it; a login in between keeps it', async () => {
    vi.useFakeTimers();
    const { p, open, opened } = pool(1000);
    const a = await p.acquire('hop', open);
    a.release();
    a.release(); // twice is once
    vi.advanceTimersByTime(900);
    const b = await p.acquire('hop', open);
    expect(b.conn).toBe(a.conn);
    b.release();
    vi.advanceTimersByTime(999);
    expect(opened[0]!.closed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(opened[0]!.closed).toBe(true);
    expect(p.size).toBe(0);
    const c = await p.acquire('hop', open);
    expect(c.conn.id).toBe(2);
  });

  it('forgets a connection the bastion closed, and one that failed to open (every waiter gets the error)', async () => {
    const { p, open, opened } = pool();
    const a = await p.acquire('hop', open);
    opened[0]!.gone!();
    const b = await p.acquire('hop', open);
    expect(b.conn).not.toBe(a.conn);

    let fail!: (e: Error) => void;
    const failing = () => new Promise<Fake>((_, reject) => (fail = reject));
    const w1 = p.acquire('bad', failing);
    const w2 = p.acquire('bad', failing);
    fail(new Error('refused'));
    await expect(w1).rejects.toThrow('refused');
    await expect(w2).rejects.toThrow('refused');
    const ok = await p.acquire('bad', open);
    expect(ok.conn.closed).toBe(false);
  });

  it('closeAll closes every connection', async () => {
    const { p, open, opened } = pool();
    await p.acquire('a', open);
    await p.acquire('b', open);
    p.closeAll();
    await Promise.resolve();
    expect(opened.every((c) => c.closed)).toBe(true);
    expect(p.size).toBe(0);
  });
});
