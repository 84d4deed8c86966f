import type { Logger } from 'pino';
import type { PrismaClient } from '../db/generated/client';
import { TASK_ACTIVE_STATUSES } from './status';
import { failRunningDevices, finishCancelled, finishTask, markInterrupted, requeueTask } from './transitions';
import type { TaskQueue } from './queue';

export const INTERRUPTED_DEVICE_ERROR =
  'Interrupted: the server stopped while this device was running; not re-run automatically (use Retry failed).';

/**
 * At start-up no task may stay "running" forever. Devices caught mid-run are failed with a reason
 * (their commands may have partly run, so they are never repeated silently); the task then resumes
 * for its pending devices, or is marked interrupted when resuming is off.
 */
export async function reconcileTasks(
  db: PrismaClient,
  queue: TaskQueue,
  log: Logger,
  opts: { resume: boolean },
): Promise<{ resumed: string[]; interrupted: string[]; finished: string[] }> {
  const out = { resumed: [] as string[], interrupted: [] as string[], finished: [] as string[] };
  const tasks = await db.task.findMany({
    where: { status: { in: [...TASK_ACTIVE_STATUSES] } },
    orderBy: { createdAt: 'asc' },
  });
  for (const task of tasks) {
    const now = new Date();
    await failRunningDevices(db, task.id, INTERRUPTED_DEVICE_ERROR, now);
    if (task.cancelRequested) {
      await finishCancelled(db, task.id);
      out.finished.push(task.id);
      continue;
    }
    const pending = await db.taskDevice.count({ where: { taskId: task.id, status: 'pending' } });
    if (pending === 0) {
      await finishTask(db, task.id, now);
      out.finished.push(task.id);
    } else if (opts.resume) {
      await requeueTask(db, task.id, 'Resumed after a server restart.');
      await queue.enqueue(task.id, task.ownerId);
      out.resumed.push(task.id);
    } else {
      await markInterrupted(db, task.id, {
        deviceError: 'Not run: the server restarted and resuming tasks is off.',
        reason: 'The server restarted before the task finished (TASKS_RESUME_ON_START=off).',
        at: now,
      });
      out.interrupted.push(task.id);
    }
  }
  if (tasks.length > 0) log.info(out, 'tasks reconciled at start-up');
  return out;
}
