import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { PrismaClient } from '../db/generated/client';
import type { EventBus } from '../events/types';
import { CliError, DeviceCli, type CommandResult } from '../devices/cli';
import type { DeviceConnection, DeviceLogin } from '../devices/connect';
import type { DeviceSessionLimiter } from '../devices/limiter';
import { SSH_READY_TIMEOUT_MS, SshError } from '../devices/ssh';
import {
  DeviceChangeBatcher,
  ProgressCoalescer,
  PROGRESS_MIN_INTERVAL_MS,
  type DeviceChange,
  type ProgressState,
} from './progress';
import { TaskAbort } from './queue';
import { compileStoredPatterns, type UserPattern } from './patterns';
import { compileIgnore } from '../automation/diff';
import { outputDocument, recordOutputVersions } from '../automation/history';
import { redactSecrets } from '../automation/redact';
import { getOutputSettings } from '../automation/settings';
import { renderCommands } from '../automation/render';
import { isRole } from '../auth/roles';
import type { CommandVerdict, PolicyService } from '../policy/service';
import {
  commandsPerDevice,
  notRunByGuard,
  parseConfirmed,
  unconfirmed,
  type GuardDevice,
  type GuardPlan,
} from './guard';
import { renderDeviceOf } from '../automation/template-device';
import { VENDOR_LABELS, type Vendor } from '../devices/schema';
import {
  parseStoredCommands,
  parseStoredVendorCommands,
  stepsForVendor,
  type CommandOutput,
  type CommandSpec,
} from './schema';
import { isFinal, type TaskDeviceOutcome, type TaskStatus } from './status';
import {
  finishCancelled,
  finishTask,
  markTaskRunning,
  recordDeviceChanges,
  type StoredDeviceOutcome,
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
  /** Command guard rails: each device's commands are judged again before it runs (rules may have changed). */
  policy?: PolicyService;
}

/**
 * The prompt each device showed at login the last time this process ran a task on it, so the next
 * login takes that prompt at once instead of pressing Enter to confirm it (a round trip per device).
 * A device whose prompt changed is confirmed as usual. Bounded: the oldest entry goes first.
 */
const loginPrompts = new Map<string, string>();
const LOGIN_PROMPTS_MAX = 50_000;

function rememberLoginPrompt(deviceId: string, prompt: string): void {
  if (!prompt || loginPrompts.get(deviceId) === prompt) return;
  loginPrompts.delete(deviceId);
  loginPrompts.set(deviceId, prompt);
  if (loginPrompts.size > LOGIN_PROMPTS_MAX) loginPrompts.delete(loginPrompts.keys().next().value!);
}

interface DeviceOutcome {
  status: TaskDeviceOutcome;
  outputs: CommandOutput[];
  error: string | null;
}

function describe(err: unknown, signal: AbortSignal): { status: DeviceOutcome['status']; error: string } {
  const reason = signal.reason as unknown;
  if (signal.aborted && reason instanceof TaskAbort) {
    return reason.kind === 'cancel'
      ? { status: 'cancelled', error: 'Cancelled while running.' }
      : {
          status: 'failed',
          error: 'Interrupted: the server stopped while this device was running; not re-run automatically.',
        };
  }
  if (
    err instanceof SshError ||
    err instanceof CliError ||
    err instanceof DeviceTimeout ||
    err instanceof StartNotStored
  )
    return { status: 'failed', error: err.message };
  return { status: 'failed', error: `Unexpected error: ${(err as Error).message}` };
}

