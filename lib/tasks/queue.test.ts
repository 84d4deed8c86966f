import { describe, expect, it } from 'vitest';
import { InProcessTaskQueue } from './queue';

/** A queue whose runner only records starts; each task finishes when the test says so. */
function fakeQueue(maxRunning: number) {
  const q = new InProcessTaskQueue(maxRunning);
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  q.process(
    (id, signal) =>
      new Promise<void>((resolve) => {
        started.push(id);
        finish.set(id, resolve);
        signal.addEventListener('abort', () => resolve());
      }),
  );
  const done = async (id: string) => {
    finish.get(id)!();
    await new Promise((r) => setImmediate(r));
  };
  return { q, started, done };
}

describe('task queue fair share', () => {
  it("one owner's backlog does not starve another: B's task takes the next free slot", async () => {
    const { q, started, done } = fakeQueue(4);
    for (let i = 0; i < 10; i++) await q.enqueue(`a${i}`, 'userA');
    expect(started).toEqual(['a0', 'a1', 'a2', 'a3']); // nobody else waits: A may use every slot
    await q.enqueue('b0', 'userB');
    await done('a0');
    expect(started).toEqual(['a0', 'a1', 'a2', 'a3', 'b0']);
    await done('a1');
    expect(started.at(-1)).toBe('a4');
    await q.close();
  });

  it('the next slot goes to the waiting owner with the fewest running tasks', async () => {
    const { q, started, done } = fakeQueue(3);
    for (let i = 0; i < 5; i++) await q.enqueue(`a${i}`, 'A');
    await q.enqueue('b0', 'B');
    await q.enqueue('b1', 'B');
    await q.enqueue('c0', 'C');
    expect(started).toEqual(['a0', 'a1', 'a2']);
    await done('a0'); // running: A2; waiting owners B (0 running) and C (0): first come, B
    expect(started.at(-1)).toBe('b0');
    await done('a1'); // running: A1 B1; C has none
    expect(started.at(-1)).toBe('c0');
    await done('a2'); // running: B1 C1; A has none now
    expect(started.at(-1)).toBe('a3');
    await done('b0'); // running: A1 C1; B (0) before A (1)
    expect(started.at(-1)).toBe('b1');
    expect(q.stats()).toEqual({ queued: 1, running: 3 });
    await q.close();
  });

  it('tasks of one owner keep their order, and a queued task can still be cancelled', async () => {
    const { q, started, done } = fakeQueue(1);
    for (const id of ['a0', 'a1', 'a2']) await q.enqueue(id, 'A');
    await q.enqueue('b0', 'B');
    expect(await q.cancel('a1')).toBe('queued');
    await done('a0');
    await done('b0');
    expect(started).toEqual(['a0', 'b0', 'a2']);
    await q.close();
  });
});
