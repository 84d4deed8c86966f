import type { Role } from '../auth/roles';
import type { PrismaClient } from '../db/generated/client';
import { userCanSeeDevice } from '../devices/visibility';
import { deviceRow, TASK_DEVICES_PAGE_SIZE, visibleTasksWhere, type TaskDeviceRow } from '../tasks/service';
import type { CommandOutput } from '../tasks/schema';
import { isFinal } from '../tasks/status';
import { compileIgnore, diffOutputs, type OutputDiff } from './diff';
import { comparableHash, groupHashes, groupSummary } from './group';
import { diffVersions, outputDocument } from './history';
import { searchTask, SEARCH_MAX_DEVICES, type SearchHit } from './search';
import { visibleTemplatesWhere } from './templates';

/**
 * What a finished task's page shows beyond each device's status: for a templated run, what changed
 * on each device since that device's previous run of the template; for any task, which devices
 * answered identically (and how the odd ones differ); and which devices' output holds a string.
 * Shared by the task page and the REST API. Authorised as the task page is: whoever may see the
 * task (its owner, admins) gets its results, anyone else the same nothing as an unknown task (null).
 * Large fleets stay cheap: outputs are read a batch at a time and only hashes and names are kept;
 * a variant's text or a diff is computed when asked for.
 */

export interface ResultsActor {
  id: string;
  role: Role;
}

