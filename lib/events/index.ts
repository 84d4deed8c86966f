export type { EventBus, EventMap, Handler, Topic } from './types';
export { InProcessEventBus } from './in-process';
export {
  RedisEventBus,
  EventBusUnavailableError,
  EVENT_PUBLISH_TIMEOUT_MS,
  EVENT_LIVENESS_PING_MS,
  type RedisEventBusOptions,
  type ReconnectEvent,
} from './redis';
