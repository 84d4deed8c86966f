import type { EventBus } from './types';

export type { EventBus, EventMap, Handler, Topic } from './types';
export { InProcessEventBus } from './in-process';

const globalForBus = globalThis as unknown as { __switchboardBus?: EventBus };

/** The process's event bus, created by server.ts; Server Actions publish through the same one. */
export function setEventBus(bus: EventBus | undefined): void {
  globalForBus.__switchboardBus = bus;
}

export function getEventBus(): EventBus {
  const bus = globalForBus.__switchboardBus;
  if (!bus) throw new Error('the event bus is not running in this process');
  return bus;
}