/** Per device, why the guard rails refuse to run its commands now (devices without a refusal are absent). */
async function guardRefusals(
  task: { ownerId: string; guardConfirmed: boolean; guardConfirmedCommands: string; name: string },
  plan: GuardPlan,
  inputs: Record<string, string>,
  templated: boolean,
  devices: GuardDevice[],
  deps: ExecutorDeps,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!deps.policy || devices.length === 0) return out;
  const owner = await deps.db.user.findUnique({ where: { id: task.ownerId }, select: { role: true } });
  const role = owner && isRole(owner.role) ? owner.role : 'viewer';
  const verdicts = await deps.policy.judgeCommands(
    { id: task.ownerId, role, name: task.ownerId },
    commandsPerDevice(devices, plan, templated ? inputs : null),
  );
  const refuse = (list: CommandVerdict[], why: (v: CommandVerdict) => string) => {
    for (const v of list) if (!out.has(v.device.id)) out.set(v.device.id, why(v));
  };
  refuse(verdicts.deny, (v) => notRunByGuard('deny', v.command, v.decision.reason));
  refuse(verdicts.approve, (v) => notRunByGuard('approve', v.command, v.decision.reason));
  // what the owner confirmed, device by device (a task from before that was kept: as a whole)
  const confirmed = parseConfirmed(task.guardConfirmedCommands);
  const toConfirm = !task.guardConfirmed
    ? verdicts.confirm
    : confirmed.length > 0
      ? unconfirmed(confirmed, verdicts.confirm)
      : [];
  refuse(toConfirm, (v) => notRunByGuard('confirm', v.command, v.decision.reason));
  for (const v of [...verdicts.deny, ...verdicts.approve].slice(0, 20))
    await deps.policy.refused(task.ownerId, v.device, v.command, v.decision, `task «${task.name}»`);
  return out;
}

