import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventBus, EventMap, Topic } from './types';

/**
 * The behaviour every EventBus implementation owes its callers, as vitest cases (test-only module):
 * `lib/events/contract.test.ts` runs it against the in-process and the Redis bus.
 */

export interface ContractHooks {
  onSubscriberError?: (err: unknown, topic: Topic) => void;
}

export interface BusUnderTest {
  name: string;
  /**
   * `count` nodes sharing one medium. A single-node implementation returns its one bus `count`
   * times: every case then holds for one node, which is all that bus promises.
   */
  open(count: number, hooks?: ContractHooks): Promise<EventBus[]>;
  /** Until what the buses subscribed so far is in effect (Redis: SUBSCRIBE confirmed). */
  settle(buses: EventBus[]): Promise<void>;
}

export const status = (deviceId: string): EventMap['device.status.changed'] => ({
  deviceId,
  status: 'offline',
  previous: 'online',
  at: new Date(0).toISOString(),
});

const distinct = (buses: EventBus[]) => [...new Set(buses)];

export function eventBusContract(impl: BusUnderTest): void {
  describe(`event bus contract: ${impl.name}`, () => {
    const opened: EventBus[] = [];
    const open = async (count: number, hooks?: ContractHooks) => {
      const buses = await impl.open(count, hooks);
      opened.push(...buses);
      return buses;
    };
    afterEach(async () => {
      await Promise.all(distinct(opened.splice(0)).map((b) => b.close()));
    });

    /**
     * Until every publish that has resolved so far is delivered on every live node: a marker
     * published after them arrives after them (one order per medium).
     */
    async function drain(buses: EventBus[]): Promise<void> {
      const live = distinct(buses);
      if (live.length === 0) return;
      const marker = `drain-${Math.random()}`;
      const seen = live.map(() => false);
      const offs = live.map((bus, i) =>
        bus.subscribe('notification.read', (e) => {
          if (e.userId === marker) seen[i] = true;
        }),
      );
      await impl.settle(live);
      await live[0].publish('notification.read', { userId: marker, unread: 0 });
      await vi.waitFor(() => expect(seen.every(Boolean)).toBe(true), { timeout: 5_000 });
      offs.forEach((off) => off());
    }

    it('delivers every event to every subscriber of its topic on every node, in publish order', async () => {
      const [a, b] = await open(2);
      const gotA: string[] = [];
      const gotB: string[] = [];
      const other: string[] = [];
      a.subscribe('device.status.changed', (e) => void gotA.push(e.deviceId));
      b.subscribe('device.status.changed', (e) => void gotB.push(e.deviceId));
      b.subscribe('notification.created', (e) => void other.push(e.id));
      await impl.settle([a, b]);
      const ids = Array.from({ length: 20 }, (_, i) => `d${i}`);
      for (const id of ids.slice(0, 10)) await a.publish('device.status.changed', status(id));
      // not awaited one by one: the order of the calls is the order of delivery
      await Promise.all(ids.slice(10).map((id) => a.publish('device.status.changed', status(id))));
      await a.publish('notification.created', { userId: 'u1', seq: 1, id: 'n1' });
      await vi.waitFor(() => expect(other).toEqual(['n1']), { timeout: 5_000 });
      expect(gotA).toEqual(ids);
      expect(gotB).toEqual(ids);
    });

    it('a subscriber of this node receives what this node publishes right after subscribing', async () => {
      const [a] = await open(1);
      const got: string[] = [];
      a.subscribe('device.status.changed', (e) => void got.push(e.deviceId));
      await a.publish('device.status.changed', status('d1'));
      await vi.waitFor(() => expect(got).toEqual(['d1']), { timeout: 5_000 });
    });

    it('publishing with no subscriber anywhere resolves', async () => {
      const [a] = await open(1);
      await expect(a.publish('device.status.changed', status('d1'))).resolves.toBeUndefined();
    });

    it('a throwing or rejecting subscriber neither breaks the publisher nor the others', async () => {
      const errors = vi.fn();
      const [a, b] = await open(2, { onSubscriberError: errors });
      const got: string[] = [];
      for (const bus of distinct([a, b])) {
        bus.subscribe('device.status.changed', () => {
          throw new Error('sync boom');
        });
        bus.subscribe('device.status.changed', async () => {
          throw new Error('async boom');
        });
      }
      b.subscribe('device.status.changed', (e) => void got.push(e.deviceId));
      await impl.settle([a, b]);
      await expect(a.publish('device.status.changed', status('d1'))).resolves.toBeUndefined();
      await expect(a.publish('device.status.changed', status('d2'))).resolves.toBeUndefined();
      await vi.waitFor(() => expect(got).toEqual(['d1', 'd2']), { timeout: 5_000 });
      const expected = 2 * 2 * distinct([a, b]).length;
      await vi.waitFor(() => expect(errors).toHaveBeenCalledTimes(expected), { timeout: 5_000 });
      expect(errors.mock.calls.map(([err, topic]) => [(err as Error).message, topic])).toContainEqual([
        'async boom',
        'device.status.changed',
      ]);
    });

    it('unsubscribe stops delivery to that subscriber only and may be called twice', async () => {
      const [a, b] = await open(2);
      const gone: string[] = [];
      const kept: string[] = [];
      const off = b.subscribe('device.status.changed', (e) => void gone.push(e.deviceId));
      b.subscribe('device.status.changed', (e) => void kept.push(e.deviceId));
      await impl.settle([a, b]);
      await a.publish('device.status.changed', status('d1'));
      await vi.waitFor(() => expect(gone).toEqual(['d1']), { timeout: 5_000 });
      off();
      off();
      await a.publish('device.status.changed', status('d2'));
      await vi.waitFor(() => expect(kept).toEqual(['d1', 'd2']), { timeout: 5_000 });
      expect(gone).toEqual(['d1']);
    });

    it('a subscriber that unsubscribes itself during delivery does not disturb the others', async () => {
      const [a] = await open(1);
      const once: string[] = [];
      const all: string[] = [];
      const off = a.subscribe('device.status.changed', (e) => {
        once.push(e.deviceId);
        off();
      });
      a.subscribe('device.status.changed', (e) => void all.push(e.deviceId));
      await impl.settle([a]);
      await a.publish('device.status.changed', status('d1'));
      await a.publish('device.status.changed', status('d2'));
      await vi.waitFor(() => expect(all).toEqual(['d1', 'd2']), { timeout: 5_000 });
      expect(once).toEqual(['d1']);
    });

    it('the last unsubscribe of a topic ends its delivery; subscribing again resumes it', async () => {
      const [a, b] = await open(2);
      const got: string[] = [];
      const off = b.subscribe('device.status.changed', (e) => void got.push(`first:${e.deviceId}`));
      await impl.settle([a, b]);
      await a.publish('device.status.changed', status('d1'));
      await vi.waitFor(() => expect(got).toEqual(['first:d1']), { timeout: 5_000 });
      off();
      await impl.settle([b]);
      await a.publish('device.status.changed', status('d2'));
      await drain([a, b]);
      expect(got).toEqual(['first:d1']);
      b.subscribe('device.status.changed', (e) => void got.push(`again:${e.deviceId}`));
      await impl.settle([b]);
      await a.publish('device.status.changed', status('d3'));
      await vi.waitFor(() => expect(got).toEqual(['first:d1', 'again:d3']), { timeout: 5_000 });
    });

    it('payloads arrive as the same plain JSON', async () => {
      const [a, b] = await open(2);
      const got: EventMap['task.status.changed'][] = [];
      b.subscribe('task.status.changed', (e) => void got.push(e));
      await impl.settle([a, b]);
      const payload: EventMap['task.status.changed'] = {
        taskId: 't-1',
        ownerId: 'u-1',
        status: 'running',
        progress: 42.5,
        currentDevice: null,
        totalDevices: 3,
        completedDevices: 1,
        failedDevices: 0,
        timestamp: new Date(1_700_000_000_000).toISOString(),
        devices: [
          {
            deviceId: 'd-1',
            deviceName: '核心交换机-01 "edge"\n',
            status: 'success',
            error: null,
            durationMs: 1234,
            output: JSON.stringify(['display version', 'x'.repeat(100_000), '\u0000\u2028😀']),
          },
        ],
        final: false,
      };
      await a.publish('task.status.changed', payload);
      await vi.waitFor(() => expect(got).toHaveLength(1), { timeout: 5_000 });
      expect(got[0]).toEqual(payload);
    });

    it('after close nothing is delivered on that node and publishing there does nothing', async () => {
      const [a, b] = await open(2);
      const onA: string[] = [];
      const onB: string[] = [];
      a.subscribe('device.status.changed', (e) => void onA.push(e.deviceId));
      b.subscribe('device.status.changed', (e) => void onB.push(e.deviceId));
      await impl.settle([a, b]);
      await a.close();
      await expect(a.publish('device.status.changed', status('from-closed'))).resolves.toBeUndefined();
      const live = distinct([b]).filter((bus) => bus !== a);
      for (const bus of live) await bus.publish('device.status.changed', status('to-closed'));
      await drain(live);
      expect(onA).toEqual([]);
      expect(onB).toEqual(live.length > 0 ? ['to-closed'] : []);
    });
  });
}
