import { afterEach, describe, expect, it, vi } from 'vitest';
import { startPortal } from './harness';

// the V8 call itself is checked in lib/server/heap.test.ts (a name V8 knows); here, that the runtime
// makes it, with the configured value, as server.ts, the tests and the benchmarks start it
const applied = vi.hoisted(() => [] as number[]);
vi.mock('../lib/server/heap', () => ({ setHeapGrowth: (percent: number) => applied.push(percent) }));

describe('the runtime sets the heap growth at start-up', () => {
  afterEach(() => {
    applied.length = 0;
  });

  it('to production’s 100 unless configured', async () => {
    const p = await startPortal({ lab: [] });
    try {
      expect(applied).toEqual([100]);
    } finally {
      await p.close();
    }
  });

  it('to HEAP_GROWING_PERCENT, 0 included (V8 decides)', async () => {
    const p = await startPortal({ lab: [], tunables: { HEAP_GROWING_PERCENT: 0 } });
    try {
      expect(applied).toEqual([0]);
    } finally {
      await p.close();
    }
  });
});
