import { describe, expect, it, vi } from 'vitest';
import { MemorySlotStore, type SlotStore } from '../limits/slots';
import { DeviceSessionLimiter } from './limiter';

describe('device session slots on one node', () => {
  it('refuses past the cap (the device’s own, or the default) and frees on release', async () => {
    const slots = new DeviceSessionLimiter(2);
    expect(await slots.tryAcquire('d1')).toBe(true);
    expect(await slots.tryAcquire('d1')).toBe(true);
    expect(await slots.tryAcquire('d1')).toBe(false);
    expect(await slots.tryAcquire('d2', 1)).toBe(true);
    expect(await slots.tryAcquire('d2', 1)).toBe(false);
    slots.release('d1');
    expect(slots.count('d1')).toBe(1);
    expect(await slots.tryAcquire('d1')).toBe(true);
    // a release of a device it holds nothing of changes nothing
    slots.release('d3');
    expect(await slots.countAll('d1')).toBe(2);
  });

  it('waiters are served first come, first served as slots are released', async () => {
    const slots = new DeviceSessionLimiter(1);
    expect(await slots.tryAcquire('d1')).toBe(true);
    const order: number[] = [];
    const waiters = [1, 2, 3].map((n) => slots.acquire('d1').then(() => order.push(n)));
    for (let i = 0; i < 3; i++) {
      slots.release('d1');
      await waiters[i];
    }
    expect(order).toEqual([1, 2, 3]);
    expect(slots.count('d1')).toBe(1);
  });

  it('a waiter whose task is cancelled leaves the queue; the next one gets the slot', async () => {
    const slots = new DeviceSessionLimiter(1);
    expect(await slots.tryAcquire('d1')).toBe(true);
    const cancel = new AbortController();
    const first = slots.acquire('d1', cancel.signal);
    const second = slots.acquire('d1');
    cancel.abort(new Error('cancelled'));
    await expect(first).rejects.toThrow('cancelled');
    slots.release('d1');
    await second;
    expect(slots.count('d1')).toBe(1);
    // an aborted signal is refused before asking
    await expect(slots.acquire('d1', cancel.signal)).rejects.toThrow('cancelled');
  });

  it('a release while a waiter is still asking is not missed', async () => {
    // a store that decides at once but answers later, like Redis: the answer can be stale
    const memory = new MemorySlotStore();
    const answers: (() => void)[] = [];
    const answerAll = () => answers.splice(0).forEach((answer) => answer());
    const store: SlotStore = {
      shared: false,
      take: (key, cap) => {
        const token = memory.takeNow(key, cap);
        return new Promise((resolve) => answers.push(() => resolve(token)));
      },
      release: (key, token) => memory.release(key, token),
      count: (key) => memory.count(key),
      close: async () => {},
    };
    const slots = new DeviceSessionLimiter(1, store);
    const holding = slots.tryAcquire('d1');
    answerAll();
    expect(await holding).toBe(true);
    const waiting = slots.acquire('d1'); // decided "full"; the answer is on its way
    slots.release('d1');
    await Promise.resolve(); // the release is done before the stale answer arrives
    answerAll();
    // the waiter saw the release and asks again at once instead of waiting for another release
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    answerAll();
    await waiting;
    expect(slots.count('d1')).toBe(1);
  });
});
