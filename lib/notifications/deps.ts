import 'server-only';
import { getDb } from '../db/client';
import { getEventBus } from '../events';
import { NotificationFeed } from './feed';

/** The feed inside Next, over the process-wide database client and event bus. */
export function getFeed(): NotificationFeed {
  return new NotificationFeed(getDb(), getEventBus());
}
