import type { AuditSink } from '../audit';
import type { PrismaClient } from '../db/generated/client';
import type { EventBus } from '../events/types';
import type { Role } from '../auth/roles';
import type { PolicyService } from '../policy/service';
import type { GuardRefusal } from '../policy/guard-text';
import { confirmedCommands, guardTask, parseConfirmed, type ConfirmedBefore } from './guard';
import { operableDevicesWhere } from '../devices/visibility';
import type { Vendor } from '../devices/schema';
import { progressPercent } from './progress';
import { plural } from '../format/plural';
import type { TaskQueue } from './queue';
import {
  commandFieldsOf,
  parseStoredCommands,
  parseStoredVendorCommands,
  validateTaskForm,
  type CommandOutput,
  type TaskFieldErrors,
} from './schema';
import {
  isFinal,
  TASK_ACTIVE_STATUSES,
  TASK_DEVICE_STATUSES,
  type TaskDeviceStatus,
  type TaskStatus,
} from './status';
import { finishCancelled, insertTaskDevices, requestCancel, resetFailedForRetry } from './transitions';

/** Queued or running tasks one user may have at once. */
export const TASK_MAX_ACTIVE_PER_USER = 10;

export interface TaskActor {
  id: string;
  role: Role;
}

export interface TaskDeps {
  db: PrismaClient;
  queue: TaskQueue;
  bus: EventBus;
  audit: AuditSink;
  /** Command guard rails (lib/policy): the task's commands are judged before it is stored. */
  policy?: PolicyService;
}

/** Owners see their tasks; admins see all. */
export function visibleTasksWhere(actor: TaskActor) {
  return actor.role === 'admin' ? {} : { ownerId: actor.id };
}

/** The same rule for one task whose owner is known (live updates are filtered with it). */
export function canSeeTask(actor: TaskActor, ownerId: string): boolean {
  return actor.role === 'admin' || actor.id === ownerId;
}

type TaskRow = Awaited<ReturnType<PrismaClient['task']['findUniqueOrThrow']>>;

export function taskSummary(t: TaskRow, currentDevice: string | null = null) {
  return {
    id: t.id,
    name: t.name,
    ownerId: t.ownerId,
    status: t.status as TaskStatus,
    statusReason: t.statusReason,
    commands: parseStoredCommands(t.commands).map((c) => c.command),
    /** The commands with their own timeouts and answers (for every vendor without its own list). */
    steps: parseStoredCommands(t.commands),
    /** Per-vendor lists: a device of one of these vendors runs its vendor's list instead. */
    vendorSteps: parseStoredVendorCommands(t.vendorCommands),
    failurePatterns: JSON.parse(t.failurePatterns) as string[],
    expectOutput: t.expectOutput,
    concurrency: t.concurrency,
    timeoutMs: t.timeoutMs,
    totalDevices: t.totalDevices,
    completedDevices: t.completedDevices,
    succeededDevices: t.succeededDevices,
    failedDevices: t.failedDevices,
    skippedDevices: t.skippedDevices,
    progress: progressPercent(t.completedDevices, t.totalDevices),
    currentDevice,
    createdAt: t.createdAt.toISOString(),
    startedAt: t.startedAt?.toISOString() ?? null,
    finishedAt: t.finishedAt?.toISOString() ?? null,
  };
}
export type TaskSummary = ReturnType<typeof taskSummary>;

/** A task's stored state as a `task.status.changed` event (`final`: it will not change again). */
export async function publishState(deps: Pick<TaskDeps, 'bus'>, t: TaskRow, final = false) {
  await deps.bus.publish('task.status.changed', {
    taskId: t.id,
    ownerId: t.ownerId,
    status: t.status as TaskStatus,
    progress: progressPercent(t.completedDevices, t.totalDevices),
    currentDevice: null,
    totalDevices: t.totalDevices,
    completedDevices: t.completedDevices,
    failedDevices: t.failedDevices,
    timestamp: new Date().toISOString(),
    ...(final ? { final: true } : {}),
  });
}

/** A task device as its page and the monitor's snapshot show it (no output: that is loaded on demand). */
export const TASK_DEVICE_VIEW_SELECT = {
  deviceId: true,
  deviceName: true,
  status: true,
  error: true,
  startedAt: true,
  finishedAt: true,
} as const;

export type CreateResult =
  | { ok: true; id: string; created: boolean }
  | {
      ok: false;
      errors: TaskFieldErrors;
      vendorErrors?: Partial<Record<Vendor, string>>;
      /** The guard rails' refusal behind `errors.commands` or `errors.confirmGuarded`, as data. */
      guard?: GuardRefusal;
    };

