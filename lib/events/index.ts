import { InProcessEventBus } from './in-process';
import type { EventBus } from './types';

export type { EventBus, EventMap, Handler, Topic } from './types';
export { InProcessEventBus } from './in-process';

const globalForBus = globalThis as unknown as { __switchboardBus?: EventBus };

/** The process's event bus, created by server.ts; Server Actions publish through the same one. */
export function setEventBus(bus: EventBus | undefined): void {
  globalForBus.__switchboardBus = bus;
}

export function getEventBus(): EventBus {
  globalForBus.__switchboardBus ??= new InProcessEventBus();
  return globalForBus.__switchboardBus;
}