export const CHANGE_KINDS = ['changed', 'unchanged', 'new'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** SQLite takes at most 999 bound parameters in one statement: ids are looked up this many at a time. */
const ID_CHUNK = 400;
/** Device outputs read at once while grouping a plain task's results. */
export const GROUP_BATCH_ROWS = 100;
/** Variants listed (the rest are counted), so every-device-different fleets stay a small answer. */
export const GROUPS_MAX_VARIANTS = 200;
/** Device names listed per variant (the rest are counted). */
export const GROUPS_MAX_NAMES_PER_VARIANT = 2000;
/** Finished tasks whose versions and groups are remembered (they no longer change). */
export const RESULTS_CACHE_TASKS = 20;

const TASK_SELECT = {
  id: true,
  ownerId: true,
  status: true,
  templateId: true,
  templateVersion: true,
  finishedAt: true,
  completedDevices: true,
  succeededDevices: true,
  totalDevices: true,
} as const;

type VisibleTask = {
  id: string;
  ownerId: string;
  status: string;
  templateId: string | null;
  templateVersion: number | null;
  finishedAt: Date | null;
  completedDevices: number;
  succeededDevices: number;
  totalDevices: number;
};

/** The task when the actor may see it (the task page's rule: visibleTasksWhere), else null. */
async function visibleTask(
  db: PrismaClient,
  actor: ResultsActor,
  taskId: string,
): Promise<VisibleTask | null> {
  if (typeof taskId !== 'string' || taskId === '' || taskId.length > 64) return null;
  return db.task.findFirst({ where: { id: taskId, ...visibleTasksWhere(actor) }, select: TASK_SELECT });
}

/**
 * The ignore patterns a templated task's outputs are compared with: those of the template version
 * it ran (the current version when that one is gone); none for a plain task. The same rule as the
 * REST API's ignoreForTask, here without 'server-only' so the task page and the API share it.
 */
export async function taskIgnore(
  db: PrismaClient,
  task: { templateId: string | null; templateVersion: number | null } | null,
): Promise<((text: string) => string) | undefined> {
  if (!task?.templateId) return undefined;
  const template = await db.taskTemplate.findUnique({
    where: { id: task.templateId },
    select: { version: true },
  });
  if (!template) return undefined;
  const v = await db.taskTemplateVersion.findUnique({
    where: {
      templateId_version: { templateId: task.templateId, version: task.templateVersion ?? template.version },
    },
    select: { ignorePatterns: true },
  });
  const patterns = v ? (JSON.parse(v.ignorePatterns) as string[]) : [];
  if (patterns.length === 0) return undefined; // the same comparison as no patterns, and said so
  const ignore = compileIgnore(patterns);
  return ignore.ok ? ignore.apply : undefined;
}

// ---- a small memo for finished tasks ------------------------------------------------------------

const memo = new WeakMap<PrismaClient, Map<string, { stamp: string; value: unknown }>>();

/** A finished task's answer is remembered until the task changes (a retry runs it again). */
async function remembered<T>(
  db: PrismaClient,
  task: VisibleTask,
  what: string,
  compute: () => Promise<T>,
): Promise<T> {
  if (!isFinal(task.status)) return compute(); // devices still finishing
  const stamp = `${task.status}|${task.finishedAt?.toISOString()}|${task.completedDevices}|${task.succeededDevices}`;
  let byTask = memo.get(db);
  if (!byTask) memo.set(db, (byTask = new Map()));
  const key = `${what}:${task.id}`;
  const hit = byTask.get(key);
  if (hit && hit.stamp === stamp) {
    byTask.delete(key); // most recently used last
    byTask.set(key, hit);
    return hit.value as T;
  }
  const value = await compute();
  byTask.set(key, { stamp, value });
  while (byTask.size > RESULTS_CACHE_TASKS * 2) byTask.delete(byTask.keys().next().value!);
  return value;
}

// ---- changes against the previous run -----------------------------------------------------------

interface TaskVersion {
  id: string;
  taskDeviceId: string;
  deviceName: string;
  change: ChangeKind;
  added: number;
  removed: number;
  comparableHash: string;
}

/** The output versions a templated task recorded, by task device row (looked up by the unique row id). */
async function taskVersions(db: PrismaClient, task: VisibleTask): Promise<Map<string, TaskVersion>> {
  if (!task.templateId) return new Map();
  return remembered(db, task, 'versions', async () => {
    const rows = await db.taskDevice.findMany({
      where: { taskId: task.id, status: 'success' },
      select: { id: true },
    });
    const out = new Map<string, TaskVersion>();
    for (let i = 0; i < rows.length; i += ID_CHUNK) {
      const versions = await db.outputVersion.findMany({
        where: { taskDeviceId: { in: rows.slice(i, i + ID_CHUNK).map((r) => r.id) } },
        select: {
          id: true,
          taskDeviceId: true,
          deviceName: true,
          change: true,
          added: true,
          removed: true,
          comparableHash: true,
        },
      });
      for (const v of versions)
        if (v.taskDeviceId)
          out.set(v.taskDeviceId, { ...v, taskDeviceId: v.taskDeviceId, change: v.change as ChangeKind });
    }
    return out;
  });
}

export interface DeviceChange {
  change: ChangeKind;
  added: number;
  removed: number;
}

export interface TaskChanges {
  /** Run from a template: only then are devices compared with their previous run. */
  templated: boolean;
  counts: Record<ChangeKind, number>;
  /** The asked rows' changes, by task device row id (rows without a recorded version are absent). */
  rows: Record<string, DeviceChange>;
}

const changeOf = (v: TaskVersion): DeviceChange => ({ change: v.change, added: v.added, removed: v.removed });

/**
 * How many devices changed, stayed the same or are new against their previous run of the template,
 * and the change of each of the given rows (the page on screen). Null: no such task for this actor.
 */
export async function taskChanges(
  db: PrismaClient,
  actor: ResultsActor,
  taskId: string,
  rowIds: readonly string[] = [],
): Promise<TaskChanges | null> {
  const task = await visibleTask(db, actor, taskId);
  if (!task) return null;
  const counts: Record<ChangeKind, number> = { changed: 0, unchanged: 0, new: 0 };
  if (!task.templateId) return { templated: false, counts, rows: {} };
  const versions = await taskVersions(db, task);
  for (const v of versions.values()) counts[v.change]++;
  const rows: Record<string, DeviceChange> = {};
  for (const id of rowIds) {
    const v = versions.get(id);
    if (v) rows[id] = changeOf(v);
  }
  return { templated: true, counts, rows };
}

export interface ChangeRowsPage {
  change: ChangeKind;
  devices: TaskDeviceRow[];
  changes: Record<string, DeviceChange>;
  total: number;
  page: number;
  pages: number;
  pageSize: number;
}

/** One page of the task's device rows that changed (or stayed the same, or are new), by name. */
export async function taskChangeRows(
  db: PrismaClient,
  actor: ResultsActor,
  taskId: string,
  change: ChangeKind,
  page = 1,
): Promise<ChangeRowsPage | null> {
  const task = await visibleTask(db, actor, taskId);
  if (!task) return null;
  const versions = [...(await taskVersions(db, task)).values()]
    .filter((v) => v.change === change)
    // as the task page orders its rows: by name, then row id
    .sort((a, b) =>
      a.deviceName < b.deviceName
        ? -1
        : a.deviceName > b.deviceName
          ? 1
          : a.taskDeviceId < b.taskDeviceId
            ? -1
            : 1,
    );
  const pages = Math.max(1, Math.ceil(versions.length / TASK_DEVICES_PAGE_SIZE));
  const p = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const shown = versions.slice((p - 1) * TASK_DEVICES_PAGE_SIZE, p * TASK_DEVICES_PAGE_SIZE);
  const rows = await db.taskDevice.findMany({
    where: { taskId: task.id, id: { in: shown.map((v) => v.taskDeviceId) } },
    select: {
      id: true,
      deviceId: true,
      deviceName: true,
      status: true,
      error: true,
      attempts: true,
      startedAt: true,
      finishedAt: true,
    },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    change,
    devices: shown.flatMap((v) => {
      const r = byId.get(v.taskDeviceId);
      return r ? [deviceRow(r)] : [];
    }),
    changes: Object.fromEntries(shown.map((v) => [v.taskDeviceId, changeOf(v)])),
    total: versions.length,
    page: p,
    pages,
    pageSize: TASK_DEVICES_PAGE_SIZE,
  };
}

export type ChangeDiff = DeviceChange & {
  deviceName: string;
  deviceId: string | null;
  /**
   * ok: `diff` compares the previous version with this one; none: the first run on the device;
   * gone: the previous version is no longer kept; hidden: it is not the reader's to see.
   */
  previous: 'ok' | 'none' | 'gone' | 'hidden';
  diff: (OutputDiff & { from: string; to: string }) | null;
};

/**
 * One device's output in this task against its previous run of the template (after the template's
 * ignore patterns). The previous version may be another user's run: it is shown to those who see
 * the device and the template, as the device's history is. Null: no such task or device row.
 */
export async function deviceChangeDiff(
  db: PrismaClient,
  actor: ResultsActor,
  taskId: string,
  rowId: string,
): Promise<ChangeDiff | null> {
  const task = await visibleTask(db, actor, taskId);
  if (!task?.templateId || typeof rowId !== 'string') return null;
  const v = await db.outputVersion.findUnique({ where: { taskDeviceId: rowId } });
  if (!v || v.taskId !== task.id) return null;
  const base = {
    change: v.change as ChangeKind,
    added: v.added,
    removed: v.removed,
    deviceName: v.deviceName,
    deviceId: v.deviceId,
  };
  if (!v.previousId) return { ...base, previous: 'none', diff: null };
  const prev = await db.outputVersion.findFirst({
    where: { id: v.previousId },
    select: { id: true, deviceId: true, templateId: true },
  });
  if (!prev) return { ...base, previous: 'gone', diff: null };
  const mayRead =
    prev.deviceId !== null &&
    (await userCanSeeDevice(db, actor, prev.deviceId)) &&
    (await db.outputVersion.count({ where: { id: prev.id, template: visibleTemplatesWhere(actor) } })) > 0;
  if (!mayRead) return { ...base, previous: 'hidden', diff: null };
  const diff = await diffVersions(db, prev.id, v.id, await taskIgnore(db, task));
  return diff ? { ...base, previous: 'ok', diff } : { ...base, previous: 'gone', diff: null };
}

// ---- identical outputs ---------------------------------------------------------------------------

interface Grouped {
  variants: { hash: string; devices: string[]; sampleRef: string }[];
  majority: string | null;
  devices: number;
}

const parseOutputs = (json: string): CommandOutput[] => {
  try {
    return JSON.parse(json) as CommandOutput[];
  } catch {
    return [];
  }
};

/**
 * The succeeded devices grouped by comparable hash: a templated run's versions carry theirs (the same
 * normalising and ignore patterns), other outputs are read a batch at a time and hashed.
 */
async function groupsOf(db: PrismaClient, task: VisibleTask): Promise<Grouped> {
  return remembered(db, task, 'groups', async () => {
    const [rows, versions, ignore] = await Promise.all([
      db.taskDevice.findMany({
        where: { taskId: task.id, status: 'success' },
        select: { id: true, deviceName: true },
      }),
      taskVersions(db, task),
      taskIgnore(db, task),
    ]);
    const items: { device: string; hash: string; ref: string }[] = [];
    const unhashed: { id: string; deviceName: string }[] = [];
    for (const r of rows) {
      const v = versions.get(r.id);
      if (v) items.push({ device: r.deviceName, hash: v.comparableHash, ref: r.id });
      else unhashed.push(r);
    }
    for (let i = 0; i < unhashed.length; i += GROUP_BATCH_ROWS) {
      const batch = await db.taskDevice.findMany({
        where: { id: { in: unhashed.slice(i, i + GROUP_BATCH_ROWS).map((r) => r.id) } },
        select: { id: true, deviceName: true, output: true },
      });
      for (const r of batch)
        items.push({
          device: r.deviceName,
          hash: comparableHash(outputDocument(parseOutputs(r.output)), ignore),
          ref: r.id,
        });
    }
    return groupHashes(items);
  });
}

export interface TaskOutputVariant {
  hash: string;
  /** Devices with this output (all of them, however many names are listed). */
  count: number;
  /** Their names, sorted (at most maxNamesPerVariant). */
  devices: string[];
  /** The device whose output stands for the variant (the first by name), and its task row. */
  sampleDevice: string;
  sampleRowId: string;
}

export interface TaskOutputGroups {
  /** Succeeded devices compared. */
  devices: number;
  /** In the majority (0 when the largest groups tie). */
  identical: number;
  /** Outside it, and in how many variants. */
  variantDevices: number;
  variantCount: number;
  /** The majority's hash, null when there is none. */
  majority: string | null;
  /** Largest first (at most maxVariants). */
  variants: TaskOutputVariant[];
  /** The comparison used the template's ignore patterns. */
  ignorePatterns: boolean;
}

/** "6 devices identical, 2 in 2 variants" for a task's succeeded devices. Null: no such task. */
export async function taskOutputGroups(
  db: PrismaClient,
  actor: ResultsActor,
  taskId: string,
  opts: { maxVariants?: number; maxNamesPerVariant?: number } = {},
): Promise<TaskOutputGroups | null> {
  const task = await visibleTask(db, actor, taskId);
  if (!task) return null;
  const [g, ignore] = await Promise.all([groupsOf(db, task), taskIgnore(db, task)]);
  const s = groupSummary(g);
  const maxNames = opts.maxNamesPerVariant ?? GROUPS_MAX_NAMES_PER_VARIANT;
  return {
    devices: g.devices,
    identical: s.identical,
    variantDevices: s.variantDevices,
    variantCount: s.variants,
    majority: g.majority,
    variants: g.variants.slice(0, opts.maxVariants ?? GROUPS_MAX_VARIANTS).map((v) => ({
      hash: v.hash,
      count: v.devices.length,
      devices: v.devices.length > maxNames ? v.devices.slice(0, maxNames) : v.devices,
      sampleDevice: v.devices[0]!,
      sampleRowId: v.sampleRef,
    })),
    ignorePatterns: ignore !== undefined,
  };
}

export interface VariantDiff {
  /** What the variant is compared with: the majority, or the largest group when none is. */
  base: { hash: string; sampleDevice: string; count: number; majority: boolean };
  variant: { hash: string; sampleDevice: string; count: number };
  diff: OutputDiff & { from: string; to: string };
}

/**
 * A variant's output against the majority's (the largest group's when the largest groups tie), as a
 * unified diff of one device of each, after the template's ignore patterns. Null: no such task or
 * variant, or the variant is that group itself.
 */
export async function variantDiff(
  db: PrismaClient,
  actor: ResultsActor,
  taskId: string,
  hash: string,
): Promise<VariantDiff | null> {
  const task = await visibleTask(db, actor, taskId);
  if (!task || typeof hash !== 'string') return null;
  const g = await groupsOf(db, task);
  const base = g.variants.find((v) => v.hash === g.majority) ?? g.variants[0];
  const variant = g.variants.find((v) => v.hash === hash);
  if (!base || !variant || base === variant) return null;
  const [rows, ignore] = await Promise.all([
    db.taskDevice.findMany({
      where: { taskId: task.id, id: { in: [base.sampleRef, variant.sampleRef] } },
      select: { id: true, output: true },
    }),
    taskIgnore(db, task),
  ]);
  const text = (id: string) => outputDocument(parseOutputs(rows.find((r) => r.id === id)?.output ?? '[]'));
  const from = base.devices[0]!;
  const to = variant.devices[0]!;
  return {
    base: {
      hash: base.hash,
      sampleDevice: from,
      count: base.devices.length,
      majority: base.hash === g.majority,
    },
    variant: { hash: variant.hash, sampleDevice: to, count: variant.devices.length },
    diff: {
      ...diffOutputs(text(base.sampleRef), text(variant.sampleRef), { ignore, labels: [from, to] }),
      from,
      to,
    },
  };
}

// ---- search ----------------------------------------------------------------------------------------

export type SearchRefusal = 'empty' | 'tooLong' | 'patternTooLong' | 'patternInvalid';

export type TaskSearch =
  | { ok: true; hits: SearchHit[]; searched: number; total: number; limited: boolean }
  | { ok: false; code: SearchRefusal; error: string; detail?: string };

/** Why matcherOf refused a query, as a code the page words in the reader's language. */
function refusal(error: string): { code: SearchRefusal; detail?: string } {
  if (error.startsWith('Enter text')) return { code: 'empty' };
  if (error.startsWith('At most')) return { code: 'tooLong' };
  if (error.startsWith('A pattern may have')) return { code: 'patternTooLong' };
  const m = /^Not a valid pattern: ([\s\S]*)$/.exec(error);
  return { code: 'patternInvalid', detail: m?.[1] ?? error };
}

/**
 * Which devices' output in the task matches text (case-insensitive) or a /RE2 pattern/, with their
 * first matching lines (bounded as searchTask bounds them). Null: no such task.
 */
export async function searchTaskResults(
  db: PrismaClient,
  actor: ResultsActor,
  taskId: string,
  query: string,
): Promise<TaskSearch | null> {
  const task = await visibleTask(db, actor, taskId);
  if (!task) return null;
  const r = await searchTask(db, task.id, typeof query === 'string' ? query : '');
  if (!r.ok) return { ok: false, error: r.error, ...refusal(r.error) };
  return {
    ok: true,
    hits: r.hits,
    searched: r.searched,
    total: task.totalDevices,
    limited: task.totalDevices > SEARCH_MAX_DEVICES,
  };
}