/**
 * What "Run again" of a task carries of its owner's confirmation: what was confirmed, device by device
 * (a command a rule asks to confirm now that it does not cover needs a new task, with the phrase), or,
 * for a task from before that was kept, its confirmation as a whole.
 */
function againConfirmed(task: { guardConfirmed: boolean; guardConfirmedCommands: string }) {
  if (!task.guardConfirmed) return {};
  const list = parseConfirmed(task.guardConfirmedCommands);
  if (list.length === 0) return { guardConfirmed: true };
  return {
    confirmedBefore: { list, of: 'task' as const },
  };
}

/**
 * Validate, store and queue a task. With an idempotency key (the API's Idempotency-Key header), a
 * repeated request — even many at once — returns the task the first one created.
 */
export async function createTask(
  actor: TaskActor,
  raw: unknown,
  deps: TaskDeps,
  opts: {
    idempotencyKey?: string;
    /** Run from a template: its commands hold {{variables}} rendered per device with these inputs. */
    template?: { id: string; version: number; inputs: Record<string, string> };
    /** "Run again" of a task confirmed as a whole (from before confirmations were kept per device). */
    guardConfirmed?: boolean;
    /** "Run again" of a confirmed task, a schedule's run: what was confirmed before (lib/tasks/guard.ts). */
    confirmedBefore?: ConfirmedBefore;
  } = {},
): Promise<CreateResult> {
  const { db } = deps;
  const key = opts.idempotencyKey;
  const earlier = async () =>
    key
      ? db.task.findUnique({ where: { ownerId_idempotencyKey: { ownerId: actor.id, idempotencyKey: key } } })
      : null;
  const first = await earlier();
  if (first) return { ok: true, id: first.id, created: false };
  const parsed = validateTaskForm(raw);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  const devices = await db.device.findMany({
    where: { AND: [{ id: { in: v.deviceIds } }, operableDevicesWhere(actor)] },
    select: { id: true, name: true, vendor: true, host: true, fields: true },
  });
  if (devices.length !== v.deviceIds.length) {
    const n = v.deviceIds.length - devices.length;
    return {
      ok: false,
      errors: {
        deviceIds: `${n} of the chosen devices ${n === 1 ? 'does' : 'do'} not exist or ${n === 1 ? 'is' : 'are'} not available to you.`,
      },
    };
  }
  const active = await db.task.count({
    where: { ownerId: actor.id, status: { in: [...TASK_ACTIVE_STATUSES] } },
  });
  if (active >= TASK_MAX_ACTIVE_PER_USER) {
    return {
      ok: false,
      errors: {
        form: `You already have ${active} tasks queued or running (limit ${TASK_MAX_ACTIVE_PER_USER}). Wait for one to finish or cancel one.`,
      },
    };
  }
  let guardConfirmed = false;
  let guardConfirmedCommands = '[]';
  if (deps.policy) {
    const g = await guardTask(
      deps.policy,
      actor,
      devices,
      v,
      opts.template?.inputs ?? null,
      opts.confirmedBefore ?? (opts.guardConfirmed || v.confirmGuarded),
    );
    if (!g.ok) return { ok: false, errors: { [g.field]: g.error }, guard: g.refusal };
    guardConfirmed = g.confirmed;
    if (g.confirmed) guardConfirmedCommands = JSON.stringify(confirmedCommands(g.verdicts.confirm));
  }
  let task;
  try {
    task = await db.$transaction(async (tx) => {
      const created = await tx.task.create({
        data: {
          ownerId: actor.id,
          guardConfirmed,
          guardConfirmedCommands,
          idempotencyKey: key ?? null,
          name: v.name,
          commands: JSON.stringify(v.steps),
          vendorCommands: JSON.stringify(v.vendorSteps),
          templateId: opts.template?.id ?? null,
          templateVersion: opts.template?.version ?? null,
          inputs: JSON.stringify(opts.template?.inputs ?? {}),
          failurePatterns: JSON.stringify(v.failurePatterns),
          expectOutput: v.expectOutput,
          concurrency: v.concurrency,
          timeoutMs: v.timeoutSeconds * 1000,
          totalDevices: devices.length,
        },
      });
      await insertTaskDevices(tx, created.id, devices);
      return created;
    });
  } catch (err) {
    // the same key raced us: the other request created the task
    const other = (err as { code?: string }).code === 'P2002' ? await earlier() : null;
    if (other) return { ok: true, id: other.id, created: false };
    throw err;
  }
  await deps.audit({
    userId: actor.id,
    action: 'task.create',
    target: v.name,
    detail:
      `${plural(devices.length, 'device')}, ${describeCommands(v.commands, v.vendorSteps)}${guardConfirmed ? ' (guarded commands confirmed)' : ''}`.slice(
        0,
        600,
      ),
  });
  await publishState(deps, task);
  await deps.queue.enqueue(task.id, task.ownerId);
  return { ok: true, id: task.id, created: true };
}

