import { randomUUID } from 'node:crypto';
import { eventBusContract } from './contract';
import { InProcessEventBus } from './in-process';
import { RedisEventBus } from './redis';

/** The machine's Redis; each run has its own prefix, so nothing here meets another run's events. */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `sb-test-${randomUUID().slice(0, 8)}:`;

eventBusContract({
  name: 'in-process',
  open: async (count, hooks) => {
    const bus = new InProcessEventBus(hooks);
    return Array.from({ length: count }, () => bus);
  },
  settle: async () => {},
});

eventBusContract({
  name: 'redis',
  open: (count, hooks) =>
    Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const bus = new RedisEventBus({ url: REDIS_URL, prefix, nodeId: `contract-${i}`, ...hooks });
        await bus.ready();
        return bus;
      }),
    ),
  settle: async (buses) => {
    await Promise.all(buses.map((b) => (b as RedisEventBus).subscriptionsSettled()));
  },
});
