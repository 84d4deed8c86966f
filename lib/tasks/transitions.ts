import { randomUUID } from 'node:crypto';
import { Prisma, type PrismaClient } from '../db/generated/client';
import { isPostgres } from '../db/dialect';
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
export async function markTaskRunning(
  db: Db,
  task: Pick<TaskRow, 'id' | 'startedAt' | 'status'>,
): Promise<void> {
  if (task.status === 'running' && task.startedAt) return; // taken over while running: nothing changes
  await db.task.update({
    where: { id: task.id },
    data: { status: 'running', startedAt: task.startedAt ?? new Date() },
  });
}

/** Rows per INSERT of a new task's devices: 4 bound values per row. */
const INSERT_ROWS_PER_STATEMENT = 2000;

/**
 * A new task's device rows, pending, in one INSERT per 2,000 devices. Prisma's nested createMany
 * spends about 50 µs a row in its query compiler: 25 ms for 500 devices, between the click and the
 * first device's login.
 */
export async function insertTaskDevices(
  tx: Prisma.TransactionClient,
  taskId: string,
  devices: readonly { id: string; name: string }[],
): Promise<void> {
  for (const rows of chunked(devices, INSERT_ROWS_PER_STATEMENT)) {
    await tx.$executeRaw`INSERT INTO "TaskDevice" ("id", "taskId", "deviceId", "deviceName", "status", "output", "attempts") VALUES ${Prisma.join(
      rows.map((d) => Prisma.sql`(${randomUUID()}, ${taskId}, ${d.id}, ${d.name}, 'pending', '[]', 0)`),
    )}`;
  }
}

/** What a device ended with, as stored on its row. */
export interface StoredDeviceOutcome {
  status: TaskDeviceOutcome;
  /** JSON of the per-command outputs. */
  output: string;
  error: string | null;
  finishedAt: Date;
}

/** One device's change in a batch: it started (one more attempt), it has an outcome, or both. */
export interface DeviceChangeRecord {
  rowId: string;
  startedAt?: Date;
  outcome?: StoredDeviceOutcome;
}

/** Rows per UPDATE: 9 bound values per row, far below SQLite's and PostgreSQL's limits. */
const ROWS_PER_STATEMENT = 200;

function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * A timestamp bound into raw SQL: PostgreSQL gets the driver's text as an untyped parameter, which
 * a CASE would resolve to text, so it is cast; SQLite stores the adapter's ISO text as it is (a cast
 * there would give the column numeric affinity and mangle it).
 */
function timestamp(db: Db, at: Date): Prisma.Sql {
  return isPostgres(db) ? Prisma.sql`CAST(${at} AS TIMESTAMP(3))` : Prisma.sql`${at}`;
}

/** `CASE "id" WHEN … THEN … END` over a chunk of rows: each row its own value in one statement. */
function perRow<T extends { rowId: string }>(rows: T[], value: (row: T) => Prisma.Sql): Prisma.Sql {
  return Prisma.sql`CASE "id" ${Prisma.join(
    rows.map((r) => Prisma.sql`WHEN ${r.rowId} THEN ${value(r)}`),
    ' ',
  )} END`;
}

/** One value for every row when they all have it (most batches: all succeeded, no error), else perRow. */
function sameOrPerRow<T extends { rowId: string }, V extends string | null>(
  rows: T[],
  value: (row: T) => V,
): Prisma.Sql {
  const first = value(rows[0]!);
  return rows.every((r) => value(r) === first)
    ? Prisma.sql`${first}`
    : perRow(rows, (r) => Prisma.sql`${value(r)}`);
}

/**
 * Store a batch of device changes and count the outcomes on the task, in one transaction: a handful
 * of statements however many devices the batch holds (one UPDATE … CASE per 200 started rows, one
 * per 200 finished rows, one for the task's counters). A row's status, output and error change in
 * the same statement, so no device is ever stored as finished without its output. Starts are applied
 * before outcomes, so a device that started and finished within one batch ends with its outcome.
 */
export async function recordDeviceChanges(
  db: Db,
  taskId: string,
  changes: readonly DeviceChangeRecord[],
): Promise<void> {
  const started = changes.filter((c): c is DeviceChangeRecord & { startedAt: Date } => !!c.startedAt);
  const finished = changes.filter(
    (c): c is DeviceChangeRecord & { outcome: StoredDeviceOutcome } => !!c.outcome,
  );
  const statements: Prisma.PrismaPromise<unknown>[] = [];
  for (const rows of chunked(started, ROWS_PER_STATEMENT)) {
    statements.push(
      db.$executeRaw`UPDATE "TaskDevice" SET "status" = 'running', "attempts" = "attempts" + 1, "startedAt" = ${perRow(
        rows,
        (r) => timestamp(db, r.startedAt),
      )} WHERE "taskId" = ${taskId} AND "id" IN (${Prisma.join(rows.map((r) => r.rowId))})`,
    );
  }
  for (const rows of chunked(finished, ROWS_PER_STATEMENT)) {
    statements.push(
      db.$executeRaw`UPDATE "TaskDevice" SET "status" = ${sameOrPerRow(rows, (r) => r.outcome.status)}, "output" = ${perRow(
        rows,
        (r) => Prisma.sql`${r.outcome.output}`,
      )}, "error" = ${sameOrPerRow(rows, (r) => r.outcome.error)}, "finishedAt" = ${perRow(rows, (r) =>
        timestamp(db, r.outcome.finishedAt),
      )} WHERE "taskId" = ${taskId} AND "id" IN (${Prisma.join(rows.map((r) => r.rowId))})`,
    );
  }
  if (finished.length > 0) {
    const count = (status: TaskDeviceOutcome) => finished.filter((c) => c.outcome.status === status).length;
    const [succeeded, failed, skipped] = [count('success'), count('failed'), count('skipped')];
    statements.push(
      db.task.update({
        where: { id: taskId },
        data: {
          completedDevices: { increment: finished.length },
          ...(succeeded > 0 ? { succeededDevices: { increment: succeeded } } : {}),
          ...(failed > 0 ? { failedDevices: { increment: failed } } : {}),
          ...(skipped > 0 ? { skippedDevices: { increment: skipped } } : {}),
        },
        select: { id: true },
      }),
    );
  }
  if (statements.length === 0) return;
  // one statement is atomic on its own (the usual write of starts alone): no BEGIN and COMMIT, two
  // round trips fewer on PostgreSQL
  if (statements.length === 1) await statements[0];
  else await db.$transaction(statements);
}

/** Every device has an outcome: the task completed, or failed when any device failed. */
export async function finishTask(
  db: Db,
  taskId: string,
  finishedAt = new Date(),
  /** The task as just read by the caller (its counters are final): saves reading it again. */
  current?: Pick<TaskRow, 'failedDevices'>,
): Promise<TaskRow> {
  const t = current ?? (await db.task.findUniqueOrThrow({ where: { id: taskId } }));
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