/** "2 commands: display version ; display clock" or per vendor "cisco_ios: show version | huawei_vrp: …". */
function describeCommands(all: string[], perVendor: Partial<Record<string, { command: string }[]>>): string {
  const lists = Object.entries(perVendor).map(
    ([vendor, steps]) => `${vendor}: ${steps!.map((c) => c.command).join(' ; ')}`,
  );
  if (all.length > 0) lists.push(`${lists.length > 0 ? 'other vendors: ' : ''}${all.join(' ; ')}`);
  const count = all.length + Object.values(perVendor).reduce((n, steps) => n + steps!.length, 0);
  return `${plural(count, 'command')}: ${lists.join(' | ')}`;
}

export type SimpleResult = { ok: true } | { ok: false; error: string };

async function ownTask(actor: TaskActor, taskId: string, db: PrismaClient) {
  return db.task.findFirst({ where: { id: taskId, ...visibleTasksWhere(actor) } });
}

export async function cancelTask(actor: TaskActor, taskId: string, deps: TaskDeps): Promise<SimpleResult> {
  const { db } = deps;
  const task = await ownTask(actor, taskId, db);
  if (!task) return { ok: false, error: 'No such task.' };
  if (isFinal(task.status))
    return {
      ok: false,
      error: `The task has already ${task.status === 'cancelled' ? 'been cancelled' : 'finished'}.`,
    };
  await requestCancel(db, taskId);
  const where = await deps.queue.cancel(taskId);
  if (where !== 'running') {
    // not running on this node: finish it here (a running executor finishes it itself)
    await publishState(deps, await finishCancelled(db, taskId), true);
  }
  await deps.audit({ userId: actor.id, action: 'task.cancel', target: task.name, detail: task.id });
  return { ok: true };
}

/**
 * "Run again": a new task with the same commands (per vendor), options, template version and
 * inputs, on the same devices that still exist and that the actor may operate now.
 */
export async function runAgain(actor: TaskActor, taskId: string, deps: TaskDeps): Promise<CreateResult> {
  const { db } = deps;
  const task = await ownTask(actor, taskId, db);
  if (!task) return { ok: false, errors: { form: 'No such task.' } };
  const rows = await db.taskDevice.findMany({
    where: { taskId, deviceId: { not: null } },
    select: { deviceId: true },
  });
  const steps = parseStoredCommands(task.commands);
  const vendorSteps = parseStoredVendorCommands(task.vendorCommands);
  const operable = await db.device.findMany({
    where: { AND: [{ id: { in: rows.map((r) => r.deviceId!) } }, operableDevicesWhere(actor)] },
    select: { id: true },
  });
  if (operable.length === 0)
    return { ok: false, errors: { deviceIds: 'None of its devices is available to you now.' } };
  return createTask(
    actor,
    {
      name: task.name,
      ...commandFieldsOf(steps, vendorSteps),
      failurePatterns: (JSON.parse(task.failurePatterns) as string[]).join('\n'),
      expectOutput: task.expectOutput ?? '',
      deviceIds: operable.map((d) => d.id),
      concurrency: String(task.concurrency),
      timeoutSeconds: String(Math.round(task.timeoutMs / 1000)),
    },
    deps,
    {
      ...againConfirmed(task),
      ...(task.templateId && task.templateVersion !== null
        ? {
            template: {
              id: task.templateId,
              version: task.templateVersion,
              inputs: JSON.parse(task.inputs || '{}') as Record<string, string>,
            },
          }
        : {}),
    },
  );
}

export async function retryFailed(actor: TaskActor, taskId: string, deps: TaskDeps): Promise<SimpleResult> {
  const { db } = deps;
  const task = await ownTask(actor, taskId, db);
  if (!task) return { ok: false, error: 'No such task.' };
  if (!isFinal(task.status)) return { ok: false, error: 'The task is still running.' };
  const updated = await resetFailedForRetry(db, taskId);
  if (!updated) return { ok: false, error: 'No device of this task failed.' };
  await deps.audit({
    userId: actor.id,
    action: 'task.retry',
    target: task.name,
    detail: plural(task.failedDevices, 'failed device'),
  });
  await publishState(deps, updated);
  await deps.queue.enqueue(taskId, task.ownerId);
  return { ok: true };
}

