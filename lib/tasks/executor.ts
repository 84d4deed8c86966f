import type { Logger } from 'pino';
import type { PrismaClient } from '../db/generated/client';
import type { EventBus } from '../events/types';
import { CliError, DeviceCli } from '../devices/cli';
import type { DeviceConnection, DeviceLogin } from '../devices/connect';
import type { DeviceSessionLimiter } from '../devices/limiter';
import { SSH_READY_TIMEOUT_MS, SshError } from '../devices/ssh';
import { ProgressCoalescer, PROGRESS_MIN_INTERVAL_MS, type ProgressState } from './progress';
import { TaskAbort } from './queue';
import type { CommandOutput } from './schema';
import { isFinal, type TaskDeviceOutcome, type TaskStatus } from './status';
import {
  finishCancelled,
  finishTask,
  markDeviceRunning,
  markTaskRunning,
  recordDeviceOutcome,
} from './transitions';

/** Output kept per command in the database (a runaway command cannot fill the disk). */
export const TASK_OUTPUT_MAX_CHARS = 1024 * 1024;
/** Output carried per device in a live progress event (the full text is in the database). */
export const EVENT_OUTPUT_MAX_CHARS = 64 * 1024;

export interface ExecutorDeps {
  db: PrismaClient;
  bus: EventBus;
  log: Logger;
  /** Device login (the task owner's access, credentials, host keys, status), shared with terminals. */
  login: DeviceLogin;
  deviceSlots: DeviceSessionLimiter;
  progressIntervalMs?: number;
}

interface DeviceOutcome {
  status: TaskDeviceOutcome;
  outputs: CommandOutput[];
  error: string | null;
}

function describe(
  err: unknown,
  signal: AbortSignal,
  timeoutMs: number,
): { status: DeviceOutcome['status']; error: string } {
  const reason = signal.reason as unknown;
  if (signal.aborted && reason instanceof TaskAbort) {
    return reason.kind === 'cancel'
      ? { status: 'cancelled', error: 'Cancelled while running.' }
      : {
          status: 'failed',
          error: 'Interrupted: the server stopped while this device was running; not re-run automatically.',
        };
  }
  if (signal.aborted)
    return {
      status: 'failed',
      error: `No result within the per-device timeout of ${Math.round(timeoutMs / 1000)} s.`,
    };
  if (err instanceof SshError || err instanceof CliError) return { status: 'failed', error: err.message };
  return { status: 'failed', error: `Unexpected error: ${(err as Error).message}` };
}

