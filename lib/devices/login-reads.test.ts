import { describe, expect, it } from 'vitest';
import { Coalescer } from './login-reads';

/** A coalescer whose loads the test ends by hand, and whose deferred flushes run when it says. */
function harness() {
  const deferred: (() => void)[] = [];
  const loads: { key: string; items: string[]; end(result?: string): void; fail(err: Error): void }[] = [];
  const c = new Coalescer<string, string, string>(
    (key, items) =>
      new Promise((resolve, reject) =>
        loads.push({
          key,
          items,
          end: (result = `${key}:${items.join(',')}`) => resolve(result),
          fail: reject,
        }),
      ),
    (fn) => deferred.push(fn),
  );
  const flush = () => {
    for (const fn of deferred.splice(0)) fn();
  };
  const settle = () => new Promise((r) => setImmediate(r));
  return { c, loads, flush, settle };
}

describe('Coalescer', () => {
  it('requests of one turn share one load, per key', async () => {
    const { c, loads, flush } = harness();
    const a = c.request('alice', 'd1');
    const b = c.request('alice', 'd2');
    const same = c.request('alice', 'd1');
    const other = c.request('bob', 'd1');
    expect(loads).toHaveLength(0);
    flush();
    expect(loads.map((l) => [l.key, l.items])).toEqual([
      ['alice', ['d1', 'd2']],
      ['bob', ['d1']],
    ]);
    for (const l of loads) l.end();
    expect(await Promise.all([a, b, same, other])).toEqual([
      'alice:d1,d2',
      'alice:d1,d2',
      'alice:d1,d2',
      'bob:d1',
    ]);
  });

  it('a request made while a load runs is answered by the next load, which starts after that one ends', async () => {
    const { c, loads, flush, settle } = harness();
    const first = c.request('alice', 'd1');
    flush();
    const late = c.request('alice', 'd2');
    const later = c.request('alice', 'd3');
    flush();
    // not answered from the running load (it may have read before the request), nor a second load beside it
    expect(loads).toHaveLength(1);
    loads[0]!.end();
    expect(await first).toBe('alice:d1');
    await settle();
    flush();
    expect(loads.map((l) => l.items)).toEqual([['d1'], ['d2', 'd3']]);
    loads[1]!.end();
    expect(await Promise.all([late, later])).toEqual(['alice:d2,d3', 'alice:d2,d3']);
  });

  it('a failed load fails its own requests only; the next load runs', async () => {
    const { c, loads, flush, settle } = harness();
    const a = c.request('alice', 'd1');
    flush();
    const b = c.request('alice', 'd2');
    loads[0]!.fail(new Error('database is locked'));
    await expect(a).rejects.toThrow('database is locked');
    await settle();
    flush();
    loads[1]!.end();
    expect(await b).toBe('alice:d2');
  });

  it('by default gathers what is asked in the same event-loop turn', async () => {
    const seen: string[][] = [];
    const c = new Coalescer<string, string, number>(async (_k, items) => {
      seen.push(items);
      return items.length;
    });
    const now = [c.request('u', 'a'), c.request('u', 'b')];
    await Promise.resolve();
    now.push(c.request('u', 'c')); // a microtask later: still this turn
    expect(await Promise.all(now)).toEqual([3, 3, 3]);
    expect(await c.request('u', 'd')).toBe(1);
    expect(seen).toEqual([['a', 'b', 'c'], ['d']]);
  });
});