export async function listTasks(
  actor: TaskActor,
  deps: Pick<TaskDeps, 'db'>,
  limit = 100,
): Promise<TaskSummary[]> {
  const tasks = await deps.db.task.findMany({
    where: visibleTasksWhere(actor),
    orderBy: { createdAt: 'desc' },
    take: limit,
  });
  return tasks.map((t) => taskSummary(t));
}

export interface TaskDeviceDetail {
  id: string;
  deviceId: string | null;
  deviceName: string;
  status: TaskDeviceStatus;
  error: string | null;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  outputs: CommandOutput[];
}

interface TaskDeviceRecord {
  id: string;
  deviceId: string | null;
  deviceName: string;
  status: string;
  error: string | null;
  attempts: number;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export function deviceRow(r: TaskDeviceRecord): TaskDeviceRow {
  return {
    id: r.id,
    deviceId: r.deviceId,
    deviceName: r.deviceName,
    status: r.status as TaskDeviceStatus,
    error: r.error,
    attempts: r.attempts,
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    durationMs: r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
  };
}

export function deviceDetail(r: TaskDeviceRecord & { output: string }): TaskDeviceDetail {
  return { ...deviceRow(r), outputs: JSON.parse(r.output) as CommandOutput[] };
}

export async function getTaskDetail(actor: TaskActor, taskId: string, deps: Pick<TaskDeps, 'db'>) {
  const task = await ownTask(actor, taskId, deps.db);
  if (!task) return null;
  const rows = await deps.db.taskDevice.findMany({ where: { taskId }, orderBy: { deviceName: 'asc' } });
  const running = rows.find((r) => r.status === 'running');
  return { task: taskSummary(task, running?.deviceName ?? null), devices: rows.map(deviceDetail) };
}

/** Device rows on one page of the task page. */
export const TASK_DEVICES_PAGE_SIZE = 25;

/** What the task page filters device rows by. */
export const TASK_DEVICE_FILTERS = ['all', ...TASK_DEVICE_STATUSES] as const;
export type TaskDeviceFilter = (typeof TASK_DEVICE_FILTERS)[number];

/** A device row without its output (loaded when the user opens the row). */
export type TaskDeviceRow = Omit<TaskDeviceDetail, 'outputs'>;

export interface TaskPage {
  task: TaskSummary;
  devices: TaskDeviceRow[];
  /** Device rows per status, over the whole task. */
  counts: Partial<Record<TaskDeviceStatus, number>>;
  status: TaskDeviceFilter;
  page: number;
  pages: number;
  pageSize: number;
}

const ROW_SELECT = {
  id: true,
  deviceId: true,
  deviceName: true,
  status: true,
  error: true,
  attempts: true,
  startedAt: true,
  finishedAt: true,
} as const;

/**
 * One page of a task's device rows (filtered by status) with the counts per status: what the task
 * page shows, without any output, so a task of 1,000 devices loads like one of 10.
 */
export async function getTaskPage(
  actor: TaskActor,
  taskId: string,
  opts: { page?: number; status?: TaskDeviceFilter },
  deps: Pick<TaskDeps, 'db'>,
): Promise<TaskPage | null> {
  const { db } = deps;
  const task = await ownTask(actor, taskId, db);
  if (!task) return null;
  const status = opts.status ?? 'all';
  const grouped = await db.taskDevice.groupBy({ by: ['status'], where: { taskId }, _count: { _all: true } });
  const counts: Partial<Record<TaskDeviceStatus, number>> = {};
  for (const g of grouped) counts[g.status as TaskDeviceStatus] = g._count._all;
  const total = status === 'all' ? task.totalDevices : (counts[status] ?? 0);
  const pages = Math.max(1, Math.ceil(total / TASK_DEVICES_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(opts.page ?? 1) || 1), pages);
  const [rows, running] = await Promise.all([
    db.taskDevice.findMany({
      where: { taskId, ...(status === 'all' ? {} : { status }) },
      orderBy: [{ deviceName: 'asc' }, { id: 'asc' }],
      skip: (page - 1) * TASK_DEVICES_PAGE_SIZE,
      take: TASK_DEVICES_PAGE_SIZE,
      select: ROW_SELECT,
    }),
    db.taskDevice.findFirst({
      where: { taskId, status: 'running' },
      orderBy: { deviceName: 'asc' },
      select: { deviceName: true },
    }),
  ]);
  return {
    task: taskSummary(task, running?.deviceName ?? null),
    devices: rows.map(deviceRow),
    counts,
    status,
    page,
    pages,
    pageSize: TASK_DEVICES_PAGE_SIZE,
  };
}

/** One device row of a task with its outputs (the task page loads it when the row is opened). */
export async function getTaskDeviceOutputs(
  actor: TaskActor,
  taskId: string,
  rowId: string,
  deps: Pick<TaskDeps, 'db'>,
): Promise<TaskDeviceDetail | null> {
  const task = await ownTask(actor, taskId, deps.db);
  if (!task) return null;
  const row = await deps.db.taskDevice.findFirst({ where: { id: rowId, taskId } });
  return row ? deviceDetail(row) : null;
}

/**
 * A spreadsheet reads a cell as a formula when it starts with = + - @ tab or CR, also after leading
 * whitespace (OWASP "CSV injection"); such a cell gets a leading apostrophe.
 */
const FORMULA_START = /^\s*[=+\-@\t\r]/;

/** One CSV cell: always quoted, formulas neutralised. */
export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return `"${(FORMULA_START.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
}

const CSV_HEADER = [
  'device',
  'device_status',
  'error',
  'duration_ms',
  'command',
  'command_status',
  'command_error',
  'output',
];

/** The CSV header line of a results export. */
export const RESULTS_CSV_HEADER = CSV_HEADER.map(csvCell).join(',') + '\r\n';

/** One device's CSV lines: one per command (one empty line when it has no output). */
export function resultsCsvLines(d: TaskDeviceDetail): string {
  const outs: { command: string; status: string; output: string; error?: string }[] =
    d.outputs.length > 0 ? d.outputs : [{ command: '', status: '', output: '' }];
  let out = '';
  for (const o of outs)
    out +=
      [d.deviceName, d.status, d.error, d.durationMs, o.command, o.status, o.error ?? '', o.output]
        .map(csvCell)
        .join(',') + '\r\n';
  return out;
}

/** Results as CSV: one row per device and command (the export streams the same lines). */
export function resultsCsv(detail: { devices: TaskDeviceDetail[] }): string {
  return RESULTS_CSV_HEADER + detail.devices.map(resultsCsvLines).join('');
}

/** What a live monitor shows on connect: every active task the actor sees, then the most recent. */
export async function monitorSnapshot(
  actor: TaskActor,
  deps: Pick<TaskDeps, 'db'>,
  recent: number,
): Promise<TaskSummary[]> {
  const { db } = deps;
  const [latest, active] = await Promise.all([
    db.task.findMany({ where: visibleTasksWhere(actor), orderBy: { createdAt: 'desc' }, take: recent }),
    db.task.findMany({ where: { ...visibleTasksWhere(actor), status: { in: [...TASK_ACTIVE_STATUSES] } } }),
  ]);
  const seen = new Set<string>();
  const out: TaskSummary[] = [];
  for (const t of [...active, ...latest]) {
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    out.push(taskSummary(t));
  }
  return out;
}

export interface TaskDeviceState {
  deviceId: string | null;
  deviceName: string;
  status: TaskDeviceStatus;
  error: string | null;
  durationMs: number | null;
}

export type WatchResult =
  | { ok: true; task: TaskSummary; devices: TaskDeviceState[] }
  | { ok: false; code: 'not_found' | 'not_allowed'; error: string };

/** A task's state and its devices' states (without output), for a monitor that follows it. */
export async function watchTask(
  actor: TaskActor,
  taskId: string,
  deps: Pick<TaskDeps, 'db'>,
): Promise<WatchResult> {
  const { db } = deps;
  const task = await db.task.findUnique({ where: { id: taskId } });
  if (!task) return { ok: false, code: 'not_found', error: 'No such task.' };
  if (!canSeeTask(actor, task.ownerId))
    return { ok: false, code: 'not_allowed', error: 'This task is not yours.' };
  const rows = await db.taskDevice.findMany({
    where: { taskId: task.id },
    orderBy: { deviceName: 'asc' },
    select: TASK_DEVICE_VIEW_SELECT,
  });
  return {
    ok: true,
    task: taskSummary(task, rows.find((r) => r.status === 'running')?.deviceName ?? null),
    devices: rows.map((r) => ({
      deviceId: r.deviceId,
      deviceName: r.deviceName,
      status: r.status as TaskDeviceStatus,
      error: r.error,
      durationMs: r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
    })),
  };
}
