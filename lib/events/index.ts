export type { EventBus, EventMap, Handler, Topic } from './types';
export { InProcessEventBus } from './in-process';
