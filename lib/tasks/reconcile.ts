import type { Logger } from 'pino';
import type { PrismaClient } from '../db/generated/client';
import { finishCancelled } from './executor';
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
    where: { status: { in: ['queued', 'running'] } },
    orderBy: { createdAt: 'asc' },
  });
  for (const task of tasks) {
    const now = new Date();
    await db.$transaction(async (tx) => {
      const { count } = await tx.taskDevice.updateMany({
        where: { taskId: task.id, status: 'running' },
        data: { status: 'failed', error: INTERRUPTED_DEVICE_ERROR, finishedAt: now },
      });
      if (count > 0) {
        await tx.task.update({
          where: { id: task.id },
          data: { failedDevices: { increment: count }, completedDevices: { increment: count } },
        });
      }
    });
    if (task.cancelRequested) {
      await finishCancelled(db, task.id);
      out.finished.push(task.id);
      continue;
    }
    const pending = await db.taskDevice.count({ where: { taskId: task.id, status: 'pending' } });
    if (pending === 0) {
      const t = await db.task.findUniqueOrThrow({ where: { id: task.id } });
      await db.task.update({
        where: { id: task.id },
        data: { status: t.failedDevices > 0 ? 'failed' : 'completed', finishedAt: now },
      });
      out.finished.push(task.id);
    } else if (opts.resume) {
      await db.task.update({
        where: { id: task.id },
        data: { status: 'queued', statusReason: 'Resumed after a server restart.' },
      });
      await queue.enqueue(task.id);
      out.resumed.push(task.id);
    } else {
      await db.$transaction([
        db.taskDevice.updateMany({
          where: { taskId: task.id, status: 'pending' },
          data: {
            status: 'failed',
            error: 'Not run: the server restarted and resuming tasks is off.',
            finishedAt: now,
          },
        }),
        db.task.update({
          where: { id: task.id },
          data: {
            status: 'interrupted',
            statusReason: 'The server restarted before the task finished (TASKS_RESUME_ON_START=off).',
            failedDevices: { increment: pending },
            completedDevices: { increment: pending },
            finishedAt: now,
          },
        }),
      ]);
      out.interrupted.push(task.id);
    }
  }
  if (tasks.length > 0) log.info(out, 'tasks reconciled at start-up');
  return out;
}
