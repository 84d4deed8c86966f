import 'server-only';
import { ignoreForTask } from '../api/automation';
import { CONFIG_BACKUP_NAME } from '../automation/builtins';
import type { OutputDiff } from '../automation/diff';
import { diffVersions, versionText } from '../automation/history';
import { visibleTemplatesWhere } from '../automation/templates';
import type { CurrentUser } from '../auth/session';
import type { PrismaClient } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { canSeeTask } from '../tasks/service';
import { deviceLevel, type GrantLevel } from './visibility';

/**
 * The device page's Configuration history tab: the stored outputs of one template's runs on the
 * device (the built-in Configuration backup by default), a page at a time, newest first; any two
 * compared (after the template's ignore patterns); one shown or downloaded. Only versions of the
 * device in the URL and of templates the reader sees: anything else is "not found".
 */

/** Versions per page of the list. */
export const HISTORY_PAGE_SIZE = 20;
/** The most of one version's text the page shows (the download has all of it). */
export const HISTORY_VIEW_MAX_CHARS = 512 * 1024;

type Actor = Pick<CurrentUser, 'id' | 'role'>;

export interface HistoryQuery {
  template?: string;
  /** From 1. */
  page?: number;
  /** Two versions to compare (either order). */
  from?: string;
  to?: string;
  /** A version to show. */
  view?: string;
}

export interface HistoryVersion {
  id: string;
  createdAt: string;
  change: 'new' | 'changed' | 'unchanged';
  added: number;
  removed: number;
  bytes: number;
  previousId: string | null;
  templateId: string | null;
  /** The task that stored it; `visible`: the reader may open it (their own, or an admin). */
  task: { id: string; name: string; visible: boolean } | null;
}

export interface HistoryTemplate {
  id: string;
  name: string;
  builtIn: boolean;
  /** Versions stored on this device. */
  versions: number;
}

export interface DeviceHistoryPage {
  device: { id: string; name: string };
  level: GrantLevel;
  /** The templates with versions on this device, the Configuration backup first (also without any). */
  templates: HistoryTemplate[];
  /** The template listed (null: the portal has no backup template and nothing ran here). */
  template: HistoryTemplate | null;
  /** The built-in Configuration backup template, when the reader sees it. */
  backupTemplateId: string | null;
  versions: HistoryVersion[];
  total: number;
  page: number;
  pages: number;
  compare: { from: HistoryVersion; to: HistoryVersion; diff: OutputDiff } | null;
  view: { version: HistoryVersion; text: string; truncated: boolean } | null;
}

const VERSION_SELECT = {
  id: true,
  createdAt: true,
  change: true,
  added: true,
  removed: true,
  blobHash: true,
  previousId: true,
  templateId: true,
  taskId: true,
} as const satisfies Prisma.OutputVersionSelect;

type VersionRow = Prisma.OutputVersionGetPayload<{ select: typeof VERSION_SELECT }>;

async function describe(db: PrismaClient, actor: Actor, rows: VersionRow[]): Promise<HistoryVersion[]> {
  const [blobs, tasks] = await Promise.all([
    db.outputBlob.findMany({
      where: { hash: { in: [...new Set(rows.map((r) => r.blobHash))] } },
      select: { hash: true, bytes: true },
    }),
    db.task.findMany({
      where: { id: { in: [...new Set(rows.flatMap((r) => (r.taskId ? [r.taskId] : [])))] } },
      select: { id: true, name: true, ownerId: true },
    }),
  ]);
  const bytes = new Map(blobs.map((b) => [b.hash, b.bytes]));
  const task = new Map(tasks.map((t) => [t.id, t]));
  return rows.map((r) => {
    const t = r.taskId ? task.get(r.taskId) : undefined;
    return {
      id: r.id,
      createdAt: r.createdAt.toISOString(),
      change: r.change as HistoryVersion['change'],
      added: r.added,
      removed: r.removed,
      bytes: bytes.get(r.blobHash) ?? 0,
      previousId: r.previousId,
      templateId: r.templateId,
      task: t ? { id: t.id, name: t.name, visible: canSeeTask(actor, t.ownerId) } : null,
    };
  });
}

/** One version of this device, of a template the actor sees; null for anything else. */
async function findVersion(db: PrismaClient, actor: Actor, deviceId: string, versionId: string) {
  return db.outputVersion.findFirst({
    where: { id: versionId, deviceId, template: visibleTemplatesWhere(actor) },
    select: VERSION_SELECT,
  });
}

