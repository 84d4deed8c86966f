import 'server-only';
import { audit } from '../audit';
import { getDb } from '../db/client';
import { getEventBus } from '../events';
import { getTaskQueue } from './queue';
import type { TaskDeps } from './service';

/** The task service's dependencies inside Next: the process-wide instances server.ts created. */
export function taskDeps(): TaskDeps {
  return { db: getDb(), queue: getTaskQueue(), bus: getEventBus(), audit };
}
