import type { Logger } from 'pino';
import type { PrismaClient } from '../db/generated/client';
import { TASK_ACTIVE_STATUSES } from './status';
import { failRunningDevices, finishCancelled, finishTask, markInterrupted, requeueTask } from './transitions';
import type { TaskQueue } from './queue';
import type { ClusterNodes } from '../cluster/nodes';

export const INTERRUPTED_DEVICE_ERROR =
  'Interrupted: the server stopped while this device was running; not re-run automatically (use Retry failed).';

/**
 * No task may stay "running" forever. Devices caught mid-run are failed with a reason (their
 * commands may have partly run, so they are never repeated silently); the task then resumes for its
 * pending devices, or is marked interrupted when resuming is off.
 *
 * One node alone runs this at start-up, when nothing runs yet: every unfinished task is its to mend.
 * In a cluster (`cluster`) it runs at start-up and then periodically on one node, and touches only
 * work nobody has: a task the queue holds (waiting, or running on any node) or whose node is alive
 * is left alone; one whose node is gone and whose job vanished (Redis restarted without its data)
 * is mended and queued again. Tasks younger than `minAgeMs` are skipped: their job may be on its way.
 */
export async function reconcileTasks(
  db: PrismaClient,
  queue: TaskQueue,
  log: Logger,
  opts: { resume: boolean; cluster?: { nodes: ClusterNodes; minAgeMs: number } },
): Promise<{ resumed: string[]; interrupted: string[]; finished: string[] }> {
  const out = { resumed: [] as string[], interrupted: [] as string[], finished: [] as string[] };
  const tasks = await db.task.findMany({
    where: { status: { in: [...TASK_ACTIVE_STATUSES] } },
    orderBy: { createdAt: 'asc' },
  });
  for (const task of tasks) {
    const now = new Date();
    if (opts.cluster) {
      const { nodes, minAgeMs } = opts.cluster;
      if (now.getTime() - task.createdAt.getTime() < minAgeMs) continue;
      if (await queue.holds(task.id)) continue;
      if (task.nodeId !== null && task.nodeId !== nodes.self && (await nodes.isAlive(task.nodeId))) continue;
    }
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
      await requeueTask(
        db,
        task.id,
        opts.cluster ? 'Resumed: the node running it stopped.' : 'Resumed after a server restart.',
      );
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
  if (out.resumed.length + out.interrupted.length + out.finished.length > 0)
    log.info(out, 'tasks reconciled');
  return out;
}
