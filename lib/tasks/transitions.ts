import type { PrismaClient } from '../db/generated/client';
import { TASK_DEVICE_UNFINISHED_STATUSES, type TaskDeviceOutcome } from './status';

/**
 * Every change of a task's or a task device's state, in one place. The executor, the task service
 * (cancel, retry) and start-up reconciliation call these; each keeps the task's counters and its
 * device rows consistent in one transaction.
 */

type Db = PrismaClient;
type TaskRow = Awaited<ReturnType<Db['task']['findUniqueOrThrow']>>;

export const CANCELLED_BEFORE_RUN_ERROR = 'Cancelled before it ran.';
export const CANCELLED_BY_USER_REASON = 'Cancelled by the user.';

/** The executor picks the task up (keeps the first start time of a resumed task). */
export async function markTaskRunning(db: Db, task: Pick<TaskRow, 'id' | 'startedAt'>): Promise<void> {
  await db.task.update({
    where: { id: task.id },
    data: { status: 'running', startedAt: task.startedAt ?? new Date() },
  });
}

/** A device starts running (counted as one more attempt). */
export async function markDeviceRunning(db: Db, rowId: string, startedAt: Date): Promise<void> {
  await db.taskDevice.update({
    where: { id: rowId },
    data: { status: 'running', startedAt, attempts: { increment: 1 } },
  });
}

/** A device has an outcome: store it and count it on the task, together. */
export async function recordDeviceOutcome(
  db: Db,
  taskId: string,
  rowId: string,
  outcome: { status: TaskDeviceOutcome; output: string; error: string | null; finishedAt: Date },
): Promise<void> {
  await db.$transaction([
    db.taskDevice.update({
      where: { id: rowId },
      data: {
        status: outcome.status,
        output: outcome.output,
        error: outcome.error,
        finishedAt: outcome.finishedAt,
      },
    }),
    db.task.update({
      where: { id: taskId },
      data: {
        completedDevices: { increment: 1 },
        ...(outcome.status === 'success' ? { succeededDevices: { increment: 1 } } : {}),
        ...(outcome.status === 'failed' ? { failedDevices: { increment: 1 } } : {}),
        ...(outcome.status === 'skipped' ? { skippedDevices: { increment: 1 } } : {}),
      },
    }),
  ]);
}

/** Every device has an outcome: the task completed, or failed when any device failed. */
export async function finishTask(db: Db, taskId: string, finishedAt = new Date()): Promise<TaskRow> {
  const t = await db.task.findUniqueOrThrow({ where: { id: taskId } });
  return db.task.update({
    where: { id: taskId },
    data: { status: t.failedDevices > 0 ? 'failed' : 'completed', finishedAt },
  });
}

/** A user asked to cancel (seen by an executor on any node at its next check). */
export async function requestCancel(db: Db, taskId: string): Promise<void> {
  await db.task.update({ where: { id: taskId }, data: { cancelRequested: true } });
}

/** Mark every device not yet finished as cancelled and the task cancelled. */
export async function finishCancelled(db: Db, taskId: string): Promise<TaskRow> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.taskDevice.updateMany({
      where: { taskId, status: { in: [...TASK_DEVICE_UNFINISHED_STATUSES] } },
      data: { status: 'cancelled', error: CANCELLED_BEFORE_RUN_ERROR, finishedAt: new Date() },
    });
    return tx.task.update({
      where: { id: taskId },
      data: {
        status: 'cancelled',
        completedDevices: { increment: count },
        finishedAt: new Date(),
        statusReason: CANCELLED_BY_USER_REASON,
      },
    });
  });
}

/** Devices caught running by a stop are failed with a reason (never silently re-run). */
export async function failRunningDevices(db: Db, taskId: string, error: string, at: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.taskDevice.updateMany({
      where: { taskId, status: 'running' },
      data: { status: 'failed', error, finishedAt: at },
    });
    if (count > 0) {
      await tx.task.update({
        where: { id: taskId },
        data: { failedDevices: { increment: count }, completedDevices: { increment: count } },
      });
    }
    return count;
  });
}

/** A task with pending devices goes back to the queue after a restart. */
export async function requeueTask(db: Db, taskId: string, reason: string): Promise<void> {
  await db.task.update({ where: { id: taskId }, data: { status: 'queued', statusReason: reason } });
}

/** A task that will not resume: its pending devices fail with `error`, the task is interrupted. */
export async function markInterrupted(
  db: Db,
  taskId: string,
  opts: { deviceError: string; reason: string; at: Date },
): Promise<void> {
  await db.$transaction(async (tx) => {
    const { count } = await tx.taskDevice.updateMany({
      where: { taskId, status: 'pending' },
      data: { status: 'failed', error: opts.deviceError, finishedAt: opts.at },
    });
    await tx.task.update({
      where: { id: taskId },
      data: {
        status: 'interrupted',
        statusReason: opts.reason,
        failedDevices: { increment: count },
        completedDevices: { increment: count },
        finishedAt: opts.at,
      },
    });
  });
}

/** Retry: failed devices become pending again and the task is queued; null when none failed. */
export async function resetFailedForRetry(db: Db, taskId: string): Promise<TaskRow | null> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.taskDevice.updateMany({
      where: { taskId, status: 'failed' },
      data: { status: 'pending', error: null, output: '[]', startedAt: null, finishedAt: null },
    });
    if (count === 0) return null;
    return tx.task.update({
      where: { id: taskId },
      data: {
        status: 'queued',
        statusReason: null,
        cancelRequested: false,
        finishedAt: null,
        failedDevices: { decrement: count },
        completedDevices: { decrement: count },
      },
    });
  });
}
