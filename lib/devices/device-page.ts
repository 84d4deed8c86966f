import 'server-only';
import type { CurrentUser } from '../auth/session';
import type { PrismaClient } from '../db/client';
import { PUBLIC_DEVICE_SELECT } from './inventory';
import { isDeviceStatus, type DeviceStatus } from './status';
import { deviceLevel, type GrantLevel } from './visibility';

/** The windows the status timeline offers, in milliseconds. */
export const TIMELINE_WINDOWS_MS = { '24h': 24 * 3600_000, '7d': 7 * 24 * 3600_000 } as const;
export type TimelineWindow = keyof typeof TIMELINE_WINDOWS_MS;

export function isTimelineWindow(v: unknown): v is TimelineWindow {
  return typeof v === 'string' && Object.hasOwn(TIMELINE_WINDOWS_MS, v);
}

/** Recent terminal sessions and tasks shown on the page. */
export const DEVICE_PAGE_RECENT_SESSIONS = 20;
export const DEVICE_PAGE_RECENT_TASKS = 10;
/** A flapping device could store thousands of changes in a week: the chart shows at most this many. */
export const TIMELINE_MAX_CHANGES = 2000;

export interface StatusChangeLike {
  at: Date | number;
  status: string;
  previous: string;
  reason?: string;
}

/** One stretch of time in one status (milliseconds since the epoch, `from` inclusive). */
export interface TimelineSegment {
  status: DeviceStatus;
  from: number;
  to: number;
  /** Why it began (the change's reason); empty for the stretch that began before the window. */
  reason: string;
}

const ms = (t: Date | number) => (typeof t === 'number' ? t : t.getTime());
const asStatus = (s: string): DeviceStatus => (isDeviceStatus(s) ? s : 'unknown');

/**
 * Pure: the status band for [from, to] from the stored transitions. `statusBefore` is the status at
 * `from` (the last change before the window, or what the device was before its first change).
 * Changes outside the window are ignored; consecutive stretches of one status are merged; the
 * segments cover the window exactly, in order.
 */
export function timelineSegments(
  changes: readonly StatusChangeLike[],
  from: number,
  to: number,
  statusBefore: string,
): TimelineSegment[] {
  if (to <= from) return [];
  const inWindow = changes
    .filter((c) => ms(c.at) > from && ms(c.at) <= to)
    .sort((a, b) => ms(a.at) - ms(b.at));
  const out: TimelineSegment[] = [];
  let cur: TimelineSegment = { status: asStatus(statusBefore), from, to, reason: '' };
  for (const c of inWindow) {
    const status = asStatus(c.status);
    if (status === cur.status) continue; // a repeated status is the same stretch
    const at = ms(c.at);
    if (at > cur.from) out.push({ ...cur, to: at });
    cur = { status, from: at, to, reason: c.reason ?? '' };
  }
  out.push(cur);
  // a zero-length first stretch (a change exactly at `from`) was skipped above; merge equal neighbours
  return out.reduce<TimelineSegment[]>((acc, s) => {
    const last = acc[acc.length - 1];
    if (last && last.status === s.status) last.to = s.to;
    else acc.push({ ...s });
    return acc;
  }, []);
}

/**
 * Pure: the share of the time the status was known (not `unknown`) that the device was online, in
 * percent; null when its status was never known in the window.
 */
export function uptimePercent(segments: readonly TimelineSegment[]): number | null {
  let known = 0;
  let online = 0;
  for (const s of segments) {
    if (s.status === 'unknown') continue;
    known += s.to - s.from;
    if (s.status === 'online') online += s.to - s.from;
  }
  return known > 0 ? (online / known) * 100 : null;
}

export interface DeviceTimeline {
  window: TimelineWindow;
  /** The window (clamped to when the device was added), ms since the epoch. */
  from: number;
  to: number;
  /** Where the chart's axis starts: the whole window, even before the device was added. */
  axisFrom: number;
  segments: TimelineSegment[];
  uptime: number | null;
  /** The transitions in the window, newest first (at most TIMELINE_MAX_CHANGES). */
  changes: { at: string; status: DeviceStatus; previous: DeviceStatus; reason: string }[];
  truncated: boolean;
}

/**
 * The status timeline of one device for the last 24 h or 7 d: two indexed queries on
 * (deviceId, at), never a scan. The caller has checked that the user may see the device.
 */
export async function deviceTimeline(
  db: PrismaClient,
  device: { id: string; status: string; createdAt: Date },
  window: TimelineWindow,
  now: number = Date.now(),
): Promise<DeviceTimeline> {
  const axisFrom = now - TIMELINE_WINDOWS_MS[window];
  const from = Math.max(axisFrom, device.createdAt.getTime());
  const [before, rows] = await Promise.all([
    db.deviceStatusChange.findFirst({
      where: { deviceId: device.id, at: { lte: new Date(from) } },
      orderBy: { at: 'desc' },
      select: { status: true },
    }),
    db.deviceStatusChange.findMany({
      where: { deviceId: device.id, at: { gt: new Date(from), lte: new Date(now) } },
      orderBy: { at: 'desc' },
      take: TIMELINE_MAX_CHANGES + 1,
      select: { at: true, status: true, previous: true, reason: true },
    }),
  ]);
  const truncated = rows.length > TIMELINE_MAX_CHANGES;
  const kept = truncated ? rows.slice(0, TIMELINE_MAX_CHANGES) : rows;
  const oldest = kept[kept.length - 1];
  // Before its first change in the window the device was what that change says it left (or, with
  // no change at all, what it is now). With the list cut short, the band starts at the oldest kept.
  const statusBefore = before?.status ?? oldest?.previous ?? device.status;
  const bandFrom = truncated && oldest ? oldest.at.getTime() : from;
  const segments = timelineSegments(kept, bandFrom, now, truncated ? oldest!.status : statusBefore);
  return {
    window,
    from: bandFrom,
    to: now,
    axisFrom,
    segments,
    uptime: uptimePercent(segments),
    changes: kept.map((c) => ({
      at: c.at.toISOString(),
      status: asStatus(c.status),
      previous: asStatus(c.previous),
      reason: c.reason,
    })),
    truncated,
  };
}