/** Run one task until every device has an outcome, it is cancelled, or the process shuts down. */
export async function runTask(taskId: string, signal: AbortSignal, deps: ExecutorDeps): Promise<void> {
  const { db, log } = deps;
  const task = await db.task.findUnique({ where: { id: taskId } });
  if (!task || isFinal(task.status)) return;
  const commands = JSON.parse(task.commands) as string[];
  const rows = await db.taskDevice.findMany({
    where: { taskId, status: 'pending' },
    orderBy: { deviceName: 'asc' },
  });
  await markTaskRunning(db, task);

  const counters = {
    completed: task.completedDevices,
    succeeded: task.succeededDevices,
    failed: task.failedDevices,
  };
  let current: string | null = null;
  const state = (status: TaskStatus): ProgressState => ({
    taskId,
    ownerId: task.ownerId,
    status,
    totalDevices: task.totalDevices,
    completedDevices: counters.completed,
    failedDevices: counters.failed,
    currentDevice: current,
  });
  const progress = new ProgressCoalescer(
    (e) => void deps.bus.publish('task.status.changed', e),
    deps.progressIntervalMs ?? PROGRESS_MIN_INTERVAL_MS,
  );
  progress.update(state('running'));

  const runDevice = async (row: (typeof rows)[number]) => {
    if (signal.aborted) return;
    if (row.deviceId) {
      try {
        await deps.deviceSlots.acquire(row.deviceId, signal);
      } catch {
        return; // aborted while waiting: the row stays pending
      }
    }
    const startedAt = new Date();
    try {
      await markDeviceRunning(db, row.id, startedAt);
      current = row.deviceName;
      // The running transition goes out too (coalesced with the rest), so a watching task page
      // shows this row running instead of pending until the device finishes.
      progress.update(state('running'), {
        deviceId: row.deviceId ?? '',
        deviceName: row.deviceName,
        status: 'running',
      });
      const outcome = await runOnDevice(row.deviceId, task.ownerId, commands, task.timeoutMs, signal, deps);
      const finishedAt = new Date();
      const outputJson = JSON.stringify(outcome.outputs);
      await recordDeviceOutcome(db, taskId, row.id, {
        status: outcome.status,
        output: outputJson,
        error: outcome.error,
        finishedAt,
      });
      counters.completed++;
      if (outcome.status === 'success') counters.succeeded++;
      if (outcome.status === 'failed') counters.failed++;
      progress.update(state('running'), {
        deviceId: row.deviceId ?? '',
        deviceName: row.deviceName,
        status: outcome.status,
        error: outcome.error,
        durationMs: finishedAt.getTime() - startedAt.getTime(),
        output: outputJson.length <= EVENT_OUTPUT_MAX_CHARS ? outputJson : undefined,
      });
    } finally {
      if (row.deviceId) deps.deviceSlots.release(row.deviceId);
    }
  };

  // Bounded concurrency: N workers take the next pending device until none is left.
  let next = 0;
  const worker = async () => {
    while (!signal.aborted && next < rows.length) {
      const row = rows[next++]!;
      try {
        await runDevice(row);
      } catch (err) {
        log.error({ err, taskId, device: row.deviceName }, 'task device failed to record');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(task.concurrency, rows.length)) }, worker));
  current = null;

  const abort = signal.reason instanceof TaskAbort ? signal.reason.kind : null;
  if (abort === 'shutdown') {
    // Devices not started stay pending; start-up reconciliation resumes the task.
    progress.dispose();
    return;
  }
  const fresh = await db.task.findUniqueOrThrow({ where: { id: taskId } });
  const done =
    abort === 'cancel' || fresh.cancelRequested
      ? await finishCancelled(db, taskId)
      : await finishTask(db, taskId);
  counters.completed = done.completedDevices;
  counters.failed = done.failedDevices;
  progress.final(state(done.status as TaskStatus));
}

async function runOnDevice(
  deviceId: string | null,
  ownerId: string,
  commands: string[],
  timeoutMs: number,
  signal: AbortSignal,
  deps: ExecutorDeps,
): Promise<DeviceOutcome> {
  const outputs: CommandOutput[] = [];
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  const started = Date.now();
  const remaining = () => Math.max(1, timeoutMs - (Date.now() - started));
  let conn: DeviceConnection | null = null;
  const drop = () => conn?.ssh.socket.destroy();
  deadline.addEventListener('abort', drop, { once: true });
  try {
    const login = await deps.login.open({
      deviceId,
      actor: { userId: ownerId },
      purpose: 'task',
      signal: deadline,
      readyTimeoutMs: Math.min(remaining(), SSH_READY_TIMEOUT_MS),
    });
    if (!login.ok) {
      if (!deadline.aborted) return { status: 'failed', outputs, error: login.message };
      const d = describe(null, deadline, timeoutMs); // cancelled, timed out or shut down meanwhile
      return { status: d.status, outputs, error: d.error };
    }
    conn = login.connection;
    const cli = await DeviceCli.open(conn.ssh, conn.driver, conn.encoding, {
      enableSecret: conn.enableSecret,
      promptTimeoutMs: remaining(),
    });
    for (const command of commands) {
      const r = await cli.run(command, remaining());
      const output =
        r.output.length > TASK_OUTPUT_MAX_CHARS
          ? `${r.output.slice(0, TASK_OUTPUT_MAX_CHARS)}\n[output truncated]`
          : r.output;
      outputs.push({ command, output, status: r.status });
    }
    cli.close();
    const rejected = outputs.find((o) => o.status === 'error');
    return rejected
      ? { status: 'failed', outputs, error: `The device rejected "${rejected.command}".` }
      : { status: 'success', outputs, error: null };
  } catch (err) {
    const d = describe(err, deadline.aborted ? deadline : signal, timeoutMs);
    return { status: d.status, outputs, error: d.error };
  } finally {
    deadline.removeEventListener('abort', drop);
    conn?.close();
  }
}