/** Run one task until every device has an outcome, it is cancelled, or the process shuts down. */
export async function runTask(taskId: string, signal: AbortSignal, deps: ExecutorDeps): Promise<void> {
  const { db, log } = deps;
  const task = await db.task.findUnique({ where: { id: taskId } });
  if (!task || isFinal(task.status)) return;
  const plan = planOf(task);
  // run from a template: commands hold {{variables}} filled in per device
  const templated = task.templateVersion !== null;
  const inputs = JSON.parse(task.inputs || '{}') as Record<string, string>;
  // a templated run keeps each device's output in the template's history (diffs across runs)
  const history = await historyOf(db, task);
  // an admin may keep output as the device printed it, secrets included (Settings); read once per run
  const { keepRawOutput } = await getOutputSettings(db);
  // every running device listens to the task's signal (its login and its CLI session): with a
  // concurrency of N that is up to 2N listeners, all removed when the device finishes
  setMaxListeners(2 * task.concurrency + 10, signal);
  const rows = await db.taskDevice.findMany({
    where: { taskId, status: 'pending' },
    orderBy: { deviceName: 'asc' },
  });
  // each device's own session cap (a jump box may take 50, a switch 5) and vendor (which list of
  // commands it runs), read once for the task
  const facts = new Map(
    (
      await db.device.findMany({
        where: { id: { in: rows.flatMap((r) => (r.deviceId ? [r.deviceId] : [])) } },
        select: { id: true, maxSessions: true, vendor: true, name: true, host: true, fields: true },
      })
    ).map((d) => [d.id, d]),
  );
  // the guard rails again, for every device at once: what a rule denies now, or asks to confirm on a
  // task whose creator confirmed nothing, is not run on that device
  const refusedBy = await guardRefusals(task, plan, inputs, templated, [...facts.values()], deps);
  await markTaskRunning(db, task);

  const counters = {
    completed: task.completedDevices,
    succeeded: task.succeededDevices,
    failed: task.failedDevices,
    skipped: task.skippedDevices,
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

  /**
   * Device rows are written in batches: every start and outcome since the last write go into one
   * transaction (recordDeviceChanges), at most one per progress interval, and the task's counters and
   * progress events follow only once it is stored, so an event never reports a result the database
   * does not hold yet.
   *
   * What "running" means on disk, which reconciliation and a takeover by another process rely on
   * (devices left running are failed, never re-run; pending ones run): a device is stored as running
   * before any of the task's commands is sent to it. Its start is queued when its slot is taken and
   * the worker logs in meanwhile; once logged in it asks for that write at once if it is still
   * queued, and waits for it before the first command (while its CLI settles: prompt, paging off,
   * privileged mode). A login takes tens of milliseconds or more, so the write is often done by then,
   * and the starts of all devices logging in at the same time share it. A device whose start is not
   * stored yet has had nothing sent but a login and its session's settings: if the process dies
   * then, it is still pending and runs again, which is safe. An outcome waits for the next write (up
   * to one progress interval): a device that finished in that window when the process died is found
   * running and failed as interrupted, never shown as succeeded without its output (status and
   * output are one statement).
   */
  const changes = new DeviceChangeBatcher<TaskOutcome>(
    async (batch) => {
      await recordDeviceChanges(db, taskId, batch);
      // stored: nothing after this may fail the write, or the batch would be written (and counted) twice
      for (const c of batch) {
        if (!c.outcome) continue;
        counters.completed++;
        if (c.outcome.status === 'success') counters.succeeded++;
        else if (c.outcome.status === 'failed') counters.failed++;
        else if (c.outcome.status === 'skipped') counters.skipped++;
      }
      if (history) await recordHistory(db, log, taskId, history, batch);
      progress.update(
        state('running'),
        batch.flatMap((c) => c.events),
      );
    },
    (err) => log.error({ err, taskId }, 'task device results not stored; retried with the next batch'),
    deps.progressIntervalMs ?? PROGRESS_MIN_INTERVAL_MS,
  );

  /** A device that ends before any login: recorded, counted and reported like any outcome. */
  const finishUnrun = (row: (typeof rows)[number], status: 'skipped' | 'failed', error: string) => {
    changes.add({
      rowId: row.id,
      outcome: { status, output: '[]', error, finishedAt: new Date() },
      events: [{ deviceId: row.deviceId ?? '', deviceName: row.deviceName, status, error, durationMs: 0 }],
    });
  };

  const runDevice = async (row: (typeof rows)[number]) => {
    if (signal.aborted) return;
    const vendor = (row.deviceId && facts.get(row.deviceId)?.vendor) || 'generic';
    const steps = stepsForVendor(plan, vendor);
    if (!steps) {
      // nothing to run on this vendor: skipped at once, no login, no session slot
      const label = Object.hasOwn(VENDOR_LABELS, vendor) ? VENDOR_LABELS[vendor as Vendor] : vendor;
      finishUnrun(row, 'skipped', `No commands for ${label} (${vendor}) in this task.`);
      return;
    }
    let rendered = steps;
    if (templated) {
      // a template's {{variables}}, filled in for this device with the task's inputs
      const d = row.deviceId ? facts.get(row.deviceId) : undefined;
      const r = d
        ? renderCommands(
            steps.map((c) => c.command),
            renderDeviceOf(d),
            inputs,
          )
        : ({ ok: false, error: 'The device no longer exists.' } as const);
      if (!r.ok) {
        finishUnrun(row, 'failed', `The template could not be filled in for this device: ${r.error}`);
        return;
      }
      rendered = steps.map((c, i) => ({ ...c, command: r.commands[i]! }));
    }
    const refusal = row.deviceId ? refusedBy.get(row.deviceId) : undefined;
    if (refusal) {
      finishUnrun(row, 'failed', refusal);
      return;
    }
    if (row.deviceId) {
      try {
        await deps.deviceSlots.acquire(
          row.deviceId,
          signal,
          facts.get(row.deviceId)?.maxSessions ?? undefined,
        );
      } catch {
        return; // aborted while waiting: the row stays pending
      }
    }
    const startedAt = new Date();
    try {
      current = row.deviceName;
      // The running transition goes out too (once stored, coalesced with the rest), so a watching
      // task page shows this row running instead of pending until the device finishes.
      const startStored = changes.add({
        rowId: row.id,
        startedAt,
        events: [{ deviceId: row.deviceId ?? '', deviceName: row.deviceName, status: 'running' }],
      });
      const outcome = await runOnDevice(
        row.deviceId,
        task.ownerId,
        { ...plan, steps: rendered },
        signal,
        deps,
        () => startStored().catch((err: unknown) => Promise.reject(new StartNotStored(err))),
      );
      const finishedAt = new Date();
      // secrets (password hashes, communities, keys) never reach the database, events or exports,
      // unless an admin chose to keep raw output
      if (!keepRawOutput)
        outcome.outputs = outcome.outputs.map((o) => ({
          ...o,
          output: redactSecrets(o.output, vendor).text,
        }));
      const outputJson = JSON.stringify(outcome.outputs);
      changes.add({
        rowId: row.id,
        outcome: {
          status: outcome.status,
          output: outputJson,
          error: outcome.error,
          finishedAt,
          history:
            history && outcome.status === 'success'
              ? { deviceId: row.deviceId, deviceName: row.deviceName, text: outputDocument(outcome.outputs) }
              : undefined,
        },
        events: [
          {
            deviceId: row.deviceId ?? '',
            deviceName: row.deviceName,
            status: outcome.status,
            error: outcome.error,
            durationMs: finishedAt.getTime() - startedAt.getTime(),
            output: outputJson.length <= EVENT_OUTPUT_MAX_CHARS ? outputJson : undefined,
          },
        ],
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
        log.error({ err, taskId, device: row.deviceName }, 'task device failed to run');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(task.concurrency, rows.length)) }, worker));
  current = null;
  // every result is stored before the task is reported finished (or left for a restart to resume)
  try {
    await changes.flush();
  } catch (err) {
    changes.dispose();
    progress.dispose();
    throw err;
  }

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
      : await finishTask(db, taskId, new Date(), fresh);
  counters.completed = done.completedDevices;
  counters.failed = done.failedDevices;
  progress.final(state(done.status as TaskStatus));
}

/** A device's outcome as the executor stores it, with the text its output history keeps. */
interface TaskOutcome extends StoredDeviceOutcome {
  /** A templated run's successful device: its output joins the template's history. */
  history?: { deviceId: string | null; deviceName: string; text: string };
}

/**
 * The output history of a stored batch's successful devices, written together. After the batch's
 * transaction: history that cannot be written is logged, never a reason to write the batch again.
 */
async function recordHistory(
  db: PrismaClient,
  log: Logger,
  taskId: string,
  history: { templateId: string; ignore: (text: string) => string },
  batch: DeviceChange<TaskOutcome>[],
): Promise<void> {
  const entries = batch.flatMap((c) =>
    c.outcome?.history ? [{ ...c.outcome.history, taskDeviceId: c.rowId }] : [],
  );
  if (entries.length === 0) return;
  const run = { templateId: history.templateId, taskId, ignore: history.ignore };
  try {
    await recordOutputVersions(db, run, entries);
  } catch {
    // one device's bad row must not cost the others their history: one at a time, each logged
    for (const e of entries) {
      try {
        await recordOutputVersions(db, run, [e]);
      } catch (err) {
        log.error({ err, taskId, device: e.deviceName }, 'output history not recorded');
      }
    }
  }
}

/** The template whose history a task's outputs join, with its ignore patterns; null for plain tasks. */
async function historyOf(
  db: PrismaClient,
  task: { templateId: string | null; templateVersion: number | null },
): Promise<{ templateId: string; ignore: (text: string) => string } | null> {
  if (!task.templateId || task.templateVersion === null) return null;
  const v = await db.taskTemplateVersion.findUnique({
    where: { templateId_version: { templateId: task.templateId, version: task.templateVersion } },
    select: { ignorePatterns: true },
  });
  const ignore = compileIgnore(v ? (JSON.parse(v.ignorePatterns) as string[]) : []);
  return { templateId: task.templateId, ignore: ignore.ok ? ignore.apply : (t) => t };
}

/** What a task asks of each device, read once per task. */
interface DevicePlan {
  /** For every vendor without a list of its own (may be empty when every vendor has one). */
  steps: CommandSpec[];
  vendorSteps: Partial<Record<string, CommandSpec[]>>;
  failurePatterns: UserPattern[];
  expectOutput: UserPattern | null;
  timeoutMs: number;
}

function planOf(task: {
  commands: string;
  vendorCommands: string;
  failurePatterns: string;
  expectOutput: string | null;
  timeoutMs: number;
}): DevicePlan {
  return {
    steps: parseStoredCommands(task.commands),
    vendorSteps: parseStoredVendorCommands(task.vendorCommands),
    failurePatterns: compileStoredPatterns(JSON.parse(task.failurePatterns) as string[]),
    expectOutput: task.expectOutput ? (compileStoredPatterns([task.expectOutput])[0] ?? null) : null,
    timeoutMs: task.timeoutMs,
  };
}

function clip(output: string): string {
  return output.length > TASK_OUTPUT_MAX_CHARS
    ? `${output.slice(0, TASK_OUTPUT_MAX_CHARS)}\n[output truncated]`
    : output;
}

/** Why a command's output fails it: the device's own error message, or one of the task's patterns. */
function failureOf(r: CommandResult, plan: DevicePlan): string | null {
  if (r.status === 'error') {
    const line = r.output.split('\n').find((l) => /\S/.test(l) && !/^\s*\^\s*$/.test(l)) ?? '';
    return `The device rejected "${r.command}": ${line.trim().slice(0, 200)}`;
  }
  const p = plan.failurePatterns.find((f) => f.test(r.output));
  return p ? `The output of "${r.command}" matches the failure pattern /${p.source}/.` : null;
}

/**
 * Log in, then run the commands in order. The first command that fails ends the device (the rest are
 * `not run`: a change must not go on after a step failed). Time: login and the commands without a
 * timeout of their own share the task's per-device timeout; a command with its own timeout has that.
 */
async function runOnDevice(
  deviceId: string | null,
  ownerId: string,
  plan: DevicePlan,
  signal: AbortSignal,
  deps: ExecutorDeps,
  /** Resolves once the device is stored as running; none of the task's commands is sent before. */
  startStored: () => Promise<void>,
): Promise<DeviceOutcome> {
  const outputs: CommandOutput[] = [];
  let used = 0;
  const remaining = () => plan.timeoutMs - used;
  const timed = async <T>(fn: (ms: number) => Promise<T>, own?: number): Promise<T> => {
    if (own === undefined && remaining() <= 0) throw new DeviceTimeout(plan.timeoutMs);
    const t0 = Date.now();
    try {
      return await fn(own ?? remaining());
    } finally {
      if (own === undefined) used += Date.now() - t0;
    }
  };
  const notRun = (from: number) => {
    for (const step of plan.steps.slice(from))
      outputs.push({ command: step.command, output: '', status: 'not_run' });
  };
  let conn: DeviceConnection | null = null;
  let cli: DeviceCli | null = null;
  try {
    const login = await timed((ms) =>
      deps.login.open({
        deviceId,
        actor: { userId: ownerId },
        purpose: 'task',
        signal,
        readyTimeoutMs: Math.min(ms, SSH_READY_TIMEOUT_MS),
      }),
    );
    if (!login.ok) {
      notRun(0);
      if (!signal.aborted) return { status: 'failed', outputs, error: login.message };
      return { ...describe(null, signal), outputs };
    }
    conn = login.connection;
    const c = conn;
    const transport = await c.openShell();
    // The start is written while the CLI settles (its prompt, paging off, privileged mode: a session's
    // own settings, which a run after a takeover sets again harmlessly), not before it: on PostgreSQL
    // the write is a few round trips that each device used to wait for after its login.
    const started = startStored();
    started.catch(() => {}); // awaited below; a CLI that fails first reports its own error
    cli = await timed((ms) =>
      DeviceCli.open(transport, c.driver, c.encoding, {
        enableSecret: c.enableSecret,
        timeoutMs: ms,
        signal,
        knownPrompt: deviceId === null ? undefined : loginPrompts.get(deviceId),
      }),
    );
    await started;
    if (deviceId !== null) rememberLoginPrompt(deviceId, cli.loginPrompt);
    for (const [i, step] of plan.steps.entries()) {
      let r: CommandResult;
      try {
        const session = cli;
        r = await timed(
          (ms) => session.run(step, ms),
          step.timeoutSeconds === undefined ? undefined : step.timeoutSeconds * 1000,
        );
      } catch (err) {
        if (err instanceof CliError) {
          outputs.push({
            command: step.command,
            output: clip(err.partialOutput),
            status: 'error',
            error: err.message,
          });
          notRun(i + 1);
        }
        throw err;
      }
      const failure = failureOf(r, plan);
      if (failure) {
        const hint =
          r.status === 'error' && cli.mode === 'user'
            ? ` (the session is at the unprivileged prompt ${cli.currentPrompt}; store the device's enable secret)`
            : '';
        outputs.push({
          command: step.command,
          output: clip(r.output),
          status: 'error',
          error: failure + hint,
        });
        notRun(i + 1);
        return { status: 'failed', outputs, error: failure + hint };
      }
      outputs.push({ command: step.command, output: clip(r.output), status: 'success' });
    }
    if (plan.expectOutput && !outputs.some((o) => plan.expectOutput!.test(o.output))) {
      return {
        status: 'failed',
        outputs,
        error: `The expected output /${plan.expectOutput.source}/ is not in the device's output.`,
      };
    }
    return { status: 'success', outputs, error: null };
  } catch (err) {
    if (outputs.length < plan.steps.length) notRun(outputs.length);
    return { ...describe(err, signal), outputs };
  } finally {
    cli?.close();
    conn?.close();
  }
}

/** The device's start could not be stored: the task's commands are not sent (see runTask). */
class StartNotStored extends Error {
  constructor(cause: unknown) {
    super(
      `The portal could not record that this device started, so its commands were not sent: ${(cause as Error).message}`,
    );
  }
}

/** The device's share of the task's timeout ran out between two waits. */
class DeviceTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`No result within the per-device timeout of ${Math.round(timeoutMs / 1000)} s.`);
  }
}