export interface DevicePage {
  device: NonNullable<Awaited<ReturnType<typeof findDevice>>>;
  level: GrantLevel;
  /** Why the device is in its status (the reason of its last transition), if one was stored. */
  statusReason: string | null;
  /** Online now → 'now'; otherwise when it was last online (left `online`), or null if never. */
  lastSeen: 'now' | string | null;
  /** When the trusted host key was accepted by hand (audit log), if it was; a key trusted on first
   * use has no stored time. */
  hostKeyAccepted: { at: string; by: string | null } | null;
  sessions: { at: string; action: 'open' | 'close'; user: string | null; detail: string }[];
  tasks: {
    taskId: string;
    taskName: string;
    taskStatus: string;
    owner: string;
    status: string;
    error: string | null;
    createdAt: string;
    finishedAt: string | null;
  }[];
}

function findDevice(db: PrismaClient, id: string) {
  return db.device.findUnique({
    where: { id },
    select: {
      ...PUBLIC_DEVICE_SELECT,
      groups: {
        select: {
          group: { select: { id: true, name: true, jumpHost: { select: { id: true, name: true } } } },
        },
        orderBy: { group: { name: 'asc' } },
      },
    },
  });
}

/** The jump host a device gets from a group it is in (when it has none of its own), as the login picks it. */
export function groupJumpHost(device: {
  id: string;
  jumpHostId: string | null;
  groups: { group: { name: string; jumpHost: { id: string; name: string } | null } }[];
}): { group: string; jumpHost: string } | null {
  if (device.jumpHostId) return null;
  const m = device.groups.find((g) => g.group.jumpHost && g.group.jumpHost.id !== device.id);
  return m ? { group: m.group.name, jumpHost: m.group.jumpHost!.name } : null;
}

/**
 * Everything the device page shows except the timeline, or null when the user cannot see the
 * device. Admins see everyone's sessions and tasks on it; others see their own (as on the task list
 * and the audit log, which only admins read).
 */
export async function getDevicePage(
  user: CurrentUser,
  id: string,
  deps: { db: PrismaClient },
): Promise<DevicePage | null> {
  const { db } = deps;
  const level = await deviceLevel(db, user, id);
  if (!level) return null;
  const device = await findDevice(db, id);
  if (!device) return null;
  const mine = user.role === 'admin' ? {} : { userId: user.id };
  const [lastChange, lastOnline, accepted, sessions, tasks] = await Promise.all([
    db.deviceStatusChange.findFirst({
      where: { deviceId: id },
      orderBy: { at: 'desc' },
      select: { reason: true, status: true },
    }),
    device.status === 'online'
      ? null
      : db.deviceStatusChange.findFirst({
          where: { deviceId: id, previous: 'online' },
          orderBy: { at: 'desc' },
          select: { at: true },
        }),
    device.hostKeyFingerprint
      ? db.auditEvent.findFirst({
          where: {
            action: 'device.hostkey_accept',
            target: device.name,
            detail: { endsWith: device.hostKeyFingerprint },
          },
          orderBy: { at: 'desc' },
          select: { at: true, user: { select: { username: true } } },
        })
      : null,
    // the audit log names the device (its name at the time): a renamed device starts a new history
    db.auditEvent.findMany({
      where: { action: { in: ['terminal.open', 'terminal.close'] }, target: device.name, ...mine },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: DEVICE_PAGE_RECENT_SESSIONS,
      select: { at: true, action: true, detail: true, user: { select: { username: true } } },
    }),
    db.taskDevice.findMany({
      where: { deviceId: id, ...(user.role === 'admin' ? {} : { task: { ownerId: user.id } }) },
      orderBy: { task: { createdAt: 'desc' } },
      take: DEVICE_PAGE_RECENT_TASKS,
      select: {
        status: true,
        error: true,
        finishedAt: true,
        task: {
          select: {
            id: true,
            name: true,
            status: true,
            createdAt: true,
            owner: { select: { username: true } },
          },
        },
      },
    }),
  ]);
  const accept = accepted as { at: Date; user: { username: string } | null } | null;
  return {
    device,
    level,
    statusReason: lastChange && lastChange.status === device.status ? lastChange.reason || null : null,
    lastSeen: device.status === 'online' ? 'now' : (lastOnline?.at.toISOString() ?? null),
    hostKeyAccepted: accept
      ? { at: accept.at.toISOString(), by: user.role === 'admin' ? (accept.user?.username ?? null) : null }
      : null,
    sessions: sessions.map((s) => ({
      at: s.at.toISOString(),
      action: s.action === 'terminal.open' ? 'open' : 'close',
      user: s.user?.username ?? null,
      detail: s.detail,
    })),
    tasks: tasks.map((t) => ({
      taskId: t.task.id,
      taskName: t.task.name,
      taskStatus: t.task.status,
      owner: t.task.owner.username,
      status: t.status,
      error: t.error,
      createdAt: t.task.createdAt.toISOString(),
      finishedAt: t.finishedAt?.toISOString() ?? null,
    })),
  };
}
