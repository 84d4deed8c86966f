import type { EventBus, EventMap, Handler, Topic } from './types';

export interface InProcessBusOptions {
  onSubscriberError?: (err: unknown, topic: Topic) => void;
}

/** The single-node bus: subscribers in this process, called on a later microtask. */
export class InProcessEventBus implements EventBus {
  private readonly handlers = new Map<Topic, Set<Handler<Topic>>>();
  private closed = false;

  constructor(private readonly opts: InProcessBusOptions = {}) {}

  async publish<K extends Topic>(topic: K, payload: EventMap[K]): Promise<void> {
    if (this.closed) return;
    const set = this.handlers.get(topic);
    if (!set || set.size === 0) return;
    await Promise.resolve();
    for (const handler of [...set]) {
      try {
        const r = (handler as Handler<K>)(payload);
        if (r && typeof (r as Promise<void>).catch === 'function') {
          (r as Promise<void>).catch((err: unknown) => this.opts.onSubscriberError?.(err, topic));
        }
      } catch (err) {
        this.opts.onSubscriberError?.(err, topic);
      }
    }
  }

  subscribe<K extends Topic>(topic: K, handler: Handler<K>): () => void {
    let set = this.handlers.get(topic);
    if (!set) this.handlers.set(topic, (set = new Set()));
    set.add(handler as Handler<Topic>);
    return () => {
      set.delete(handler as Handler<Topic>);
    };
  }

  listenerCount(topic: Topic): number {
    return this.handlers.get(topic)?.size ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
  }
}
