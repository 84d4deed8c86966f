import { describe, expect, it, vi } from 'vitest';
import { InProcessEventBus } from './in-process';
import type { EventMap } from './types';

const status = (deviceId: string): EventMap['device.status.changed'] => ({
  deviceId,
  status: 'offline',
  previous: 'online',
  at: new Date(0).toISOString(),
});

describe('in-process event bus', () => {
  it('delivers to every subscriber of the topic only, in publish order', async () => {
    const bus = new InProcessEventBus();
    const a: string[] = [];
    const b: string[] = [];
    bus.subscribe('device.status.changed', (e) => void a.push(e.deviceId));
    bus.subscribe('device.status.changed', (e) => void b.push(e.deviceId));
    bus.subscribe('notification.created', () => void a.push('wrong topic'));
    await bus.publish('device.status.changed', status('d1'));
    await bus.publish('device.status.changed', status('d2'));
    expect(a).toEqual(['d1', 'd2']);
    expect(b).toEqual(['d1', 'd2']);
  });

  it('a throwing or rejecting subscriber neither breaks the publisher nor the others', async () => {
    const errors = vi.fn();
    const bus = new InProcessEventBus({ onSubscriberError: errors });
    const got: string[] = [];
    bus.subscribe('device.status.changed', () => {
      throw new Error('sync boom');
    });
    bus.subscribe('device.status.changed', async () => {
      throw new Error('async boom');
    });
    bus.subscribe('device.status.changed', (e) => void got.push(e.deviceId));
    await expect(bus.publish('device.status.changed', status('d1'))).resolves.toBeUndefined();
    await vi.waitFor(() => expect(errors).toHaveBeenCalledTimes(2));
    expect(got).toEqual(['d1']);
  });

  it('unsubscribe stops delivery; close drops everything', async () => {
    const bus = new InProcessEventBus();
    const got: string[] = [];
    const off = bus.subscribe('device.status.changed', (e) => void got.push(e.deviceId));
    await bus.publish('device.status.changed', status('d1'));
    off();
    await bus.publish('device.status.changed', status('d2'));
    expect(got).toEqual(['d1']);
    expect(bus.listenerCount('device.status.changed')).toBe(0);
    bus.subscribe('device.status.changed', (e) => void got.push(e.deviceId));
    await bus.close();
    await bus.publish('device.status.changed', status('d3'));
    expect(got).toEqual(['d1']);
  });
});