/** The device's history tab, or null when the device, the template or a version named is not found. */
export async function getDeviceHistory(
  actor: Actor,
  deviceId: string,
  q: HistoryQuery,
  deps: { db: PrismaClient },
): Promise<DeviceHistoryPage | null> {
  const { db } = deps;
  const level = await deviceLevel(db, actor, deviceId);
  if (!level) return null;
  const device = await db.device.findUnique({ where: { id: deviceId }, select: { id: true, name: true } });
  if (!device) return null;
  const seen = visibleTemplatesWhere(actor);
  const [counts, backup] = await Promise.all([
    db.outputVersion.groupBy({
      by: ['templateId'],
      where: { deviceId, template: seen },
      _count: { _all: true },
    }),
    db.taskTemplate.findFirst({
      where: { AND: [{ builtIn: true, name: CONFIG_BACKUP_NAME }, seen] },
      select: { id: true, name: true, builtIn: true },
    }),
  ]);
  const ids = counts.flatMap((c) => (c.templateId ? [c.templateId] : []));
  const named = await db.taskTemplate.findMany({
    where: { id: { in: ids } },
    select: { id: true, name: true, builtIn: true },
  });
  const count = new Map(counts.map((c) => [c.templateId, c._count._all]));
  const templates: HistoryTemplate[] = named
    .filter((t) => t.id !== backup?.id)
    .map((t) => ({ ...t, versions: count.get(t.id) ?? 0 }))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (backup) templates.unshift({ ...backup, versions: count.get(backup.id) ?? 0 });

  let template: HistoryTemplate | null;
  if (q.template) {
    template = templates.find((t) => t.id === q.template) ?? null;
    if (!template) return null;
  } else template = templates[0] ?? null;

  const total = template?.versions ?? 0;
  const pages = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.trunc(q.page ?? 1) || 1), pages);
  const rows = template
    ? await db.outputVersion.findMany({
        where: { deviceId, templateId: template.id },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: (page - 1) * HISTORY_PAGE_SIZE,
        take: HISTORY_PAGE_SIZE,
        select: VERSION_SELECT,
      })
    : [];

  // the versions the URL names: of this device and a template the reader sees, or not found
  const namedVersion = async (id: string | undefined) => {
    if (!id) return undefined;
    return (await findVersion(db, actor, deviceId, id)) ?? null;
  };
  const [fromRow, toRow, viewRow] = await Promise.all([
    namedVersion(q.from),
    namedVersion(q.to),
    namedVersion(q.view),
  ]);
  if (fromRow === null || toRow === null || viewRow === null) return null;
  const extra = [fromRow, toRow, viewRow].filter(
    (r): r is VersionRow => !!r && !rows.some((x) => x.id === r.id),
  );
  const described = await describe(db, actor, [...rows, ...extra]);
  const byId = new Map(described.map((v) => [v.id, v]));

  let compare: DeviceHistoryPage['compare'] = null;
  if (fromRow && toRow && fromRow.id !== toRow.id) {
    const older =
      fromRow.createdAt.getTime() < toRow.createdAt.getTime() ||
      (fromRow.createdAt.getTime() === toRow.createdAt.getTime() && fromRow.id < toRow.id)
        ? fromRow
        : toRow;
    const newer = older === fromRow ? toRow : fromRow;
    compare = await compareVersions(db, older, newer).then((diff) =>
      diff ? { from: byId.get(older.id)!, to: byId.get(newer.id)!, diff } : null,
    );
  }

  let view: DeviceHistoryPage['view'] = null;
  if (viewRow) {
    const text = (await versionText(db, viewRow.id)) ?? '';
    const truncated = text.length > HISTORY_VIEW_MAX_CHARS;
    view = {
      version: byId.get(viewRow.id)!,
      text: truncated ? text.slice(0, HISTORY_VIEW_MAX_CHARS) : text,
      truncated,
    };
  }

  return {
    device,
    level,
    templates,
    template,
    backupTemplateId: backup?.id ?? null,
    versions: rows.map((r) => byId.get(r.id)!),
    total,
    page,
    pages,
    compare,
    view,
  };
}

/** Older against newer, with the ignore patterns of the template version the newer one ran. */
async function compareVersions(db: PrismaClient, older: VersionRow, newer: VersionRow) {
  const task = newer.taskId
    ? await db.task.findUnique({
        where: { id: newer.taskId },
        select: { templateId: true, templateVersion: true },
      })
    : null;
  const ignore = await ignoreForTask(db, task ?? { templateId: newer.templateId, templateVersion: null });
  return diffVersions(db, older.id, newer.id, ignore);
}

/** `Configuration backup` → `Configuration-backup`; nothing usable → `output`. */
export function fileSlug(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '-')
    .replace(/_+/g, '_')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return slug || 'output';
}

/** `2026-03-04T05:06:07.123Z` → `2026-03-04-050607` (UTC, sortable, no characters a file name dislikes). */
export const fileStamp = (d: Date) => d.toISOString().slice(0, 19).replace('T', '-').replace(/:/g, '');

export interface HistoryDownload {
  filename: string;
  text: string;
}

/**
 * One version as a file, for someone who may see the device: `<device>-<template>-<date>.txt`.
 * Null for an unknown device or version, a device the actor does not see, a version of another
 * device, or of a template the actor does not see.
 */
export async function historyDownload(
  actor: Actor,
  deviceId: string,
  versionId: string,
  deps: { db: PrismaClient },
): Promise<HistoryDownload | null> {
  const { db } = deps;
  if (!(await deviceLevel(db, actor, deviceId))) return null;
  const v = await db.outputVersion.findFirst({
    where: { id: versionId, deviceId, template: visibleTemplatesWhere(actor) },
    select: {
      id: true,
      createdAt: true,
      device: { select: { name: true } },
      deviceName: true,
      template: { select: { name: true } },
    },
  });
  if (!v) return null;
  const text = await versionText(db, v.id);
  if (text === null) return null;
  const device = fileSlug(v.device?.name ?? v.deviceName);
  const template = fileSlug(v.template?.name ?? 'output').toLowerCase();
  return { filename: `${device}-${template}-${fileStamp(v.createdAt)}.txt`, text };
}
